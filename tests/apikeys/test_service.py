"""API keys as a service: shown once, stored hashed, scoped, revocable, last use recorded."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.errors import EnvironmentNotFound
from seatbridge.apikeys import errors
from seatbridge.apikeys import service as apikeys
from seatbridge.apikeys.models import ApiKey
from seatbridge.apikeys.scopes import Access, Scope, ScopeKind, parse_scope
from seatbridge.apikeys.tokens import hash_secret, parse_token
from seatbridge.audit.models import AuditEvent
from tests.support.factories import clock, make_account, make_environment


def issue(sessions: sessionmaker[Session], scope: str = "admin") -> tuple[int, str]:
    with sessions.begin() as session:
        account = make_account(session)
        issued = apikeys.create_key(
            session,
            account_id=account.id,
            name="Entra ID",
            scope=scope,
            actor="admin",
            clock=clock(),
        )
        return account.id, issued.token


class TestCreate:
    def test_the_token_is_shown_once_and_only_its_hash_is_stored(
        self, sessions: sessionmaker[Session]
    ) -> None:
        _, token = issue(sessions)
        parsed = parse_token(token)
        assert parsed is not None and token.startswith(f"sbk_{parsed.public_id}_")
        with sessions() as session:
            key = session.scalars(select(ApiKey)).one()
            assert key.secret_hash == hash_secret(parsed.secret)
            dumped = " ".join(
                str(value)
                for table in ("api_key", "audit_event")
                for row in session.execute(text(f"SELECT * FROM {table}"))
                for value in row
            )
        assert parsed.secret not in dumped and token not in dumped

    def test_each_key_gets_its_own_secret(self, sessions: sessionmaker[Session]) -> None:
        assert issue(sessions)[1] != issue(sessions)[1]

    def test_unknown_scopes_are_refused(self, sessions: sessionmaker[Session]) -> None:
        for scope in ("owner", "connector", "connector:x", "read:1", ""):
            with pytest.raises(errors.InvalidScope) as refused:
                issue(sessions, scope)
            assert "admin, read, scim" in refused.value.message("en")

    def test_a_connector_key_names_an_environment_of_its_account(
        self, sessions: sessionmaker[Session]
    ) -> None:
        with sessions.begin() as session:
            mine, theirs = make_account(session), make_account(session)
            other = make_environment(session, theirs, "B")
            with pytest.raises(EnvironmentNotFound):
                apikeys.create_key(
                    session,
                    account_id=mine.id,
                    name="connector",
                    scope=f"connector:{other.id}",
                    actor="admin",
                    clock=clock(),
                )

    def test_a_key_needs_a_name(self, sessions: sessionmaker[Session]) -> None:
        with sessions.begin() as session, pytest.raises(errors.InvalidKeyName):
            apikeys.create_key(
                session,
                account_id=make_account(session).id,
                name="   ",
                scope="read",
                actor="admin",
                clock=clock(),
            )


class TestAuthenticate:
    def test_a_live_key_names_its_account_and_scope(self, sessions: sessionmaker[Session]) -> None:
        account_id, token = issue(sessions, "read")
        with sessions.begin() as session:
            caller = apikeys.authenticate(session, token=token, clock=clock())
        assert (caller.account_id, caller.scope) == (account_id, Scope(ScopeKind.READ))
        assert caller.public_id in caller.actor and token not in caller.actor

    def test_anything_else_is_refused_the_same_way(self, sessions: sessionmaker[Session]) -> None:
        _, token = issue(sessions)
        prefix, public_id, secret = token.split("_", 2)
        other_secret = secret[:-1] + ("A" if secret[-1] != "A" else "B")
        for forged in (
            f"{prefix}_{public_id}_{other_secret}",
            f"{prefix}_000000000000_{secret}",
            f"xyz_{public_id}_{secret}",
            "",
            token + "x" * 300,
        ):
            with sessions.begin() as session, pytest.raises(errors.ApiKeyRejected):
                apikeys.authenticate(session, token=forged, clock=clock())

    def test_a_revoked_key_is_refused(self, sessions: sessionmaker[Session]) -> None:
        account_id, token = issue(sessions)
        key_id = token.split("_")[1]
        with sessions.begin() as session:
            revoked = apikeys.revoke_key(
                session, account_id=account_id, key_id=key_id, actor="admin", clock=clock()
            )
            again = apikeys.revoke_key(
                session, account_id=account_id, key_id=key_id, actor="admin", clock=clock()
            )
            assert revoked.revoked_at == again.revoked_at is not None
        with sessions.begin() as session, pytest.raises(errors.ApiKeyRejected):
            apikeys.authenticate(session, token=token, clock=clock())
        with sessions() as session:
            actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions == ["api_key.create", "api_key.revoke"]

    def test_last_use_is_recorded_at_most_once_a_minute(
        self, sessions: sessionmaker[Session]
    ) -> None:
        _, token = issue(sessions)
        now = clock()
        seen = []
        for step in (0, 30, 59, 61, 90, 125):
            moment = now.current + dt.timedelta(seconds=step)
            with sessions.begin() as session:
                apikeys.authenticate(session, token=token, clock=type(now)(moment))
            with sessions() as session:
                seen.append(session.scalars(select(ApiKey.last_used_at)).one())
        first = now.current
        after_61, after_125 = first + dt.timedelta(seconds=61), first + dt.timedelta(seconds=125)
        assert seen == [first, first, first, after_61, after_61, after_125]

    def test_the_token_never_reaches_the_logs(
        self, sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG)
        _, token = issue(sessions)
        with sessions.begin() as session:
            apikeys.authenticate(session, token=token, clock=clock())
        assert token.split("_", 2)[2] not in caplog.text


class TestRevokeAndList:
    def test_keys_of_another_account_are_not_found(self, sessions: sessionmaker[Session]) -> None:
        _, token = issue(sessions)
        other_account, _ = issue(sessions)
        with sessions.begin() as session:
            assert len(apikeys.list_keys(session, account_id=other_account)) == 1
            with pytest.raises(errors.ApiKeyNotFound):
                apikeys.revoke_key(
                    session,
                    account_id=other_account,
                    key_id=token.split("_")[1],
                    actor="admin",
                    clock=clock(),
                )


class TestScopes:
    @pytest.mark.parametrize(
        ("scope", "access", "environment_id", "allowed"),
        [
            ("admin", Access.READ, None, True),
            ("admin", Access.WRITE, 7, True),
            ("admin", Access.SCIM, None, False),
            ("read", Access.READ, 7, True),
            ("read", Access.WRITE, None, False),
            ("scim", Access.SCIM, None, True),
            ("scim", Access.READ, None, False),
            ("connector:7", Access.WRITE, 7, True),
            ("connector:7", Access.READ, 8, False),
            ("connector:7", Access.READ, None, False),
            ("connector:7", Access.SCIM, 7, False),
        ],
    )
    def test_what_each_scope_allows(
        self, scope: str, access: Access, environment_id: int | None, allowed: bool
    ) -> None:
        parsed = parse_scope(scope)
        assert str(parsed) == scope
        assert parsed.allows(access, environment_id=environment_id) is allowed
        if not allowed:
            with pytest.raises(errors.ScopeDenied):
                parsed.require(access, environment_id=environment_id)
