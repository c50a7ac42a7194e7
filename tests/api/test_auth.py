"""Bearer keys on /api/v1: 401 without a live key, 403 outside the key's scope, no cookies."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from seatbridge.apikeys import service as apikeys
from seatbridge.apikeys.models import ApiKey
from seatbridge.auth.sessions import open_session
from seatbridge.directory import service as directory
from seatbridge.directory.service import NewUser
from seatbridge.web.state import SESSION_COOKIE
from tests.api.world import ApiWorld
from tests.support.people import invite_ssm_only


class TestUnauthenticated:
    def test_without_a_live_key_the_answer_is_401(self, api: ApiWorld) -> None:
        for authorization in (None, "Bearer nope", "Basic dXNlcjpwYXNz", "Bearer sbk_0_0"):
            headers = {"Authorization": authorization} if authorization else {}
            response = api.client.get("/api/v1/users", headers=headers)
            assert response.status_code == 401, authorization
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["www-authenticate"].startswith("Bearer")
            problem = response.json()
            assert problem["type"] == "https://seatbridge.dev/problems/api_key_rejected"
            assert problem["status"] == 401 and "Authorization: Bearer" in problem["detail"]

    def test_a_revoked_key_is_refused(self, api: ApiWorld) -> None:
        token = api.token("read")
        assert api.call("GET", "/api/v1/licence", scope="read").status_code == 200
        with api.sessions.begin() as session:
            apikeys.revoke_key(
                session,
                account_id=api.account_id,
                key_id=token.split("_")[1],
                actor="admin",
                clock=api.clock,
            )
        assert api.call("GET", "/api/v1/licence", scope="read").status_code == 401

    def test_a_signed_in_browser_session_is_no_key(self, api: ApiWorld) -> None:
        with api.sessions.begin() as session:
            (user,) = invite_ssm_only(
                session,
                account_id=api.account_id,
                people=[NewUser(email="patron@bijou-sa.fr")],
                actor="test",
                clock=api.clock,
                settings=api.settings,
            )
            directory.mark_active(
                session, account_id=api.account_id, user_id=user.id, clock=api.clock
            )
            raw = open_session(session, user=user, clock=api.clock, settings=api.settings.auth)
        api.client.cookies.set(SESSION_COOKIE, raw)
        assert api.client.get("/").status_code == 200  # the browser is signed in
        assert api.client.get("/api/v1/users").status_code == 401
        assert api.client.get("/scim/v2/Users").status_code == 401

    def test_no_csrf_cookie_nor_token_on_the_api(self, api: ApiWorld) -> None:
        response = api.call("POST", "/api/v1/users", json={"email": "ana@bijou-sa.fr"})
        assert response.status_code == 201
        assert "set-cookie" not in response.headers
        assert response.headers["x-content-type-options"] == "nosniff"


class TestScopes:
    def test_a_read_key_reads_and_cannot_write(self, api: ApiWorld) -> None:
        assert api.call("GET", "/api/v1/users", scope="read").status_code == 200
        for method, path, body in [
            ("POST", "/api/v1/users", {"email": "a@b.fr"}),
            ("POST", "/api/v1/invitations", {"people": [{"email": "a@b.fr"}]}),
            ("POST", f"/api/v1/environments/{api.environments['A']}/syncs", {}),
        ]:
            response = api.call(method, path, scope="read", json=body)
            assert response.status_code == 403, path
            assert response.json()["code"] == "scope_denied"
        assert api.call("GET", "/api/v1/users", scope="read").json()["items"] == []

    def test_a_connector_key_reaches_only_its_environment(self, api: ApiWorld) -> None:
        with api.sessions.begin() as session:
            from seatbridge.accounts.models import Account
            from tests.support.factories import make_environment

            other = make_environment(session, session.get_one(Account, api.account_id), "B")
            other_id = other.id
        mine = api.environments["A"]
        scope = f"connector:{mine}"
        assert api.call("GET", f"/api/v1/environments/{mine}", scope=scope).status_code == 200
        runs = api.call("GET", f"/api/v1/environments/{mine}/syncs", scope=scope)
        assert runs.status_code == 200
        for path in (
            f"/api/v1/environments/{other_id}",
            f"/api/v1/environments/{other_id}/syncs",
            "/api/v1/environments",
            "/api/v1/users",
            "/api/v1/licence",
            "/api/v1/audit",
        ):
            assert api.call("GET", path, scope=scope).status_code == 403, path

    def test_scim_and_api_keys_do_not_cross(self, api: ApiWorld) -> None:
        assert api.call("GET", "/api/v1/licence", scope="scim").status_code == 403
        assert api.call("GET", "/scim/v2/Users", scope="admin").status_code == 403
        assert api.call("GET", "/scim/v2/Users", scope="scim").status_code == 200


class TestLastUse:
    def test_each_key_records_its_last_use(self, api: ApiWorld) -> None:
        api.call("GET", "/api/v1/licence", scope="read")
        first = api.clock.current
        api.clock.advance(dt.timedelta(seconds=20))
        api.call("GET", "/api/v1/licence", scope="read")
        with api.sessions() as session:
            assert session.scalars(select(ApiKey.last_used_at)).one() == first
        api.clock.advance(dt.timedelta(minutes=2))
        api.call("GET", "/api/v1/licence", scope="read")
        with api.sessions() as session:
            assert session.scalars(select(ApiKey.last_used_at)).one() == api.clock.current
