"""Sign-in: one argon2 verification on every path, throttling, access rules, sessions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Account
from seatbridge.auth import errors
from seatbridge.auth.models import WebSession
from seatbridge.auth.passwords import Passwords
from seatbridge.auth.sessions import resolve_session
from seatbridge.auth.signin import SignInResult, sign_in
from seatbridge.clock import FixedClock
from seatbridge.config import Settings
from seatbridge.directory import service as directory
from seatbridge.directory.models import Role, User
from seatbridge.invitations.links import consume
from tests.auth.spy import counting
from tests.invitations.support import invite, latest_token, make_settings
from tests.support.factories import TODAY, clock, make_account

PASSWORD = "Trombone-cheval-lune-42"


def active_user(
    sessions: sessionmaker[Session],
    settings: Settings,
    now: FixedClock,
    email: str = "lea@bijou-sa.fr",
    **account_options: object,
) -> User:
    invite(sessions, settings, now, email, **account_options)
    with sessions.begin() as session:
        return consume(
            session,
            raw_token=latest_token(sessions, email),
            password=PASSWORD,
            clock=now,
            settings=settings,
            passwords=Passwords(settings.auth),
        )


def attempt(
    sessions: sessionmaker[Session],
    settings: Settings,
    now: FixedClock,
    email: str = "lea@bijou-sa.fr",
    password: str = PASSWORD,
    passwords: Passwords | None = None,
    address: str = "10.0.0.1",
) -> SignInResult:
    return sign_in(
        sessions,
        email=email,
        password=password,
        client_address=address,
        clock=now,
        settings=settings.auth,
        passwords=passwords or Passwords(settings.auth),
    )


class TestSignIn:
    def test_active_user_gets_a_session(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings, now = make_settings(tmp_path), clock()
        user = active_user(sessions, settings, now)
        result = attempt(sessions, settings, now, email=" LEA@Bijou-SA.fr ")
        assert result.user.id == user.id
        with sessions.begin() as session:
            row = session.scalars(select(WebSession)).one()
            assert row.token_hash != result.session_token  # only the hash is stored
            found = resolve_session(
                session, raw_token=result.session_token, clock=now, settings=settings.auth
            )
            assert found is not None and found.user.id == user.id

    def test_unknown_and_known_emails_both_verify_one_argon2_hash(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings, now = make_settings(tmp_path), clock()
        active_user(sessions, settings, now)
        for email in ("lea@bijou-sa.fr", "nobody@bijou-sa.fr"):
            passwords = Passwords(settings.auth)
            hasher = counting(passwords)
            with pytest.raises(errors.SignInFailed):
                attempt(
                    sessions,
                    settings,
                    now,
                    email=email,
                    password="wrong-password-1",
                    passwords=passwords,
                )
            assert len(hasher.verified) == 1 and hasher.verified[0].startswith("$argon2id$")

    def test_invited_user_without_password_fails_like_a_wrong_password(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings, now = make_settings(tmp_path), clock()
        invite(sessions, settings, now, "lea@bijou-sa.fr")
        passwords = Passwords(settings.auth)
        hasher = counting(passwords)
        with pytest.raises(errors.SignInFailed):
            attempt(sessions, settings, now, passwords=passwords)
        assert len(hasher.verified) == 1

    def test_rehash_on_sign_in_when_parameters_change(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings, now = make_settings(tmp_path), clock()
        user = active_user(sessions, settings, now)
        stronger = make_settings(tmp_path, auth={"hash_time_cost": 2})
        attempt(sessions, stronger, now)
        with sessions() as session:
            new_hash = session.get_one(User, user.id).password_hash
        assert new_hash != user.password_hash and new_hash and "t=2" in new_hash
        attempt(sessions, stronger, now)  # the new hash works, and needs no further rehash
        with sessions() as session:
            assert session.get_one(User, user.id).password_hash == new_hash


class TestThrottling:
    def test_five_free_attempts_then_exponential_delays_not_a_lock_out(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings, now = make_settings(tmp_path), clock()
        active_user(sessions, settings, now)
        for _ in range(5):
            with pytest.raises(errors.SignInFailed):
                attempt(sessions, settings, now, password="wrong-password-1")
        with pytest.raises(errors.SignInThrottled) as throttled:
            attempt(sessions, settings, now)  # even the right password waits
        assert throttled.value.params["seconds"] == 1
        assert "réessayez dans 1 s" in str(throttled.value)
        assert "try again in 1 s" in throttled.value.message("en")
        waits = []
        for _ in range(4):  # each further failure doubles the wait: 1, 2, 4, 8 s
            now.advance(dt.timedelta(seconds=waits[-1] if waits else 1))
            with pytest.raises(errors.SignInFailed):
                attempt(sessions, settings, now, password="wrong-password-1")
            with pytest.raises(errors.SignInThrottled) as throttled:
                attempt(sessions, settings, now)
            waits.append(throttled.value.params["seconds"])
        assert waits == [2, 4, 8, 16]
        now.advance(dt.timedelta(seconds=16))
        attempt(sessions, settings, now)  # the person gets in: minutes, not a 15-minute lock

    def test_the_delays_are_capped_and_forgotten_after_a_day(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path, auth={"throttle_max_seconds": 60})
        now = clock()
        active_user(sessions, settings, now)
        for _ in range(12):
            now.advance(dt.timedelta(minutes=2))
            with pytest.raises(errors.SignInFailed):
                attempt(sessions, settings, now, password="wrong-password-1")
        with pytest.raises(errors.SignInThrottled) as throttled:
            attempt(sessions, settings, now)
        assert throttled.value.params["seconds"] == 60
        now.advance(dt.timedelta(hours=24))
        for _ in range(4):  # forgotten: free attempts again
            with pytest.raises(errors.SignInFailed):
                attempt(sessions, settings, now, password="wrong-password-1")

    def test_one_address_trying_many_emails_is_throttled(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path, auth={"max_failures_per_address": 3})
        now = clock()
        for i in range(3):
            with pytest.raises(errors.SignInFailed):
                attempt(sessions, settings, now, email=f"guess{i}@bijou-sa.fr")
        with pytest.raises(errors.SignInThrottled):
            attempt(sessions, settings, now, email="another@bijou-sa.fr")
        with pytest.raises(errors.SignInFailed):  # another address is not affected
            attempt(sessions, settings, now, email="another@bijou-sa.fr", address="10.0.0.2")

    def test_a_colleague_behind_the_same_nat_is_not_locked_out(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings, now = make_settings(tmp_path), clock()
        active_user(sessions, settings, now, email="lea@bijou-sa.fr")
        for _ in range(8):  # someone keeps mistyping their own password from the office
            now.advance(dt.timedelta(seconds=300))
            with pytest.raises(errors.SignInFailed):
                attempt(sessions, settings, now, email="paul@bijou-sa.fr")
        attempt(sessions, settings, now, email="lea@bijou-sa.fr")  # same address, no wait

    def test_many_addresses_guessing_one_account_are_slowed_down(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path, auth={"max_failures_per_account": 10})
        now = clock()
        active_user(sessions, settings, now)
        for i in range(10):
            with pytest.raises(errors.SignInFailed):
                attempt(sessions, settings, now, password="wrong-1", address=f"10.1.0.{i}")
        with pytest.raises(errors.SignInThrottled):
            attempt(sessions, settings, now, address="10.2.0.1")

    def test_success_clears_the_email_count(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings, now = make_settings(tmp_path), clock()
        active_user(sessions, settings, now)
        for _ in range(4):
            with pytest.raises(errors.SignInFailed):
                attempt(sessions, settings, now, password="wrong-password-1")
        attempt(sessions, settings, now)
        for _ in range(5):  # counting restarts at one: five free attempts again
            with pytest.raises(errors.SignInFailed):
                attempt(sessions, settings, now, password="wrong-password-1")


class TestAccess:
    def test_disabled_user_is_told_once_the_password_is_right(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings, now = make_settings(tmp_path), clock()
        user = active_user(sessions, settings, now)
        with sessions.begin() as session:
            directory.deactivate_users(
                session, account_id=user.account_id, user_ids=[user.id], actor="a", clock=now
            )
        with pytest.raises(errors.UserDisabled):
            attempt(sessions, settings, now)

    def test_disabling_ends_sessions_at_once_and_for_good(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings, now = make_settings(tmp_path), clock()
        user = active_user(sessions, settings, now)
        token = attempt(sessions, settings, now).session_token
        now.advance(dt.timedelta(minutes=1))
        with sessions.begin() as session:
            directory.deactivate_users(
                session, account_id=user.account_id, user_ids=[user.id], actor="a", clock=now
            )
        with sessions.begin() as session:
            directory.reactivate_users(
                session, account_id=user.account_id, user_ids=[user.id], actor="a", clock=now
            )
        with sessions.begin() as session:
            assert (
                resolve_session(session, raw_token=token, clock=now, settings=settings.auth) is None
            )
            assert session.scalar(select(func.count()).select_from(WebSession)) == 0

    def test_idle_sessions_expire(self, sessions: sessionmaker[Session], tmp_path: Path) -> None:
        settings, now = make_settings(tmp_path), clock()
        active_user(sessions, settings, now)
        token = attempt(sessions, settings, now).session_token
        now.advance(dt.timedelta(minutes=119))
        with sessions.begin() as session:
            assert resolve_session(session, raw_token=token, clock=now, settings=settings.auth)
        now.advance(dt.timedelta(minutes=119))  # seen 119 minutes ago: still alive
        with sessions.begin() as session:
            assert resolve_session(session, raw_token=token, clock=now, settings=settings.auth)
        now.advance(dt.timedelta(minutes=120))
        with sessions.begin() as session:
            assert not resolve_session(session, raw_token=token, clock=now, settings=settings.auth)

    def test_past_the_grace_period_only_admins_sign_in(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings, now = make_settings(tmp_path), clock()
        rep = active_user(sessions, settings, now, expires_on=TODAY + dt.timedelta(days=10))
        with sessions.begin() as session:
            account_id = rep.account_id
        admin = _second_user(sessions, settings, now, account_id, "boss@bijou-sa.fr")
        with sessions.begin() as session:
            session.execute(update(User).where(User.id == admin.id).values(role=Role.ADMIN.value))
        rep_session = attempt(sessions, settings, now).session_token
        now.advance(dt.timedelta(days=10 + 30 + 1))  # expiry, then 30 days of grace
        with pytest.raises(errors.LicenseExpiredAdminsOnly) as refused:
            attempt(sessions, settings, now)
        assert "seuls les administrateurs" in str(refused.value)
        assert attempt(sessions, settings, now, email="boss@bijou-sa.fr").user.id == admin.id
        with sessions.begin() as session:
            assert not resolve_session(
                session, raw_token=rep_session, clock=now, settings=settings.auth
            )

    def test_same_email_in_two_accounts_asks_which(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings, now = make_settings(tmp_path), clock()
        first = active_user(sessions, settings, now)
        with sessions.begin() as session:
            other = make_account(session, name="Autre Société")
        second = _second_user(sessions, settings, now, other.id, "lea@bijou-sa.fr")
        with pytest.raises(errors.ChooseAccount) as choose:
            attempt(sessions, settings, now)
        assert {account_id for account_id, _ in choose.value.params["accounts"]} == {
            first.account_id,
            second.account_id,
        }
        chosen = sign_in(
            sessions,
            email="lea@bijou-sa.fr",
            password=PASSWORD,
            client_address="10.0.0.1",
            clock=now,
            settings=settings.auth,
            passwords=Passwords(settings.auth),
            account_id=other.id,
        )
        assert chosen.user.id == second.id


def _second_user(
    sessions: sessionmaker[Session],
    settings: Settings,
    now: FixedClock,
    account_id: int,
    email: str,
) -> User:
    with sessions() as session:
        account = session.get_one(Account, account_id)
    invite(sessions, settings, now, email, account=account)
    with sessions.begin() as session:
        return consume(
            session,
            raw_token=latest_token(sessions, email),
            password=PASSWORD,
            clock=now,
            settings=settings,
            passwords=Passwords(settings.auth),
        )
