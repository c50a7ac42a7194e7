"""Invitations: seats, link tokens and welcome e-mails in one transaction (rule 14)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.errors import SeatLimitReached
from seatbridge.accounts.models import Account
from seatbridge.directory.errors import UserNotFound
from seatbridge.directory.models import User, UserStatus
from seatbridge.directory.service import NewUser
from seatbridge.invitations import errors
from seatbridge.invitations import service as invitations
from seatbridge.invitations.models import AuthToken, TokenPurpose
from seatbridge.invitations.tokens import hash_token
from seatbridge.mail.models import OutboxMessage
from tests.invitations.support import invite, make_settings, messages_to, token_in
from tests.support.factories import clock, make_account
from tests.support.people import invite_ssm_only


def count(session: Session, model: type[object]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


class TestInvite:
    def test_each_person_gets_a_seat_a_hashed_token_and_an_email(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        now = clock()
        account, users = invite(sessions, settings, now, "lea@bijou-sa.fr", "tom@bijou-sa.fr")
        with sessions() as session:
            assert session.get_one(Account, account.id).seats_used == 2
            (mail,) = messages_to(session, "lea@bijou-sa.fr")
            assert mail.account_id == account.id and mail.locale == "fr"
            assert mail.idempotency_key.startswith("invitation:")
            raw = token_in(mail.text_body)
            assert len(raw) >= 43  # 32 random bytes, URL-safe
            token = session.scalars(select(AuthToken).where(AuthToken.user_id == users[0].id)).one()
            assert token.token_hash == hash_token(raw) and raw not in token.token_hash
            assert token.purpose == TokenPurpose.INVITE
            assert token.expires_at == now.now() + dt.timedelta(days=7)
            assert mail.idempotency_key == f"invitation:{token.id}"

    def test_expiry_is_configurable(self, sessions: sessionmaker[Session], tmp_path: Path) -> None:
        settings = make_settings(tmp_path, auth={"invitation_ttl_days": 2})
        now = clock()
        invite(sessions, settings, now, "lea@bijou-sa.fr")
        with sessions() as session:
            token = session.scalars(select(AuthToken)).one()
            assert token.expires_at == now.now() + dt.timedelta(days=2)

    def test_english_recipient_gets_english_email(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        invite(sessions, make_settings(tmp_path), clock(), "tom@bijou-sa.fr", locale="en")
        with sessions() as session:
            (mail,) = messages_to(session, "tom@bijou-sa.fr")
            assert mail.locale == "en" and "invites you" in mail.subject

    def test_no_seat_no_user_no_token_no_email(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        with sessions.begin() as session:
            account = make_account(session, seats=1)
        with pytest.raises(SeatLimitReached), sessions.begin() as session:
            invite_ssm_only(
                session,
                account_id=account.id,
                people=[NewUser(email="a@bijou-sa.fr"), NewUser(email="b@bijou-sa.fr")],
                actor="admin",
                clock=clock(),
                settings=settings,
            )
        with sessions() as session:
            assert [count(session, m) for m in (User, AuthToken, OutboxMessage)] == [0, 0, 0]


class TestResendAndRevoke:
    def test_resend_replaces_the_link(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        account, (user,) = invite(sessions, settings, clock(), "lea@bijou-sa.fr")
        with sessions.begin() as session:
            invitations.resend(
                session,
                account_id=account.id,
                user_ids=[user.id],
                actor="admin",
                clock=clock(),
                settings=settings,
            )
        with sessions() as session:
            first, second = messages_to(session, "lea@bijou-sa.fr")
            tokens = session.scalars(select(AuthToken).order_by(AuthToken.id)).all()
            assert tokens[0].revoked_at is not None and tokens[1].revoked_at is None
            assert token_in(first.text_body) != token_in(second.text_body)

    def test_resend_refused_once_accepted(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        account, (user,) = invite(sessions, settings, clock(), "lea@bijou-sa.fr")
        with sessions.begin() as session:
            session.get_one(User, user.id).status = UserStatus.ACTIVE.value
        with pytest.raises(errors.NotInvited) as refused, sessions.begin() as session:
            invitations.resend(
                session,
                account_id=account.id,
                user_ids=[user.id],
                actor="admin",
                clock=clock(),
                settings=settings,
            )
        assert "resend the invitation" in refused.value.message("en")

    def test_revoke_frees_the_seat_and_kills_the_link(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        account, (user,) = invite(sessions, settings, clock(), "lea@bijou-sa.fr")
        with sessions.begin() as session:
            invitations.revoke(
                session, account_id=account.id, user_ids=[user.id], actor="admin", clock=clock()
            )
        with sessions() as session:
            assert session.get_one(Account, account.id).seats_used == 0
            assert session.get_one(User, user.id).status == UserStatus.DISABLED
            assert session.scalars(select(AuthToken)).one().revoked_at is not None

    def test_another_accounts_user_is_not_found(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        _, (user,) = invite(sessions, settings, clock(), "lea@bijou-sa.fr")
        with sessions.begin() as session:
            other = make_account(session)
        for action in ("resend", "revoke"):
            with pytest.raises(UserNotFound), sessions.begin() as session:
                if action == "resend":
                    invitations.resend(
                        session,
                        account_id=other.id,
                        user_ids=[user.id],
                        actor="x",
                        clock=clock(),
                        settings=settings,
                    )
                else:
                    invitations.revoke(
                        session, account_id=other.id, user_ids=[user.id], actor="x", clock=clock()
                    )


class TestPasswordLinks:
    def test_invited_get_an_invitation_active_get_a_reset_link(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        account, (invited, active) = invite(
            sessions, settings, clock(), "lea@bijou-sa.fr", "tom@bijou-sa.fr"
        )
        with sessions.begin() as session:
            session.get_one(User, active.id).status = UserStatus.ACTIVE.value
        with sessions.begin() as session:
            sent = invitations.send_password_links(
                session,
                account_id=account.id,
                user_ids=[invited.id, active.id],
                actor="admin",
                clock=clock(),
                settings=settings,
            )
            assert [purpose for _, purpose in sent] == [TokenPurpose.INVITE, TokenPurpose.RESET]
        with sessions() as session:
            assert "/auth/reset-password/" in messages_to(session, "tom@bijou-sa.fr")[-1].text_body

    def test_a_disabled_user_refuses_the_whole_batch(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        account, (lea, tom) = invite(
            sessions, settings, clock(), "lea@bijou-sa.fr", "tom@bijou-sa.fr"
        )
        with sessions.begin() as session:
            invitations.revoke(
                session, account_id=account.id, user_ids=[tom.id], actor="a", clock=clock()
            )
        with pytest.raises(errors.NoPasswordLink), sessions.begin() as session:
            invitations.send_password_links(
                session,
                account_id=account.id,
                user_ids=[lea.id, tom.id],
                actor="admin",
                clock=clock(),
                settings=settings,
            )
        with sessions() as session:
            assert len(messages_to(session, "lea@bijou-sa.fr")) == 1

    def test_forgotten_password_same_outcome_for_unknown_address(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        _, (user,) = invite(sessions, settings, clock(), "lea@bijou-sa.fr")
        with sessions.begin() as session:
            session.get_one(User, user.id).status = UserStatus.ACTIVE.value
        with sessions.begin() as session:
            assert (
                invitations.request_password_reset(
                    session, email="nobody@bijou-sa.fr", clock=clock(), settings=settings
                )
                is None
            )
            assert (
                invitations.request_password_reset(
                    session, email=" LEA@bijou-sa.fr ", clock=clock(), settings=settings
                )
                is None
            )
        with sessions() as session:
            assert count(session, OutboxMessage) == 2  # the invitation and one reset link
            reset = messages_to(session, "lea@bijou-sa.fr")[-1]
            assert reset.idempotency_key.startswith("password-reset:")
            token = session.scalars(select(AuthToken).order_by(AuthToken.id.desc())).first()
            assert token is not None
            assert token.expires_at - token.created_at == dt.timedelta(hours=24)

    def test_forgotten_password_requests_are_capped(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        invite(sessions, settings, clock(), "lea@bijou-sa.fr")
        for _ in range(5):
            with sessions.begin() as session:
                invitations.request_password_reset(
                    session, email="lea@bijou-sa.fr", clock=clock(), settings=settings
                )
        with sessions() as session:
            assert len(messages_to(session, "lea@bijou-sa.fr")) == 1 + 3
