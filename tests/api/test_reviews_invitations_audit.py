"""/reviews, /invitations and /audit."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from tests.api.seed import Seeded
from tests.api.world import ApiWorld
from tests.invitations.support import messages_to


class TestReviews:
    def test_link_a_waiting_user_to_a_candidate(self, seeded: Seeded) -> None:
        api = seeded.world
        listed = api.call("GET", "/api/v1/reviews?kind=no_match").json()["items"]
        assert [case["id"] for case in listed] == [seeded.case_id]
        assert listed[0]["user_id"] == seeded.pending_user_id
        row = api.call(
            "GET", f"/api/v1/environments/{seeded.direct_id}/collaborators?invitable=true"
        ).json()["items"][0]
        path = f"/api/v1/reviews/{seeded.case_id}/resolution"
        incomplete = api.call("POST", path, json={"action": "link", "co_no": row["co_no"]})
        assert incomplete.status_code == 422 and incomplete.json()["errors"]
        resolved = api.call(
            "POST",
            path,
            json={"action": "link", "environment_id": seeded.direct_id, "co_no": row["co_no"]},
        )
        assert resolved.status_code == 200
        assert (resolved.json()["status"], resolved.json()["resolution"]) == (
            "resolved",
            "linked",
        )
        user = api.call("GET", f"/api/v1/users/{seeded.pending_user_id}").json()
        assert user["status"] == "invited" and user["links"][0]["co_no"] == row["co_no"]
        with api.sessions() as session:
            assert len(messages_to(session, user["email"])) == 1
        again = api.call("POST", path, json={"action": "ssm_only"})
        assert again.status_code == 409 and again.json()["code"] == "case_resolved"
        assert api.call("GET", "/api/v1/reviews?kind=no_match").json()["items"] == []
        every = api.call("GET", "/api/v1/reviews?status=all&kind=no_match").json()["items"]
        assert [case["status"] for case in every] == ["resolved"]

    def test_confirm_as_ssm_only_or_refuse_what_does_not_apply(self, seeded: Seeded) -> None:
        api = seeded.world
        path = f"/api/v1/reviews/{seeded.case_id}/resolution"
        wrong = api.call("POST", path, json={"action": "dismiss"})
        assert wrong.status_code == 422 and wrong.json()["code"] == "not_a_candidate"
        done = api.call("POST", path, json={"action": "ssm_only"})
        assert done.status_code == 200 and done.json()["resolution"] == "ssm_only"
        assert api.call("GET", "/api/v1/reviews/99999").status_code == 404


class TestInvitations:
    def test_a_batch_is_all_or_nothing(self, api: ApiWorld) -> None:
        people = [{"email": f"rep{n}@bijou-sa.fr"} for n in range(4)]
        batch = {"people": people, "ssm_only": True, "ssm_only_reason": "consultants"}
        refused = api.call("POST", "/api/v1/invitations", json=batch)
        assert refused.status_code == 409 and refused.json()["seats_free"] == 3
        assert api.call("GET", "/api/v1/users").json()["items"] == []
        made = api.call("POST", "/api/v1/invitations", json=batch | {"people": people[:3]})
        assert made.status_code == 201
        assert [u["status"] for u in made.json()["users"]] == ["invited"] * 3

    def test_resend_and_revoke(self, api: ApiWorld) -> None:
        made = api.call(
            "POST",
            "/api/v1/invitations",
            json={"people": [{"email": "lea@bijou-sa.fr"}], "ssm_only": True},
        )
        user_id = made.json()["users"][0]["id"]
        resent = api.call("POST", "/api/v1/invitations/resend", json={"user_ids": [user_id]})
        assert resent.status_code == 200
        with api.sessions() as session:
            assert len(messages_to(session, "lea@bijou-sa.fr")) == 2
        revoked = api.call("POST", "/api/v1/invitations/revoke", json={"user_ids": [user_id]})
        assert revoked.json()["users"][0]["status"] == "disabled"
        assert api.call("GET", "/api/v1/licence").json()["seats_used"] == 0
        twice = api.call("POST", "/api/v1/invitations/revoke", json={"user_ids": [user_id]})
        assert twice.status_code == 409 and twice.json()["user_status"] == "disabled"
        unknown = api.call("POST", "/api/v1/invitations/resend", json={"user_ids": [424242]})
        assert unknown.status_code == 404


class TestAudit:
    def test_filter_by_action_actor_and_time_newest_first(self, api: ApiWorld) -> None:
        for n in range(3):
            api.call("POST", "/api/v1/users", json={"email": f"p{n}@bijou-sa.fr"})
        caller = api.call("GET", "/api/v1/audit?action=user.create").json()["items"]
        assert len(caller) == 3 and caller[0]["id"] > caller[-1]["id"]
        actor = caller[0]["actor"]
        by_actor = api.call("GET", f"/api/v1/audit?actor={quote(actor)}&limit=2").json()
        assert all(e["actor"] == actor for e in by_actor["items"]) and by_actor["next_cursor"]
        later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
        assert api.call("GET", f"/api/v1/audit?since={quote(later)}").json()["items"] == []
        naive = api.call("GET", "/api/v1/audit?until=2000-01-01T00:00:00").json()
        assert naive["items"] == []
