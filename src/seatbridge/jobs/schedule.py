"""Which environments are due, and the store side of the lease that keeps one environment to one
sync at a time (claim, heartbeat, release: held by seatbridge.jobs.lease)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Account, Environment, SourceMode
from seatbridge.config import JobSettings
from seatbridge.db.engine import rows_changed

log = logging.getLogger("seatbridge.jobs")


def due_environments(session: Session, *, now: dt.datetime) -> list[int]:
    """Directly-read environments of activated accounts whose next sync time has come (an
    environment the wizard connected waits for the admin to start its first sync)."""
    return due_by(session, Environment.next_sync_at, now=now)


def due_by(session: Session, next_at: Any, *, now: dt.datetime) -> list[int]:
    """Directly-read environments of activated accounts, not held by a live lease and not waiting
    for their first sync, whose `next_at` (the next sync's or the next probe's time) has come."""
    return list(
        session.scalars(
            select(Environment.id)
            .join(Account, Account.id == Environment.account_id)
            .where(
                Account.edition.is_not(None),
                Environment.mode == SourceMode.DIRECT.value,
                Environment.source_url.is_not(None),
                Environment.awaiting_first_sync.is_(False),
                or_(next_at.is_(None), next_at <= now),
                or_(Environment.sync_lease_until.is_(None), Environment.sync_lease_until < now),
            )
            .order_by(next_at.is_not(None), next_at)
        )
    )


def claim(
    sessions: sessionmaker[Session],
    *,
    environment_id: int,
    owner: str,
    now: dt.datetime,
    lease: dt.timedelta,
) -> bool:
    """Take the environment's sync lease; False when another holder's lease is still running.

    A lease runs until `sync_lease_until`, which each heartbeat pushes `lease` further; a holder
    that stopped beating is taken over once it has passed (see seatbridge.jobs.lease)."""
    with sessions.begin() as session:
        taken = session.execute(
            update(Environment)
            .where(
                Environment.id == environment_id,
                or_(Environment.sync_lease_until.is_(None), Environment.sync_lease_until < now),
            )
            # A sync started by anyone is the first one the wizard waited for.
            .values(
                sync_lease_owner=owner,
                sync_lease_until=now + lease,
                sync_lease_since=now,
                sync_lease_beat_at=now,
                sync_progress=None,
                awaiting_first_sync=False,
            )
            .execution_options(synchronize_session=False)
        )
        return rows_changed(taken) == 1


def renew(
    sessions: sessionmaker[Session],
    *,
    environment_id: int,
    owner: str,
    now: dt.datetime,
    lease: dt.timedelta,
    progress: dict[str, Any] | None = None,
) -> bool:
    """A heartbeat: extend our lease (and say what we are doing); False if it was lost."""
    values: dict[str, Any] = {"sync_lease_until": now + lease, "sync_lease_beat_at": now}
    if progress is not None:
        values["sync_progress"] = progress
    with sessions.begin() as session:
        kept = session.execute(
            update(Environment)
            .where(Environment.id == environment_id, Environment.sync_lease_owner == owner)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return rows_changed(kept) == 1


def finish(
    sessions: sessionmaker[Session],
    *,
    environment_id: int,
    owner: str,
    now: dt.datetime,
    status: str,
    error: str | None,
    settings: JobSettings,
) -> None:
    """Release the lease and set the next sync time (the interval, or a back-off after failure)."""
    with sessions.begin() as session:
        environment = session.get(Environment, environment_id, with_for_update=True)
        if environment is None or environment.sync_lease_owner != owner:
            return  # our lease expired and someone else took over: they will finish it
        failed = status == "failed"
        failures = environment.sync_failures + 1 if failed else 0
        if failed:
            delay = min(
                settings.retry_base_seconds * 2 ** (failures - 1), settings.retry_max_seconds
            )
            wait = dt.timedelta(seconds=min(delay, environment.sync_interval_minutes * 60))
        else:
            wait = dt.timedelta(minutes=environment.sync_interval_minutes)
        environment.sync_lease_owner = None
        environment.sync_lease_until = None
        environment.sync_lease_since = None
        environment.sync_lease_beat_at = None
        environment.sync_progress = None
        environment.sync_failures = failures
        environment.last_sync_at = now
        environment.last_sync_status = status
        environment.last_sync_error = error
        environment.next_sync_at = now + wait
