"""The seat pool: one licence per `invited` or `active` user, shared by all environments.

The database enforces the pool, not Python: a claim is a conditional increment
(``UPDATE ... SET seats_used = seats_used + n WHERE seats_used + n <= seats``). On PostgreSQL the
row lock taken by the UPDATE makes a concurrent claim wait, then re-check its WHERE against the
committed counter; on SQLite every transaction begins IMMEDIATE, so writers are serialised. A claim
that fails raises, and the caller's transaction rolls back whole (batches are all-or-nothing).
Counters are only moved here; ``seatbridge.directory.seat_counts.recount`` rebuilds them from the
users, for repairs and checks (accounts never imports directory: users sit above the pool).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from seatbridge.accounts import errors
from seatbridge.accounts.models import Account, Environment
from seatbridge.db.engine import rows_changed


class LicenseState(enum.StrEnum):
    NONE = "none"
    VALID = "valid"
    GRACE = "grace"
    EXPIRED = "expired"


def license_state(account: Account, today: dt.date) -> LicenseState:
    if account.license_expires_on is None:
        return LicenseState.NONE
    if today <= account.license_expires_on:
        return LicenseState.VALID
    grace_end = account.license_expires_on + dt.timedelta(days=account.license_grace_days)
    return LicenseState.GRACE if today <= grace_end else LicenseState.EXPIRED


@dataclass(frozen=True, slots=True)
class EnvironmentSeats:
    environment_id: int
    name: str
    cap: int | None
    used: int


@dataclass(frozen=True, slots=True)
class SeatUsage:
    total: int
    used: int
    license: LicenseState
    environments: tuple[EnvironmentSeats, ...]

    @property
    def free(self) -> int:
        return max(0, self.total - self.used)

    @property
    def over_quota(self) -> bool:
        return self.used > self.total

    @property
    def can_assign(self) -> bool:
        return self.license is LicenseState.VALID and self.free > 0


SeatDelta = Mapping[int | None, int]  # home environment id (or None) -> seats


def seat_usage(session: Session, *, account_id: int, today: dt.date) -> SeatUsage:
    account = _account(session, account_id)
    rows = session.execute(
        select(Environment.id, Environment.name, Environment.seat_cap, Environment.seats_used)
        .where(Environment.account_id == account_id)
        .order_by(Environment.id)
    ).all()
    return SeatUsage(
        total=account.seats,
        used=account.seats_used,
        license=license_state(account, today),
        environments=tuple(EnvironmentSeats(*row) for row in rows),
    )


def claim(session: Session, *, account_id: int, seats: SeatDelta, today: dt.date) -> None:
    """Take seats for users entering `invited`/`active`, or raise and change nothing."""
    requested = sum(seats.values())
    if requested <= 0:
        return
    account = _account(session, account_id)
    state = license_state(account, today)
    if state is LicenseState.NONE:
        raise errors.NoLicense()
    if state is not LicenseState.VALID:
        raise errors.LicenseExpired(expires_on=account.license_expires_on)
    claimed = session.execute(
        update(Account)
        .where(Account.id == account_id, Account.seats_used + requested <= Account.seats)
        .values(seats_used=Account.seats_used + requested)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(claimed) != 1:
        total, used = session.execute(
            select(Account.seats, Account.seats_used).where(Account.id == account_id)
        ).one()
        if used > total:
            raise errors.OverQuota(total=total, used=used, excess=used - total)
        raise errors.SeatLimitReached(
            requested=requested, free=max(0, total - used), total=total, used=used
        )
    for environment_id, count in sorted(seats.items(), key=lambda item: item[0] or 0):
        if environment_id is not None and count:
            _claim_environment(session, account_id, environment_id, count)
    expire_counters(session)


def _claim_environment(session: Session, account_id: int, environment_id: int, count: int) -> None:
    claimed = session.execute(
        update(Environment)
        .where(
            Environment.id == environment_id,
            Environment.account_id == account_id,
            or_(
                Environment.seat_cap.is_(None),
                Environment.seats_used + count <= Environment.seat_cap,
            ),
        )
        .values(seats_used=Environment.seats_used + count)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(claimed) != 1:
        row = session.execute(
            select(Environment.name, Environment.seat_cap, Environment.seats_used).where(
                Environment.id == environment_id, Environment.account_id == account_id
            )
        ).one_or_none()
        if row is None:
            raise errors.EnvironmentNotFound(environment=environment_id)
        raise errors.EnvironmentSeatCapReached(
            environment=row.name, cap=row.seat_cap, used=row.seats_used, requested=count
        )


def hold_owner_seat(session: Session, *, account_id: int) -> None:
    """The account's first admin holds a seat from the start, even before any code is applied.

    Until a code is applied the account is then over quota by one, which blocks nothing but new
    seats: the owner can still sign in and enter the code.
    """
    session.execute(
        update(Account)
        .where(Account.id == account_id)
        .values(seats_used=Account.seats_used + 1)
        .execution_options(synchronize_session=False)
    )
    expire_counters(session)


def release(session: Session, *, account_id: int, seats: SeatDelta) -> None:
    """Give back seats of users leaving `invited`/`active` (never refused)."""
    released = sum(seats.values())
    if released <= 0:
        return
    session.execute(
        update(Account)
        .where(Account.id == account_id)
        .values(seats_used=Account.seats_used - released)
        .execution_options(synchronize_session=False)
    )
    for environment_id, count in seats.items():
        if environment_id is not None and count:
            _change_environment(session, account_id, environment_id, -count)
    expire_counters(session)


def move(session: Session, *, account_id: int, source: int | None, target: int | None) -> None:
    """A seat-holding user changes home environment: the target's cap must have room."""
    if target is not None:
        _claim_environment(session, account_id, target, 1)
    if source is not None:
        _change_environment(session, account_id, source, -1)
    expire_counters(session)


def _change_environment(session: Session, account_id: int, environment_id: int, delta: int) -> None:
    session.execute(
        update(Environment)
        .where(Environment.id == environment_id, Environment.account_id == account_id)
        .values(seats_used=Environment.seats_used + delta)
        .execution_options(synchronize_session=False)
    )


def _account(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id, populate_existing=True)
    if account is None:
        raise errors.AccountNotFound(account=account_id)
    return account


def expire_counters(session: Session) -> None:
    """Counters were moved by SQL behind the ORM's back: reload them on next access."""
    for instance in list(session.identity_map.values()):
        if isinstance(instance, Account | Environment):
            session.expire(instance, ["seats_used"])
