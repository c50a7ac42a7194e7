"""/environments: list, connect, syncs run through the API (demo company), runs, collaborators."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from seatbridge.accounts.models import Environment
from seatbridge.jobs import schedule
from tests.api.seed import Seeded
from tests.invitations.support import messages_to


class TestEnvironments:
    def test_list_and_read_never_show_the_database_url(self, seeded: Seeded) -> None:
        api = seeded.world
        listed = api.call("GET", "/api/v1/environments")
        assert listed.status_code == 200
        names = [(e["name"], e["mode"]) for e in listed.json()["items"]]
        assert names == [("DIRECT", "direct"), ("CONNECTOR", "connector")]
        assert "sqlite" not in listed.text
        one = api.call("GET", f"/api/v1/environments/{seeded.direct_id}").json()
        assert one["name"] == "DIRECT" and "source_url" not in one
        assert api.call("GET", "/api/v1/environments/999").status_code == 404

    def test_connecting_a_company_follows_the_edition(self, seeded: Seeded) -> None:
        api = seeded.world
        full = api.call(
            "POST", "/api/v1/environments", json={"name": "NEGOCE", "mode": "connector"}
        )
        assert full.status_code == 409 and full.json()["code"] == "environment_limit"
        bad_url = api.call(
            "POST", "/api/v1/environments", json={"name": "NEGOCE", "source_url": "nope://x/y"}
        )
        assert bad_url.status_code == 422 and bad_url.json()["code"] == "source_not_allowed"


class TestCadences:
    def test_read_and_patch_the_cadences(self, seeded: Seeded) -> None:
        api = seeded.world
        path = f"/api/v1/environments/{seeded.direct_id}"
        one = api.call("GET", path).json()
        assert (one["probe_seconds"], one["sync_interval_minutes"]) == (5, 15)
        assert "in_step_at" in one and "probe_status" in one
        patched = api.call(
            "PATCH", path, json={"probe_seconds": 10, "full_sync_interval_hours": 12}
        )
        assert patched.status_code == 200
        body = patched.json()
        assert (body["probe_seconds"], body["sync_interval_minutes"]) == (10, 15)
        assert body["full_sync_interval_hours"] == 12
        refused = api.call("PATCH", path, json={"probe_seconds": 0})
        assert refused.status_code == 422
        assert api.call("PATCH", "/api/v1/environments/999", json={}).status_code == 404


class TestSyncs:
    def test_a_preview_then_a_run_through_the_api(self, seeded: Seeded) -> None:
        api = seeded.world
        path = f"/api/v1/environments/{seeded.direct_id}/syncs"
        preview = api.call("POST", path, json={"dry_run": True, "full": True})
        assert preview.status_code == 201
        run = preview.json()
        assert (run["status"], run["dry_run"], run["full"]) == ("preview", True, True)
        assert run["records_read"] == 12 and isinstance(run["actions"], list)
        applied = api.call("POST", path)
        assert applied.status_code == 201 and applied.json()["status"] == "succeeded"
        assert applied.json()["actor"].startswith("api:")

        page = api.call("GET", f"{path}?limit=2").json()
        assert [r["id"] for r in page["items"]] == sorted(
            [r["id"] for r in page["items"]], reverse=True
        )
        assert page["items"][0]["id"] == applied.json()["id"] and page["next_cursor"]
        rest = api.call("GET", f"{path}?limit=2&cursor={page['next_cursor']}").json()
        assert len(page["items"]) + len(rest["items"]) == 4
        assert "actions" not in page["items"][0]
        detail = api.call("GET", f"{path}/{seeded.run_id}").json()
        assert detail["status"] == "succeeded" and len(detail["actions"]) >= 12

    def test_a_connector_environment_is_not_read_by_the_server(self, seeded: Seeded) -> None:
        api = seeded.world
        refused = api.call("POST", f"/api/v1/environments/{seeded.connector_id}/syncs")
        assert refused.status_code == 409 and refused.json()["code"] == "connector_environment"
        foreign_run = api.call(
            "GET", f"/api/v1/environments/{seeded.connector_id}/syncs/{seeded.run_id}"
        )
        assert foreign_run.status_code == 404 and foreign_run.json()["code"] == (
            "sync_run_not_found"
        )

    def test_a_run_that_cannot_read_sage_fails_and_says_so(
        self, seeded: Seeded, tmp_path: Path
    ) -> None:
        api = seeded.world
        with api.sessions.begin() as session:
            session.get_one(
                Environment, seeded.direct_id
            ).source_url = f"sqlite:///{tmp_path}/nowhere.db"
        failed = api.call("POST", f"/api/v1/environments/{seeded.direct_id}/syncs")
        assert failed.status_code == 502
        problem = failed.json()
        assert problem["code"] == "sync_failed" and problem["run_id"]
        run = api.call("GET", f"/api/v1/environments/{seeded.direct_id}/syncs/{problem['run_id']}")
        assert run.json()["status"] == "failed"

    def test_a_second_sync_of_a_held_environment_is_refused(self, seeded: Seeded) -> None:
        api = seeded.world
        assert schedule.claim(api.sessions, environment_id=seeded.direct_id, owner="w7:4242:worker",
                              now=api.clock.now(), lease=dt.timedelta(seconds=30))  # fmt: skip
        refused = api.call("POST", f"/api/v1/environments/{seeded.direct_id}/syncs")
        assert refused.status_code == 409 and refused.json()["code"] == "sync_running"
        assert "en cours depuis 10:00 par le processus w7:4242:worker" in refused.json()["detail"]
        preview = api.call(
            "POST", f"/api/v1/environments/{seeded.direct_id}/syncs", json={"dry_run": True}
        )
        assert preview.status_code == 201  # a preview changes nothing and takes no lease

    def test_invited_users_of_a_run_get_their_welcome(self, seeded: Seeded) -> None:
        api = seeded.world
        path = f"/api/v1/environments/{seeded.direct_id}"
        row = api.call("GET", f"{path}/collaborators?invitable=true&limit=1").json()["items"][0]
        created = api.call("POST", "/api/v1/users", json={"email": row["email"].upper()})
        assert created.json()["user"]["status"] == "invited"
        with api.sessions() as session:
            assert len(messages_to(session, row["email"].upper())) == 1


class TestCollaborators:
    def test_invitability_filters_and_pages(self, seeded: Seeded) -> None:
        api = seeded.world
        path = f"/api/v1/environments/{seeded.direct_id}/collaborators"
        everyone = api.call("GET", f"{path}?limit=200").json()["items"]
        assert len(everyone) == 12
        linked = [c for c in everyone if c["user_id"] == seeded.linked_user_id]
        assert len(linked) == 1 and linked[0]["not_invitable"] == "already_user"
        assert not linked[0]["invitable"]
        invitable = api.call("GET", f"{path}?invitable=true&limit=200").json()["items"]
        assert all(c["invitable"] and c["not_invitable"] is None for c in invitable)
        assert 0 < len(invitable) < 12
        seen, cursor = [], None
        while True:
            page = api.call("GET", f"{path}?limit=5" + (f"&cursor={cursor}" if cursor else ""))
            seen += [c["co_no"] for c in page.json()["items"]]
            cursor = page.json()["next_cursor"]
            if not cursor:
                break
        assert seen == sorted(c["co_no"] for c in everyone)
        name = everyone[0]["last_name"]
        found = api.call("GET", f"{path}?q={name.lower()}").json()["items"]
        assert everyone[0]["co_no"] in [c["co_no"] for c in found]
