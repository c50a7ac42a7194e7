"""Live sync: probe each directly-read environment every few seconds; run a delta only when the
probe saw a change (docs/sync.md, "Live sync: the change probe").

The probe itself never holds the sync lease (it only reads, and writes its own columns); a
change starts `synchronise` at once — collaborators, then commerce — under the lease as any
other sync, so there are never two runs of one environment. The probe's token and fingerprint
are taken *before* that run reads, and stored only once it succeeded: a change committed while
the run was reading makes the next probe differ, and is synced then.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment, SourceMode
from seatbridge.accounts.sources import DirectSources, require_allowed
from seatbridge.clock import Clock
from seatbridge.config import Settings
from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import dumps
from seatbridge.invitations.service import welcome_hook
from seatbridge.jobs.orchestrator import SyncRequest, synchronise
from seatbridge.jobs.schedule import due_by
from seatbridge.sage100.probe import database_token, sqlite_token, table_fingerprint
from seatbridge.sync.errors import SyncAlreadyRunning
from seatbridge.sync.source import open_reader

log = logging.getLogger("seatbridge.jobs")

# cbModification may only have minute precision (smalldatetime): a second edit in the same
# minute leaves MAX(cbModification) as it was. For this long after the fingerprint last changed,
# a moved database token is therefore taken as a change even when the fingerprint looks equal.
SAME_MINUTE = dt.timedelta(seconds=90)


def due_probes(session: Session, *, now: dt.datetime) -> list[int]:
    """Directly-read environments of activated accounts whose next probe time has come."""
    return due_by(session, Environment.next_probe_at, now=now)


def probe_environment(
    sessions: sessionmaker[Session],
    *,
    environment_id: int,
    holder: str,
    settings: Settings,
    clock: Clock,
) -> str:
    """One look: "unchanged", "synced" (a change, synced now), "busy", "failed" or "gone"."""
    with sessions() as session:
        environment = session.get(Environment, environment_id)
        if environment is None:
            return "gone"
        session.expunge(environment)
    started = clock.now()
    try:
        if _unchanged_file(environment, settings):
            _looked(sessions, environment, started, status="unchanged")
            return "unchanged"
        with open_reader(environment, settings) as reader:
            token = database_token(reader)
            if token is not None and token == environment.probe_token:
                _looked(sessions, environment, started, status="unchanged")
                return "unchanged"
            fingerprint = table_fingerprint(reader)
    except SeatbridgeError as failure:
        _failed(sessions, environment, started, failure, settings)
        return "failed"
    recent = (
        environment.probe_changed_at is not None
        and started - environment.probe_changed_at < SAME_MINUTE
    )
    if fingerprint == environment.probe_fingerprint and not recent:
        _looked(sessions, environment, started, status="unchanged", token=token)
        return "unchanged"
    try:
        synchronise(
            sessions,
            SyncRequest(
                account_id=environment.account_id,
                environment_id=environment.id,
                actor=f"probe ({holder})",
            ),
            holder=holder,
            settings=settings,
            clock=clock,
            on_invited=welcome_hook(settings=settings, clock=clock, actor="schedule"),
        )
    except SyncAlreadyRunning:
        return "busy"  # the holder's run reads the change; the next look confirms it
    except SeatbridgeError:
        # Recorded by the orchestrator like any failed sync (its back-off, visible in Admin);
        # the fingerprint stays as it was so that the next look tries again.
        _looked(sessions, environment, started, status="changed")
        return "failed"
    changed_at = started if fingerprint != environment.probe_fingerprint else None
    _looked(
        sessions,
        environment,
        started,
        status="synced",
        token=token,
        fingerprint=fingerprint,
        changed_at=changed_at,
    )
    return "synced"


def _unchanged_file(environment: Environment, settings: Settings) -> bool:
    """An allowed SQLite source whose file token is the stored one: unchanged, decided without
    opening the database (the cheapest look there is)."""
    if environment.mode != SourceMode.DIRECT.value or environment.probe_token is None:
        return False
    url = require_allowed(environment.source_url, DirectSources.from_settings(settings))
    if url.get_backend_name() != "sqlite":
        return False
    return sqlite_token(url.database) == environment.probe_token


def _looked(
    sessions: sessionmaker[Session],
    environment: Environment,
    moment: dt.datetime,
    *,
    status: str,
    token: str | None = None,
    fingerprint: dict[str, Any] | None = None,
    changed_at: dt.datetime | None = None,
) -> None:
    values: dict[str, Any] = {
        "probed_at": moment,
        "probe_status": status,
        "probe_error": None,
        "probe_failures": 0,
        "next_probe_at": moment + dt.timedelta(seconds=environment.probe_seconds),
    }
    if status in ("unchanged", "synced"):
        values["in_step_at"] = moment  # what Sage 100 held at `moment` is in the copy
    if token is not None:
        values["probe_token"] = token
    if fingerprint is not None:
        values["probe_fingerprint"] = fingerprint
    if changed_at is not None:
        values["probe_changed_at"] = changed_at
    with sessions.begin() as session:
        session.execute(
            update(Environment)
            .where(Environment.id == environment.id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )


def _failed(
    sessions: sessionmaker[Session],
    environment: Environment,
    moment: dt.datetime,
    failure: SeatbridgeError,
    settings: Settings,
) -> None:
    """A failed look is recorded like a failed sync: the error, and a growing back-off."""
    jobs = settings.jobs
    failures = environment.probe_failures + 1
    delay = min(jobs.retry_base_seconds * 2 ** (failures - 1), jobs.retry_max_seconds)
    log.warning("probe of environment %s failed: %s", environment.id, failure.message("fr"))
    with sessions.begin() as session:
        session.execute(
            update(Environment)
            .where(Environment.id == environment.id)
            .values(
                probed_at=moment,
                probe_status="failed",
                probe_error=dumps(failure.text),
                probe_failures=failures,
                next_probe_at=moment + dt.timedelta(seconds=max(environment.probe_seconds, delay)),
            )
            .execution_options(synchronize_session=False)
        )
