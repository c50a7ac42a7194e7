"""/users: rule 17 creation, seats, listing with filters and cursors, role and status, explain."""

from __future__ import annotations

from typing import Any

from seatbridge.directory import service as directory
from tests.api.world import ApiWorld
from tests.invitations.support import messages_to


def create(api: ApiWorld, email: str, **fields: Any) -> Any:
    return api.call("POST", "/api/v1/users", json={"email": email, **fields})


class TestCreate:
    def test_an_email_of_one_collaborator_links_and_invites(self, api: ApiWorld) -> None:
        api.sage["A"].add(7, "lea.martin@bijou-sa.fr", first_name="Léa", last_name="MARTIN")
        api.sync()
        response = create(api, "Lea.Martin@bijou-sa.fr", first_name="Ignored")
        assert response.status_code == 201
        body = response.json()
        user = body["user"]
        assert (user["status"], user["holds_seat"], user["source"]) == ("invited", True, "api")
        assert user["first_name"] == "Léa"  # Sage 100 masters the details (rule 18)
        assert [(link["environment_id"], link["co_no"]) for link in user["links"]] == [
            (api.environments["A"], 7)
        ]
        assert body["review_case"] is None
        with api.sessions() as session:
            assert len(messages_to(session, "Lea.Martin@bijou-sa.fr")) == 1

    def test_no_match_waits_for_review_without_seat_nor_email(self, api: ApiWorld) -> None:
        api.sage["A"].add(3, "j.dupont@bijou-sa.fr", first_name="Jean", last_name="DUPONT")
        api.sync()
        body = create(api, "jean.dupont@gmail.com", first_name="Jean", last_name="Dupont").json()
        assert (body["user"]["status"], body["user"]["holds_seat"]) == ("pending_review", False)
        case = body["review_case"]
        assert case["kind"] == "no_match" and case["user_id"] == body["user"]["id"]
        assert case["candidates"][0]["co_no"] == 3
        with api.sessions() as session:
            assert messages_to(session, "jean.dupont@gmail.com") == []
        licence = api.call("GET", "/api/v1/licence").json()
        assert licence["seats_used"] == 0

    def test_a_duplicate_or_invalid_address_is_refused(self, api: ApiWorld) -> None:
        create(api, "ana@bijou-sa.fr")
        duplicate = create(api, "ANA@bijou-sa.fr")
        assert duplicate.status_code == 409 and duplicate.json()["code"] == "email_taken"
        invalid = create(api, "ana at bijou")
        assert invalid.status_code == 422
        assert invalid.json()["code"] == "invalid_email" and invalid.json()["errors"] == []
        unknown_field = api.call("POST", "/api/v1/users", json={"email": "x@y.fr", "admin": True})
        assert unknown_field.status_code == 422
        assert unknown_field.json()["errors"][0]["loc"] == ["body", "admin"]

    def test_seat_exhaustion_says_how_many_are_free(self, api: ApiWorld) -> None:
        for co_no in range(1, 5):
            api.sage["A"].add(co_no, f"rep{co_no}@bijou-sa.fr")
        api.sync()
        for co_no in range(1, 4):
            assert create(api, f"rep{co_no}@bijou-sa.fr").status_code == 201
        refused = api.call(
            "POST",
            "/api/v1/users",
            json={"email": "rep4@bijou-sa.fr"},
            headers={"Accept-Language": "en"},
        )
        assert refused.status_code == 409
        assert refused.headers["content-type"] == "application/problem+json"
        problem = refused.json()
        assert problem["type"] == "https://seatbridge.dev/problems/seats_exhausted"
        assert (problem["seats_free"], problem["seats_total"], problem["seats_used"]) == (0, 3, 3)
        assert problem["title"] == "Conflict with the current state"
        assert problem["detail"].startswith("Cannot assign 1 licence(s): 0 free of 3")
        french = api.call("POST", "/api/v1/users", json={"email": "rep4@bijou-sa.fr"}).json()
        assert french["detail"].startswith("Impossible d'attribuer 1 licence(s)")
        assert api.call("GET", "/api/v1/users?status=pending_review").json()["items"] == []


