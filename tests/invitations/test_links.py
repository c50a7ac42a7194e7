"""Set-password links: single use, expiring, opened without being spent (rule 14)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.auth.errors import PasswordTooCommon
from seatbridge.auth.passwords import Passwords
from seatbridge.clock import FixedClock
from seatbridge.config import Settings
from seatbridge.directory import service as directory
from seatbridge.directory.models import User, UserStatus
from seatbridge.invitations import errors
from seatbridge.invitations import service as invitations
from seatbridge.invitations.links import check_link, consume
from seatbridge.invitations.models import AuthToken, TokenPurpose
from tests.invitations.support import invite, latest_token, make_settings
from tests.support.factories import clock, make_account

GOOD = "Trombone-cheval-lune-42"


def use(
    sessions: sessionmaker[Session],
    settings: Settings,
    token: str,
    now: FixedClock,
    password: str = GOOD,
    purpose: TokenPurpose | None = None,
) -> User:
    with sessions.begin() as session:
        return consume(
            session,
            raw_token=token,
            password=password,
            clock=now,
            settings=settings,
            passwords=Passwords(settings.auth),
            purpose=purpose,
        )


class TestConsume:
    def test_sets_the_password_and_activates(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        now = clock()
        invite(sessions, settings, now, "lea@bijou-sa.fr")
        token = latest_token(sessions, "lea@bijou-sa.fr")
        accepted = use(sessions, settings, token, now)
        assert accepted.status == UserStatus.ACTIVE and accepted.activated_at == now.now()
        assert Passwords(settings.auth).verify(accepted.password_hash, GOOD)
        with sessions() as session:
            assert session.scalars(select(AuthToken)).one().used_at == now.now()

    def test_opening_does_not_spend_the_link(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        now = clock()
        invite(sessions, settings, now, "lea@bijou-sa.fr")
        token = latest_token(sessions, "lea@bijou-sa.fr")
        for _ in range(3):  # a mail scanner, then the person, then a reload
            with sessions.begin() as session:
                link = check_link(session, raw_token=token, clock=now, settings=settings)
                assert link.user.email == "lea@bijou-sa.fr" and link.token.used_at is None
        assert use(sessions, settings, token, now).status == UserStatus.ACTIVE

    def test_a_link_works_once(self, sessions: sessionmaker[Session], tmp_path: Path) -> None:
        settings = make_settings(tmp_path)
        now = clock()
        invite(sessions, settings, now, "lea@bijou-sa.fr")
        token = latest_token(sessions, "lea@bijou-sa.fr")
        use(sessions, settings, token, now)
        with pytest.raises(errors.InvitationUsed) as refused:
            use(sessions, settings, token, now, password="Another-long-phrase-9")
        assert "Mot de passe oublié" in str(refused.value)

    def test_expired_link_says_to_ask_the_admin(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        now = clock()
        invite(sessions, settings, now, "lea@bijou-sa.fr")
        token = latest_token(sessions, "lea@bijou-sa.fr")
        now.advance(dt.timedelta(days=7))
        with pytest.raises(errors.InvitationExpired) as refused:
            use(sessions, settings, token, now)
        assert refused.value.message("fr") == (
            "Ce lien d'invitation a expiré le 5 décembre 2026 à 10:00. "
            "Demandez à votre administrateur de vous renvoyer une invitation."
        )
        assert "Ask your administrator" in refused.value.message("en")

    def test_expired_reset_link_says_to_ask_for_a_new_one(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        now = clock()
        invite(sessions, settings, now, "lea@bijou-sa.fr")
        use(sessions, settings, latest_token(sessions, "lea@bijou-sa.fr"), now)
        with sessions.begin() as session:
            invitations.request_password_reset(
                session, email="lea@bijou-sa.fr", clock=now, settings=settings
            )
        now.advance(dt.timedelta(hours=25))
        with pytest.raises(errors.ResetLinkExpired) as refused:
            use(sessions, settings, latest_token(sessions, "lea@bijou-sa.fr"), now)
        assert "Mot de passe oublié ?" in refused.value.message("fr")
        assert "Forgot your password?" in refused.value.message("en")

    def test_resent_invitation_kills_the_old_link(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        now = clock()
        account, (user,) = invite(sessions, settings, now, "lea@bijou-sa.fr")
        old = latest_token(sessions, "lea@bijou-sa.fr")
        with sessions.begin() as session:
            invitations.resend(
                session,
                account_id=account.id,
                user_ids=[user.id],
                actor="a",
                clock=now,
                settings=settings,
            )
        with pytest.raises(errors.InvitationReplaced):
            use(sessions, settings, old, now)
        assert use(sessions, settings, latest_token(sessions, "lea@bijou-sa.fr"), now).status == (
            UserStatus.ACTIVE
        )

    def test_disabled_users_link_is_refused_even_after_reactivation(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        now = clock()
        account, (user,) = invite(sessions, settings, now, "lea@bijou-sa.fr")
        token = latest_token(sessions, "lea@bijou-sa.fr")
        now.advance(dt.timedelta(minutes=1))
        with sessions.begin() as session:
            directory.deactivate_users(
                session, account_id=account.id, user_ids=[user.id], actor="a", clock=now
            )
        with pytest.raises(errors.LinkUserDisabled):
            use(sessions, settings, token, now)
        now.advance(dt.timedelta(minutes=1))
        with sessions.begin() as session:
            directory.reactivate_users(
                session, account_id=account.id, user_ids=[user.id], actor="a", clock=now
            )
        with pytest.raises(errors.InvitationReplaced):
            use(sessions, settings, token, now)

    def test_refused_password_leaves_the_link_usable(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        now = clock()
        invite(sessions, settings, now, "lea@bijou-sa.fr")
        token = latest_token(sessions, "lea@bijou-sa.fr")
        with pytest.raises(PasswordTooCommon):
            use(sessions, settings, token, now, password="Motdepasse2024!")
        assert use(sessions, settings, token, now).status == UserStatus.ACTIVE

    @pytest.mark.parametrize("token", ["", "x" * 43, "x" * 500])
    def test_unknown_links(
        self, sessions: sessionmaker[Session], tmp_path: Path, token: str
    ) -> None:
        with pytest.raises(errors.LinkUnknown) as refused:
            use(sessions, make_settings(tmp_path), token, clock())
        assert refused.value.code == "link_unknown"

    def test_an_invitation_is_not_a_reset_link(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        invite(sessions, settings, clock(), "lea@bijou-sa.fr")
        token = latest_token(sessions, "lea@bijou-sa.fr")
        with pytest.raises(errors.LinkUnknown):
            use(sessions, settings, token, clock(), purpose=TokenPurpose.RESET)

    def test_a_token_cannot_point_at_another_accounts_user(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        invite(sessions, settings, clock(), "lea@bijou-sa.fr")
        with sessions.begin() as session:
            other = make_account(session)
        with pytest.raises(IntegrityError), sessions.begin() as session:
            token = session.scalars(select(AuthToken)).one()
            token.account_id = other.id  # the composite key (account, user) refuses it
            session.flush()
