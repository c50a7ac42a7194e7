"""Users (rules 2, 4, 5, 12): one user per e-mail per account, roles, statuses, isolation."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts import seats
from seatbridge.accounts.errors import SeatLimitReached
from seatbridge.audit.models import AuditEvent
from seatbridge.directory import errors, service
from seatbridge.directory.emails import EmailProblem, check_email
from seatbridge.directory.models import Role, User, UserStatus
from tests.support.factories import TODAY, clock, make_account, people


class TestEmails:
    @pytest.mark.parametrize(
        ("raw", "normalized", "problem"),
        [
            ("  Jean.Dupont@Bijou-SA.fr ", "jean.dupont@bijou-sa.fr", None),
            ("E\u0301lodie@bijou.fr", "\u00e9lodie@bijou.fr", None),  # NFC
            (None, None, EmailProblem.MISSING),
            ("   ", None, EmailProblem.MISSING),
            ("a@x.fr;b@x.fr", "a@x.fr;b@x.fr", EmailProblem.SEVERAL),
            ("jean.dupont", "jean.dupont", EmailProblem.INVALID),
            ("jean@", "jean@", EmailProblem.INVALID),
        ],
    )
    def test_check_email(self, raw: str | None, normalized: str | None, problem: object) -> None:
        check = check_email(raw)
        assert (check.normalized, check.problem) == (normalized, problem)


class TestCreateUsers:
    def test_same_email_in_any_case_is_one_person(self, sessions: sessionmaker[Session]) -> None:
        with sessions.begin() as session:
            account = make_account(session)
            service.invite_users(
                session,
                account_id=account.id,
                people=[service.NewUser(email="Marie.Curie@bijou-sa.fr")],
                actor="a",
                clock=clock(),
            )
        with pytest.raises(errors.EmailAlreadyUsed), sessions.begin() as session:
            service.invite_users(
                session,
                account_id=account.id,
                people=[service.NewUser(email=" marie.curie@BIJOU-SA.FR ")],
                actor="a",
                clock=clock(),
            )

    def test_duplicate_inside_a_batch_refused_whole(self, sessions: sessionmaker[Session]) -> None:
        with sessions.begin() as session:
            account = make_account(session)
        batch = [service.NewUser(email="x@bijou-sa.fr"), service.NewUser(email="X@bijou-sa.fr")]
        with pytest.raises(errors.EmailAlreadyUsed), sessions.begin() as session:
            service.invite_users(
                session, account_id=account.id, people=batch, actor="a", clock=clock()
            )
        with sessions() as session:
            assert session.scalar(select(func.count()).select_from(User)) == 0

    def test_invalid_email_refused_with_the_reason(self, sessions: sessionmaker[Session]) -> None:
        with sessions.begin() as session:
            account = make_account(session)
        with pytest.raises(errors.InvalidEmail) as refused, sessions.begin() as session:
            service.invite_users(
                session,
                account_id=account.id,
                people=[service.NewUser(email="a@x.fr; b@x.fr")],
                actor="a",
                clock=clock(),
            )
        assert "plusieurs adresses" in str(refused.value)
        assert "several addresses" in refused.value.message("en")

    def test_same_email_in_two_accounts_is_two_people(
        self, sessions: sessionmaker[Session]
    ) -> None:
        with sessions.begin() as session:
            for _ in range(2):
                account = make_account(session)
                service.invite_users(
                    session,
                    account_id=account.id,
                    people=[service.NewUser(email="jean@bijou-sa.fr")],
                    actor="a",
                    clock=clock(),
                )
            assert session.scalar(select(func.count()).select_from(User)) == 2

    def test_pending_review_users_hold_no_seat(self, sessions: sessionmaker[Session]) -> None:
        with sessions.begin() as session:
            account = make_account(session, seats=1)
            service.create_users(
                session,
                account_id=account.id,
                people=people(3),
                status=UserStatus.PENDING_REVIEW,
                source="admin",
                actor="a",
                clock=clock(),
            )
            assert seats.seat_usage(session, account_id=account.id, today=TODAY).used == 0


class TestRoles:
    def test_role_changes_only_after_acceptance(self, sessions: sessionmaker[Session]) -> None:
        with sessions.begin() as session:
            account = make_account(session)
            (user,) = service.invite_users(
                session, account_id=account.id, people=people(1), actor="a", clock=clock()
            )
            assert user.role == Role.SALESREP
            with pytest.raises(errors.RoleBeforeAcceptance):
                service.change_role(
                    session,
                    account_id=account.id,
                    user_id=user.id,
                    role="manager",
                    actor="a",
                    clock=clock(),
                )
            service.mark_active(session, account_id=account.id, user_id=user.id, clock=clock())
            service.change_role(
                session,
                account_id=account.id,
                user_id=user.id,
                role="manager",
                actor="a",
                clock=clock(),
            )
            assert user.role == Role.MANAGER
            with pytest.raises(errors.InvalidRole):
                service.change_role(
                    session,
                    account_id=account.id,
                    user_id=user.id,
                    role="boss",
                    actor="a",
                    clock=clock(),
                )


class TestOwner:
    def test_first_admin_holds_a_seat_before_any_code(
        self, sessions: sessionmaker[Session]
    ) -> None:
        with sessions.begin() as session:
            account = make_account(session, seats=0)
            owner = service.create_owner(
                session,
                account_id=account.id,
                person=service.NewUser(email="patron@bijou-sa.fr"),
                actor="cli",
                clock=clock(),
            )
            usage = seats.seat_usage(session, account_id=account.id, today=TODAY)
            assert (owner.role, owner.status) == (Role.ADMIN, UserStatus.INVITED)
            assert usage.used == 1 and usage.over_quota


class TestAccountIsolation:
    def test_account_a_cannot_touch_users_of_account_b(
        self, sessions: sessionmaker[Session]
    ) -> None:
        with sessions.begin() as session:
            account_a, account_b = make_account(session), make_account(session)
            (user_b,) = service.invite_users(
                session, account_id=account_b.id, people=people(1), actor="b", clock=clock()
            )
        for action in (service.deactivate_users, service.reactivate_users):
            with pytest.raises(errors.UserNotFound), sessions.begin() as session:
                action(
                    session, account_id=account_a.id, user_ids=[user_b.id], actor="a", clock=clock()
                )
        with sessions() as session:
            assert service.list_users(session, account_id=account_a.id) == []
            assert (
                service.find_user_by_email(session, account_id=account_a.id, email=user_b.email)
                is None
            )
            assert session.get(User, user_b.id).status == UserStatus.INVITED  # type: ignore[union-attr]


class TestAudit:
    def test_every_change_is_recorded_and_a_refusal_leaves_nothing(
        self, sessions: sessionmaker[Session]
    ) -> None:
        with sessions.begin() as session:
            account = make_account(session, seats=1)
            (user,) = service.invite_users(
                session, account_id=account.id, people=people(1), actor="admin@x", clock=clock()
            )
            service.deactivate_users(
                session,
                account_id=account.id,
                user_ids=[user.id],
                actor="admin@x",
                clock=clock(),
            )
        with pytest.raises(SeatLimitReached), sessions.begin() as session:
            service.invite_users(
                session, account_id=account.id, people=people(2), actor="admin@x", clock=clock()
            )
        with sessions() as session:
            events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
            assert [(e.action, e.actor) for e in events] == [
                ("user.create", "admin@x"),
                ("user.deactivate", "admin@x"),
            ]
            assert events[1].before == {"status": "invited"}
            assert events[1].after == {"status": "disabled"}
