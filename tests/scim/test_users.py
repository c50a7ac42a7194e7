"""What scim2-tester does not check: rule 17, uniqueness, filters, seats, deletion, ETags, and
the shapes identity providers (Entra ID, Okta) really send."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from seatbridge.directory.models import UserStatus
from seatbridge.sync.models import ReviewCase
from tests.invitations.support import messages_to
from tests.scim.conftest import Scim

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def linked(scim: Scim, *people: tuple[int, str]) -> None:
    """Collaborators of company A, synced: users created with these e-mails are linked."""
    for co_no, email in people:
        scim.world.sage["A"].add(co_no, email, first_name=f"Prénom{co_no}", last_name="SAGE")
    scim.world.sync()


class TestRule17:
    def test_a_collaborator_s_address_is_linked_invited_and_welcomed(self, scim: Scim) -> None:
        linked(scim, (4, "lea@bijou-sa.fr"))
        created = scim.create(
            "Lea@Bijou-SA.fr",
            externalId="entra-1",
            name={"givenName": "Ignored", "familyName": "Ignored"},
            emails=[{"value": "lea@bijou-sa.fr", "type": "work", "primary": True}],
        )
        assert created.status_code == 201
        assert created.headers["content-type"].startswith("application/scim+json")
        body = created.json()
        assert body["active"] is True and body["externalId"] == "entra-1"
        assert body["userName"] == "Lea@Bijou-SA.fr"
        assert body["name"] == {"givenName": "Prénom4", "familyName": "SAGE"}  # rule 18
        assert created.headers["location"] == f"http://testserver/scim/v2/Users/{body['id']}"
        assert created.headers["etag"] == body["meta"]["version"]
        user = scim.world.user("lea@bijou-sa.fr")
        assert (user.status, user.source) == (UserStatus.INVITED.value, "scim")
        with scim.world.sessions() as session:
            assert len(messages_to(session, "lea@bijou-sa.fr")) == 1
        assert scim.seats_used() == 1

    def test_anyone_else_waits_for_review_holding_no_seat(self, scim: Scim) -> None:
        created = scim.create("bob@elsewhere.fr", name={"givenName": "Bob"})
        assert created.status_code == 201 and created.json()["active"] is False
        user = scim.world.user("bob@elsewhere.fr")
        assert user.status == UserStatus.PENDING_REVIEW.value
        with scim.world.sessions() as session:
            case = session.scalars(select(ReviewCase).where(ReviewCase.user_id == user.id)).one()
            assert (case.kind, case.status) == ("no_match", "open")
            assert messages_to(session, "bob@elsewhere.fr") == []
        assert scim.seats_used() == 0

    def test_an_address_is_needed(self, scim: Scim) -> None:
        refused = scim.create("not-an-address")
        assert refused.status_code == 400
        assert refused.json()["schemas"] == [ERROR]
        assert refused.json()["scimType"] == "invalidValue"
        assert "e-mail" in refused.json()["detail"]


class TestUniqueness:
    def test_duplicates_answer_409_uniqueness(self, scim: Scim) -> None:
        scim.create("ana@bijou-sa.fr")
        for user_name, emails in [
            ("ANA@bijou-sa.fr", None),  # userName is case-insensitive
            ("ana.other", [{"value": "Ana@Bijou-sa.fr"}]),  # someone else's address
        ]:
            payload = {"emails": emails} if emails else {}
            duplicate = scim.create(user_name, **payload)
            assert duplicate.status_code == 409, duplicate.text
            assert duplicate.json()["scimType"] == "uniqueness"
        assert scim.find('userName eq "ana@bijou-sa.fr"')["totalResults"] == 1

    def test_a_user_scim_never_saw_is_found_by_address_and_not_duplicated(self, scim: Scim) -> None:
        scim.world.call(
            "POST",
            "/api/v1/invitations",
            json={"people": [{"email": "zoe@bijou-sa.fr"}], "ssm_only": True},
        )
        found = scim.find('userName eq "ZOE@bijou-sa.fr"')
        assert found["totalResults"] == 1 and found["Resources"][0]["active"] is True
        duplicate = scim.create("zoe@bijou-sa.fr")
        assert duplicate.status_code == 409 and duplicate.json()["scimType"] == "uniqueness"


class TestFilters:
    def test_equality_filters_and_paging(self, scim: Scim) -> None:
        for n in range(5):
            scim.create(f"user{n}@bijou-sa.fr", externalId=f"ext-{n}")
        assert scim.find('userName eq "USER3@BIJOU-SA.FR"')["Resources"][0]["externalId"] == "ext-3"
        assert scim.find('emails.value eq "user1@bijou-sa.fr"')["totalResults"] == 1
        assert (
            scim.find('externalId eq "ext-4" and userName eq "user4@bijou-sa.fr"')["totalResults"]
            == 1
        )
        assert scim.find('externalId eq "EXT-4"')["totalResults"] == 0  # externalId is caseExact
        assert scim.find('userName eq "nobody@bijou-sa.fr"') == {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": 0,
            "startIndex": 1,
            "itemsPerPage": 0,
            "Resources": [],
        }
        page = scim.request("GET", "/Users", params={"startIndex": 2, "count": 2}).json()
        assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (5, 2, 2)
        assert [r["userName"] for r in page["Resources"]] == [
            "user1@bijou-sa.fr",
            "user2@bijou-sa.fr",
        ]

    def test_unsupported_filters_answer_invalid_filter(self, scim: Scim) -> None:
        for scim_filter in (
            'phoneNumbers eq "x"',
            'addresses[type eq "work"].locality eq "Paris"',
            'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "1"',
            "userName eq",
            "userName eq true",
            'active gt "true"',
            'meta.created gt "yesterday"',
            "not (" * 30 + 'userName eq "a"' + ")" * 30,
            "userName eq " + '"' + "x" * 1000 + '"',
        ):
            response = scim.request("GET", "/Users", params={"filter": scim_filter})
            assert response.status_code == 400, scim_filter
            assert response.json()["scimType"] == "invalidFilter"


class TestNotFound:
    @pytest.mark.parametrize("user_id", ["999999", "abc", "99999999999999999999"])
    def test_unknown_users_answer_404(self, scim: Scim, user_id: str) -> None:
        for method in ("GET", "DELETE"):
            response = scim.request(method, f"/Users/{user_id}")
            assert response.status_code == 404 and response.json()["schemas"] == [ERROR]
        assert (
            scim.patch(user_id, {"op": "replace", "path": "active", "value": False}).status_code
            == 404
        )


class TestRepresentation:
    def test_lists_show_what_get_shows(self, scim: Scim) -> None:
        linked(scim, (1, "lea@bijou-sa.fr"))
        scim.create("Lea@Bijou-SA.fr", externalId="e-1")
        scim.create("jdoe", emails=[{"value": "john@elsewhere.fr", "type": "home"}])
        listed = scim.request("GET", "/Users").json()["Resources"]
        assert len(listed) == 2
        for resource in listed:
            one = scim.get(resource["id"])
            assert one.json() == resource
            assert one.headers["ETag"] == resource["meta"]["version"]

    def test_the_fast_representation_is_the_models_one(self) -> None:
        """Lists build the JSON straight from the rows; it must be what scim2-models writes."""
        import datetime as dt

        from scim2_models import Context

        from seatbridge.apikeys.scim import ScimIdentity
        from seatbridge.directory.models import User
        from seatbridge.web.scim.mapping import representation, to_resource
        from seatbridge.web.scim.views import ScimView

        moment = dt.datetime(2026, 12, 4, 20, 50, 1, 123456, tzinfo=dt.UTC)
        user = User(
            id=7,
            account_id=1,
            email="Lea@Bijou-SA.fr",
            email_normalized="lea@bijou-sa.fr",
            first_name="Léa",
            last_name=None,
            function="Directrice",
            status="active",
            created_at=moment,
            updated_at=moment + dt.timedelta(seconds=1),
        )
        identity = ScimIdentity(
            user_id=7,
            user_name="LEA",
            external_id="x-1",
            email_type="other",
            email_primary=False,
            updated_at=moment + dt.timedelta(seconds=2, microseconds=5),
        )
        for view in (
            ScimView(user=user, identity=identity, linked=False),
            ScimView(user=user, identity=None, linked=True),
        ):
            fast = representation(view, base_url="https://sb.example/scim/v2")
            slow = to_resource(view, base_url="https://sb.example/scim/v2")
            assert fast == slow.model_dump(scim_ctx=Context.SEARCH_RESPONSE)
