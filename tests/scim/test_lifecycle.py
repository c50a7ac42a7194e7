"""`active`, DELETE and ETags: seats move as in the admin screens, and concurrent writers are
caught by If-Match."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.directory.models import UserStatus
from seatbridge.web import create_app
from tests.api.world import make_world
from tests.scim.conftest import USER_SCHEMA, Scim
from tests.scim.test_users import linked

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
DEACTIVATE_SHAPES: list[dict[str, Any]] = [
    {"op": "replace", "path": "active", "value": False},
    {"op": "Replace", "path": "active", "value": "False"},  # Entra ID
    {"op": "Replace", "value": {"active": False}},  # Entra ID, no path
    {"op": "replace", "value": {"active": "False", "externalId": "x"}},
]


class TestActive:
    def test_deactivating_frees_the_seat_in_every_shape(self, scim: Scim) -> None:
        linked(scim, (1, "lea@bijou-sa.fr"))
        user_id = scim.create("lea@bijou-sa.fr").json()["id"]
        for operation in DEACTIVATE_SHAPES:
            assert scim.seats_used() == 1
            response = scim.patch(user_id, operation)
            assert response.status_code == 200 and response.json()["active"] is False
            assert scim.seats_used() == 0
            assert scim.world.user("lea@bijou-sa.fr").status == UserStatus.DISABLED.value
            back = scim.patch(user_id, {"op": "Replace", "value": {"active": "True"}})
            assert back.json()["active"] is True

    def test_reactivating_takes_a_seat_or_says_none_is_free(self, scim: Scim) -> None:
        linked(scim, (1, "a@bijou-sa.fr"), (2, "b@bijou-sa.fr"), (3, "c@bijou-sa.fr"))
        first, second = (scim.create(f"{x}@bijou-sa.fr").json()["id"] for x in "ab")
        scim.patch(first, {"op": "replace", "path": "active", "value": False})
        scim.create("c@bijou-sa.fr")
        assert scim.seats_used() == 2
        refused = scim.patch(
            first,
            {"op": "replace", "path": "active", "value": True},
            headers={"Accept-Language": "en"},
        )
        assert refused.status_code == 403
        assert "0 free of 2" in refused.json()["detail"]
        assert scim.get(first).json()["active"] is False
        scim.patch(second, {"op": "replace", "value": {"active": False}})
        back = scim.patch(first, {"op": "replace", "path": "active", "value": True})
        assert back.status_code == 200 and back.json()["active"] is True
        assert scim.world.user("a@bijou-sa.fr").status == UserStatus.INVITED.value

    def test_seat_exhaustion_on_creation(self, scim: Scim) -> None:
        linked(scim, *[(n, f"rep{n}@bijou-sa.fr") for n in range(1, 4)])
        scim.create("rep1@bijou-sa.fr")
        scim.create("rep2@bijou-sa.fr")
        refused = scim.create("rep3@bijou-sa.fr")
        assert refused.status_code == 403
        assert (
            "licence" in refused.json()["detail"]
            and "0 licence(s) libre(s)" in (refused.json()["detail"])
        )
        assert scim.find('userName eq "rep3@bijou-sa.fr"')["totalResults"] == 0

    def test_a_user_awaiting_review_stays_so(self, scim: Scim) -> None:
        user_id = scim.create("bob@elsewhere.fr").json()["id"]
        renamed = scim.patch(user_id, {"op": "replace", "path": "name.givenName", "value": "Bob"})
        assert renamed.status_code == 200 and renamed.json()["name"] == {"givenName": "Bob"}
        # PATCH naming `active` is answered explicitly: the user awaits an administrator.
        for operation in (
            {"op": "replace", "path": "active", "value": True},
            {"op": "Replace", "value": {"active": "True"}},  # Entra ID
        ):
            asked = scim.patch(user_id, operation)
            assert asked.status_code == 403, asked.text
            assert asked.json()["schemas"] == [ERROR]
            detail = asked.json()["detail"]
            assert "attend la vérification d'un administrateur" in detail
            assert "awaits verification by an SSM administrator" in detail  # no Accept-Language
        english = scim.patch(
            user_id,
            {"op": "replace", "path": "active", "value": True},
            headers={"Accept-Language": "en"},
        )
        assert english.json()["detail"].startswith("bob@elsewhere.fr awaits verification")
        assert scim.world.user("bob@elsewhere.fr").status == UserStatus.PENDING_REVIEW.value
        # A PUT (Okta sends active: true with every update) changes the profile, not the status.
        put = scim.request(
            "PUT",
            f"/Users/{user_id}",
            json={
                "schemas": [USER_SCHEMA],
                "userName": "bob@elsewhere.fr",
                "active": True,
                "name": {"givenName": "Robert"},
            },
        )
        assert put.status_code == 200 and put.json()["active"] is False
        assert put.json()["name"] == {"givenName": "Robert"}
        scim.patch(user_id, {"op": "replace", "path": "active", "value": False})
        assert scim.world.user("bob@elsewhere.fr").status == UserStatus.DISABLED.value
        again = scim.patch(user_id, {"op": "replace", "path": "active", "value": True})
        assert again.status_code == 403
        assert scim.world.user("bob@elsewhere.fr").status == UserStatus.DISABLED.value
        assert scim.seats_used() == 0

    def test_a_seat_refusal_reads_in_both_languages_in_the_idp_s_log(self, scim: Scim) -> None:
        linked(scim, *[(n, f"rep{n}@bijou-sa.fr") for n in range(1, 4)])
        scim.create("rep1@bijou-sa.fr")
        scim.create("rep2@bijou-sa.fr")
        refused = scim.create("rep3@bijou-sa.fr")  # no Accept-Language, as Entra and Okta
        assert refused.status_code == 403
        body = refused.json()
        assert body["schemas"] == [ERROR] and body["status"] == "403"
        assert "scimType" not in body  # RFC 7644 §3.12 has none for a licence limit
        assert "0 licence(s) libre(s) sur 2" in body["detail"]
        assert "0 free of 2" in body["detail"] and "| EN: " in body["detail"]


class TestUrls:
    def test_locations_come_from_the_request_when_no_base_url_is_set(
        self, engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        world = make_world(engine, sessions, tmp_path)
        settings = world.settings.model_copy()
        settings.__pydantic_fields_set__.discard("base_url")
        behind = TestClient(
            create_app(
                settings.model_copy(update={"forwarded_allow_ips": "10.0.0.5"}),
                engine=engine,
                clock=world.clock,
            ),
            base_url="http://sb.internal:8000",
            client=("10.0.0.5", 50000),
        )
        proxy = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "ssm.client.fr",
            "X-Forwarded-Prefix": "/seatbridge",
        }
        created = behind.post(
            "/scim/v2/Users",
            json={"schemas": [USER_SCHEMA], "userName": "ana@elsewhere.fr"},
            headers=world.headers("scim") | proxy,
        )
        assert created.status_code == 201, created.text
        location = f"https://ssm.client.fr/seatbridge/scim/v2/Users/{created.json()['id']}"
        assert created.json()["meta"]["location"] == location
        assert created.headers["Location"] == location
        # Without the proxy's headers: the request's own host.
        direct = behind.get("/scim/v2/Users", headers=world.headers("scim")).json()
        assert direct["Resources"][0]["meta"]["location"].startswith(
            "http://sb.internal:8000/scim/v2/Users/"
        )
        # Anyone else's X-Forwarded-* is ignored.
        stranger = TestClient(behind.app, base_url="http://sb.internal:8000")
        spoofed = stranger.get("/scim/v2/Users", headers=world.headers("scim") | proxy).json()[
            "Resources"
        ][0]["meta"]["location"]
        assert spoofed.startswith("http://sb.internal:8000/scim/v2/Users/")
        # A configured base URL wins.
        configured = scim_location(world.client, world.headers("scim") | proxy)
        assert configured.startswith("http://testserver/scim/v2/Users/")


def scim_location(client: TestClient, headers: dict[str, str]) -> str:
    found = client.get("/scim/v2/Users", headers=headers).json()["Resources"][0]
    return str(found["meta"]["location"])


class TestDelete:
    def test_delete_disables_frees_the_seat_and_hides_until_recreated(self, scim: Scim) -> None:
        linked(scim, (1, "lea@bijou-sa.fr"))
        user_id = scim.create("lea@bijou-sa.fr", externalId="e-1").json()["id"]
        assert scim.request("DELETE", f"/Users/{user_id}").status_code == 204
        assert scim.seats_used() == 0
        assert scim.get(user_id).status_code == 404
        assert scim.find('userName eq "lea@bijou-sa.fr"')["totalResults"] == 0
        kept = scim.world.call("GET", f"/api/v1/users/{user_id}").json()
        assert kept["status"] == "disabled" and kept["links"]  # history and links kept
        again = scim.create("lea@bijou-sa.fr", externalId="e-2")
        assert again.status_code == 201
        assert (again.json()["id"], again.json()["active"]) == (user_id, True)
        assert again.json()["externalId"] == "e-2" and scim.seats_used() == 1


class TestRules:
    def test_sage_100_masters_the_details_of_linked_users(self, scim: Scim) -> None:
        linked(scim, (1, "lea@bijou-sa.fr"))
        user_id = scim.create("lea@bijou-sa.fr").json()["id"]
        response = scim.patch(
            user_id,
            {"op": "replace", "path": "name.familyName", "value": "Autre"},
            {"op": "replace", "path": "title", "value": "Directrice"},
            {"op": "replace", "path": "externalId", "value": "e-9"},
        )
        body = response.json()
        assert body["name"]["familyName"] == "SAGE" and "title" not in body
        assert body["externalId"] == "e-9"

    def test_unlinked_users_take_the_identity_provider_s_details(self, scim: Scim) -> None:
        user_id = scim.create("bob@elsewhere.fr").json()["id"]
        replaced = scim.request(
            "PUT",
            f"/Users/{user_id}",
            json={
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": "robert",
                "title": "Commercial",
                "emails": [{"value": "robert@elsewhere.fr", "type": "work", "primary": True}],
            },
        )
        assert replaced.status_code == 200
        body = replaced.json()
        assert (body["userName"], body["title"]) == ("robert", "Commercial")
        assert body["emails"] == [{"value": "robert@elsewhere.fr", "type": "work", "primary": True}]
        assert body["active"] is False  # omitted: the status is left as it was
        assert scim.world.user("robert@elsewhere.fr").id == int(user_id)

    def test_required_attributes_cannot_be_removed(self, scim: Scim) -> None:
        user_id = scim.create("bob@elsewhere.fr").json()["id"]
        for path in ("emails", "userName", "active"):
            response = scim.patch(user_id, {"op": "remove", "path": path})
            assert response.status_code == 400, path
            assert response.json()["scimType"] == "mutability"


class TestETags:
    def test_if_match_guards_writes_and_if_none_match_saves_reads(self, scim: Scim) -> None:
        user_id = scim.create("bob@elsewhere.fr").json()["id"]
        current = scim.get(user_id)
        version = current.headers["etag"]
        assert version.startswith('W/"') and current.json()["meta"]["version"] == version
        stale = scim.patch(
            user_id,
            {"op": "replace", "path": "title", "value": "x"},
            headers={"If-Match": 'W/"stale"'},
        )
        assert stale.status_code == 412 and stale.json()["schemas"] == [
            "urn:ietf:params:scim:api:messages:2.0:Error"
        ]
        fresh = scim.patch(
            user_id,
            {"op": "replace", "path": "title", "value": "x"},
            headers={"If-Match": version},
        )
        assert fresh.status_code == 200 and fresh.headers["etag"] != version
        deleted = scim.request("DELETE", f"/Users/{user_id}", headers={"If-Match": version})
        assert deleted.status_code == 412
        unchanged = scim.request(
            "GET", f"/Users/{user_id}", headers={"If-None-Match": fresh.headers["etag"]}
        )
        assert unchanged.status_code == 304
