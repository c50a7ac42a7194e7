"""The seat counters as the users say they should be: for checks and repairs of the pool."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from seatbridge.accounts import seats
from seatbridge.accounts.models import Account, Environment
from seatbridge.directory.models import SEAT_HOLDING, User


def counted(session: Session, *, account_id: int) -> tuple[int, Counter[int | None]]:
    """What the counters should say, counted from the users themselves."""
    rows = session.execute(
        select(User.home_environment_id, func.count())
        .where(User.account_id == account_id, User.status.in_([s.value for s in SEAT_HOLDING]))
        .group_by(User.home_environment_id)
    ).all()
    per_environment: Counter[int | None] = Counter({row[0]: row[1] for row in rows})
    return sum(per_environment.values()), per_environment


def recount(session: Session, *, account_id: int) -> None:
    """Rebuild the account's and environments' counters from the users (repair, checks)."""
    total, per_environment = counted(session, account_id=account_id)
    session.execute(
        update(Account)
        .where(Account.id == account_id)
        .values(seats_used=total)
        .execution_options(synchronize_session=False)
    )
    environment_ids = session.scalars(
        select(Environment.id).where(Environment.account_id == account_id)
    ).all()
    for environment_id in environment_ids:
        session.execute(
            update(Environment)
            .where(Environment.id == environment_id)
            .values(seats_used=per_environment.get(environment_id, 0))
            .execution_options(synchronize_session=False)
        )
    seats.expire_counters(session)