class TestList:
    def test_cursors_walk_every_user_once(self, api: ApiWorld) -> None:
        for number in range(7):
            create(api, f"person{number}@bijou-sa.fr")
        seen: list[int] = []
        cursor = None
        while True:
            query = f"/api/v1/users?limit=3{f'&cursor={cursor}' if cursor else ''}"
            page = api.call("GET", query).json()
            assert page["limit"] == 3 and len(page["items"]) <= 3
            seen += [user["id"] for user in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == len(set(seen)) == 7 and seen == sorted(seen)
        bad = api.call("GET", "/api/v1/users?cursor=bm90LWEtY3Vyc29y")
        assert bad.status_code == 422 and bad.json()["code"] == "invalid_cursor"

    def test_filters(self, api: ApiWorld) -> None:
        api.sage["A"].add(1, "linked@bijou-sa.fr", last_name="LIÉ")
        api.sync()
        create(api, "linked@bijou-sa.fr")
        create(api, "waiting@bijou-sa.fr", last_name="Attente")
        env = api.environments["A"]

        def emails(query: str) -> list[str]:
            return [u["email"] for u in api.call("GET", f"/api/v1/users?{query}").json()["items"]]

        assert emails("status=invited") == ["linked@bijou-sa.fr"]
        assert emails("status=pending_review") == ["waiting@bijou-sa.fr"]
        assert emails(f"environment_id={env}") == ["linked@bijou-sa.fr"]
        assert emails("q=ATTENTE") == ["waiting@bijou-sa.fr"]
        assert emails("role=admin") == []
        assert emails("q=100%25") == []
        invalid = api.call("GET", "/api/v1/users?status=boss")
        assert invalid.status_code == 422 and invalid.json()["errors"][0]["loc"][-1] == "status"


class TestUpdate:
    def test_disable_frees_a_seat_and_active_takes_it_back(self, api: ApiWorld) -> None:
        for co_no in range(1, 4):
            api.sage["A"].add(co_no, f"rep{co_no}@bijou-sa.fr")
        api.sync()
        ids = [create(api, f"rep{co_no}@bijou-sa.fr").json()["user"]["id"] for co_no in (1, 2, 3)]

        def seats_used() -> int:
            return int(api.call("GET", "/api/v1/licence").json()["seats_used"])

        assert seats_used() == 3
        disabled = api.call("PATCH", f"/api/v1/users/{ids[0]}", json={"status": "disabled"})
        assert disabled.status_code == 200 and disabled.json()["status"] == "disabled"
        assert seats_used() == 2
        api.call(
            "POST",
            "/api/v1/invitations",
            json={"people": [{"email": "new@bijou-sa.fr"}], "ssm_only": True},
        )
        refused = api.call("PATCH", f"/api/v1/users/{ids[0]}", json={"status": "active"})
        assert refused.status_code == 409 and refused.json()["code"] == "seats_exhausted"
        assert api.call("GET", f"/api/v1/users/{ids[0]}").json()["status"] == "disabled"
        api.call("PATCH", f"/api/v1/users/{ids[1]}", json={"status": "disabled"})
        back = api.call("PATCH", f"/api/v1/users/{ids[0]}", json={"status": "active"})
        assert back.status_code == 200 and back.json()["status"] == "invited"
        assert seats_used() == 3

    def test_the_role_changes_once_the_invitation_is_accepted(self, api: ApiWorld) -> None:
        user_id = api.call(
            "POST",
            "/api/v1/invitations",
            json={"people": [{"email": "lea@bijou-sa.fr"}], "ssm_only": True},
        ).json()["users"][0]["id"]
        early = api.call("PATCH", f"/api/v1/users/{user_id}", json={"role": "manager"})
        assert early.status_code == 409 and early.json()["code"] == "role_before_acceptance"
        with api.sessions.begin() as session:
            directory.mark_active(
                session, account_id=api.account_id, user_id=user_id, clock=api.clock
            )
        changed = api.call("PATCH", f"/api/v1/users/{user_id}", json={"role": "manager"})
        assert changed.status_code == 200 and changed.json()["role"] == "manager"
        assert api.call("PATCH", "/api/v1/users/99999", json={}).status_code == 404


class TestExplain:
    def test_explain_says_why_a_user_is_linked(self, api: ApiWorld) -> None:
        api.sage["A"].add(12, "lea@bijou-sa.fr", first_name="Léa", last_name="MARTIN")
        api.sync()
        user_id = create(api, "lea@bijou-sa.fr").json()["user"]["id"]
        explained = api.call("GET", f"/api/v1/users/{user_id}/explain").json()
        assert "collaborateur n° 12 (Léa MARTIN)" in explained["summary"]
        assert explained["links"][0]["co_no"] == 12
        assert [event["action"] for event in explained["history"]][-1] == "user.create"
