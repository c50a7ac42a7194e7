"""The seat pool (rules 5, 7, 8, 9): shared by environments, enforced by the database."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts import errors, seats
from seatbridge.accounts.models import Account
from seatbridge.directory import seat_counts, service
from seatbridge.directory.models import User, UserStatus
from tests.support.factories import TODAY, clock, make_account, make_environment, people

SEED_REFUSAL = (
    "Impossible d'attribuer 1 licence(s) : 0 licence(s) libre(s) sur 10 (10 utilisée(s)). "
    "Pour en obtenir davantage, saisissez un nouveau code d'activation "
    "(Administration > Ajouter des licences) fourni par votre revendeur."
)


def invite(session: Session, account: Account, batch: list[service.NewUser]) -> list[User]:
    return service.invite_users(
        session, account_id=account.id, people=batch, actor="admin@test", clock=clock()
    )


def assert_counters_true(session: Session, account_id: int) -> None:
    total, per_environment = seat_counts.counted(session, account_id=account_id)
    usage = seats.seat_usage(session, account_id=account_id, today=TODAY)
    assert usage.used == total
    for environment in usage.environments:
        assert environment.used == per_environment.get(environment.environment_id, 0)


class TestSeedExample:
    def test_ten_seats_seven_in_a_then_three_in_b_and_the_eleventh_refused(
        self, sessions: sessionmaker[Session]
    ) -> None:
        with sessions.begin() as session:
            account = make_account(session, seats=10)
            company_a = make_environment(session, account, "BIJOU")
            company_b = make_environment(session, account, "BIJOU-NORD")
            invite(session, account, people(7, home=company_a))
        with sessions.begin() as session:
            usage = seats.seat_usage(session, account_id=account.id, today=TODAY)
            assert (usage.used, usage.free) == (7, 3)
        with pytest.raises(errors.SeatLimitReached), sessions.begin() as session:
            invite(session, account, people(4, home=company_b))
        with sessions.begin() as session:
            invite(session, account, people(3, home=company_b))
        with pytest.raises(errors.SeatLimitReached) as refused, sessions.begin() as session:
            invite(session, account, people(1, home=company_b))
        assert str(refused.value) == SEED_REFUSAL
        assert refused.value.params["free"] == 0
        with sessions() as session:
            assert session.scalar(select(func.count()).select_from(User)) == 10
            usage = seats.seat_usage(session, account_id=account.id, today=TODAY)
            assert [e.used for e in usage.environments] == [7, 3]
            assert_counters_true(session, account.id)


class TestBatchesAreAllOrNothing:
    def test_a_batch_larger_than_the_free_seats_creates_nobody(
        self, sessions: sessionmaker[Session]
    ) -> None:
        with sessions.begin() as session:
            account = make_account(session, seats=3)
        with pytest.raises(errors.SeatLimitReached) as refused, sessions.begin() as session:
            invite(session, account, people(4))
        assert refused.value.params == {"requested": 4, "free": 3, "total": 3, "used": 0}
        with sessions() as session:
            assert session.scalar(select(func.count()).select_from(User)) == 0
            assert seats.seat_usage(session, account_id=account.id, today=TODAY).used == 0

    def test_reactivation_batch_refused_whole(self, sessions: sessionmaker[Session]) -> None:
        with sessions.begin() as session:
            account = make_account(session, seats=3)
            users = invite(session, account, people(3))
            service.deactivate_users(
                session,
                account_id=account.id,
                user_ids=[u.id for u in users],
                actor="a",
                clock=clock(),
            )
            invite(session, account, people(2))
        with pytest.raises(errors.SeatLimitReached), sessions.begin() as session:
            service.reactivate_users(
                session,
                account_id=account.id,
                user_ids=[u.id for u in users[:2]],
                actor="a",
                clock=clock(),
            )
        with sessions.begin() as session:
            statuses = {session.get(User, u.id).status for u in users}  # type: ignore[union-attr]
            assert statuses == {UserStatus.DISABLED}
            service.reactivate_users(
                session, account_id=account.id, user_ids=[users[0].id], actor="a", clock=clock()
            )
            assert_counters_true(session, account.id)


class TestDeactivationFreesSeats:
    def test_deactivate_then_reactivate(self, sessions: sessionmaker[Session]) -> None:
        with sessions.begin() as session:
            account = make_account(session, seats=1)
            (user,) = invite(session, account, people(1))
            service.deactivate_users(
                session, account_id=account.id, user_ids=[user.id], actor="a", clock=clock()
            )
            assert seats.seat_usage(session, account_id=account.id, today=TODAY).free == 1
            service.deactivate_users(  # disabling twice changes nothing
                session, account_id=account.id, user_ids=[user.id], actor="a", clock=clock()
            )
            assert seats.seat_usage(session, account_id=account.id, today=TODAY).used == 0
            (back,) = service.reactivate_users(
                session, account_id=account.id, user_ids=[user.id], actor="a", clock=clock()
            )
            assert back.status == UserStatus.INVITED  # never accepted: invited again
            assert seats.seat_usage(session, account_id=account.id, today=TODAY).free == 0

    def test_reactivated_user_who_had_accepted_is_active(
        self, sessions: sessionmaker[Session]
    ) -> None:
        with sessions.begin() as session:
            account = make_account(session, seats=1)
            (user,) = invite(session, account, people(1))
            service.mark_active(session, account_id=account.id, user_id=user.id, clock=clock())
            service.deactivate_users(
                session, account_id=account.id, user_ids=[user.id], actor="a", clock=clock()
            )
            (back,) = service.reactivate_users(
                session, account_id=account.id, user_ids=[user.id], actor="a", clock=clock()
            )
            assert back.status == UserStatus.ACTIVE


class TestOverQuota:
    def test_fewer_seats_than_used_blocks_new_seats_but_deactivates_nobody(
        self, sessions: sessionmaker[Session]
    ) -> None:
        with sessions.begin() as session:
            account = make_account(session, seats=7)
            users = invite(session, account, people(7))
            account.seats = 5  # what a new code with 5 seats does (see test_activation)
        with sessions.begin() as session:
            usage = seats.seat_usage(session, account_id=account.id, today=TODAY)
            assert usage.over_quota and usage.free == 0 and usage.used == 7
            assert (
                session.scalar(
                    select(func.count()).select_from(User).where(User.status == "invited")
                )
                == 7
            )
        with pytest.raises(errors.OverQuota) as refused, sessions.begin() as session:
            invite(session, account, people(1))
        assert "libérez-en 2" in str(refused.value)
        with sessions.begin() as session:
            service.deactivate_users(
                session,
                account_id=account.id,
                user_ids=[u.id for u in users[:3]],
                actor="a",
                clock=clock(),
            )
            invite(session, account, people(1))
            assert seats.seat_usage(session, account_id=account.id, today=TODAY).free == 0


class TestExpiryAndGrace:
    @pytest.mark.parametrize(
        ("days_after_expiry", "state"),
        [(-1, "valid"), (0, "valid"), (1, "grace"), (30, "grace"), (31, "expired")],
    )
    def test_license_state_boundaries(
        self, sessions: sessionmaker[Session], days_after_expiry: int, state: str
    ) -> None:
        with sessions.begin() as session:
            account = make_account(session, expires_on=TODAY, grace_days=30)
            today = TODAY + dt.timedelta(days=days_after_expiry)
            assert seats.license_state(account, today) == state

    def test_expired_code_blocks_invitations_even_during_grace(
        self, sessions: sessionmaker[Session]
    ) -> None:
        with sessions.begin() as session:
            account = make_account(session, expires_on=TODAY - dt.timedelta(days=1))
        with pytest.raises(errors.LicenseExpired) as refused, sessions.begin() as session:
            invite(session, account, people(1))
        assert "a expiré le 2026-11-27" in str(refused.value)

    def test_no_code_no_invitation(self, sessions: sessionmaker[Session]) -> None:
        with sessions.begin() as session:
            account = Account(name="Neuf", slug="neuf")
            session.add(account)
        with pytest.raises(errors.NoLicense), sessions.begin() as session:
            invite(session, account, people(1))


class TestEnvironmentCaps:
    def test_advanced_caps_per_environment(self, sessions: sessionmaker[Session]) -> None:
        with sessions.begin() as session:
            account = make_account(session, seats=10)
            company_a = make_environment(session, account, "A", seat_cap=7)
            company_b = make_environment(session, account, "B", seat_cap=3)
            invite(session, account, people(7, home=company_a))
        with pytest.raises(errors.EnvironmentSeatCapReached) as refused, sessions.begin() as s:
            invite(s, account, people(1, home=company_a))
        assert refused.value.params["cap"] == 7
        with sessions.begin() as session:
            invite(session, account, people(3, home=company_b))
            assert_counters_true(session, account.id)

    def test_moving_home_environment_respects_the_target_cap(
        self, sessions: sessionmaker[Session]
    ) -> None:
        with sessions.begin() as session:
            account = make_account(session, seats=10)
            company_a = make_environment(session, account, "A")
            company_b = make_environment(session, account, "B", seat_cap=1)
            first, second = invite(session, account, people(2, home=company_a))
            service.set_home_environment(
                session,
                account_id=account.id,
                user_id=first.id,
                environment_id=company_b.id,
                actor="a",
                clock=clock(),
            )
        with pytest.raises(errors.EnvironmentSeatCapReached), sessions.begin() as session:
            service.set_home_environment(
                session,
                account_id=account.id,
                user_id=second.id,
                environment_id=company_b.id,
                actor="a",
                clock=clock(),
            )
        with sessions() as session:
            usage = seats.seat_usage(session, account_id=account.id, today=TODAY)
            assert [e.used for e in usage.environments] == [1, 1]
            assert usage.used == 2
            assert_counters_true(session, account.id)


class TestRecount:
    def test_recount_repairs_drifted_counters(self, sessions: sessionmaker[Session]) -> None:
        with sessions.begin() as session:
            account = make_account(session, seats=10)
            company_a = make_environment(session, account, "A")
            invite(session, account, people(4, home=company_a))
            account.seats_used = 9
        with sessions.begin() as session:
            seat_counts.recount(session, account_id=account.id)
        with sessions() as session:
            assert seats.seat_usage(session, account_id=account.id, today=TODAY).used == 4
            assert_counters_true(session, account.id)
