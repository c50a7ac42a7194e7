"""Holding an environment's sync lease: claim it or say truthfully who has it, beat while any
step runs, release it with the outcome.

The lease lives in the store (`environment.sync_lease_*`, seatbridge.jobs.schedule), so it holds
across processes and machines. Its holder renews it from a side thread every
`heartbeat_seconds` (at most a third of `lease_seconds`), whatever the main thread is doing —
reading Sage 100, planning, writing the store. A holder killed with `kill -9` stops beating; its
lease runs out `lease_seconds` after the last beat and the next claimer takes over. The killed
holder's open transaction was rolled back by the database, so nothing half-written stays.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import socket
import threading
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment
from seatbridge.clock import Clock
from seatbridge.config import JobSettings, Settings
from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import dumps
from seatbridge.jobs import schedule
from seatbridge.sync.errors import SyncAlreadyRunning, SyncHolderStopped, SyncLeaseLost

log = logging.getLogger("seatbridge.jobs")
DEFAULT_TIMEZONE = Settings.model_fields["timezone"].default


def holder_name(role: str) -> str:
    """Who holds a lease, as refusals show it: host, process id and role ("web", "cli"...)."""
    return f"{socket.gethostname()}:{os.getpid()}:{role}"[:100]


class EnvironmentLease:
    """`with EnvironmentLease(...) as lease:` — the one way a sync holds its environment.

    Entering claims the lease or raises `SyncAlreadyRunning` (the holder beats: "en cours depuis
    HH:MM par le processus X") or `SyncHolderStopped` (it stopped beating: "reprise dans N s").
    Leaving releases it and records the outcome on the environment (`status`, set by the body,
    or "failed" with the error that ended the block) and when the next scheduled sync is due.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        environment_id: int,
        environment_name: str,
        holder: str,
        jobs: JobSettings,
        clock: Clock,
        timezone: str = DEFAULT_TIMEZONE,
    ) -> None:
        self.sessions = sessions
        self.environment_id = environment_id
        self.environment_name = environment_name
        self.holder = holder
        self.jobs = jobs
        self.timezone = timezone
        self.clock = clock
        self.length = dt.timedelta(seconds=jobs.lease_seconds)
        self.interval = heartbeat_interval(jobs)
        self.status = "failed"  # what leaving records unless the body says otherwise
        self.lost = False
        self._progress: dict[str, Any] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> EnvironmentLease:
        return self if self._thread is not None else self.claim()

    def claim(self) -> EnvironmentLease:
        """Take the lease and start beating, or raise the refusal."""
        if not schedule.claim(
            self.sessions,
            environment_id=self.environment_id,
            owner=self.holder,
            now=self.clock.now(),
            lease=self.length,
        ):
            raise refusal(
                self.sessions,
                environment_id=self.environment_id,
                environment_name=self.environment_name,
                jobs=self.jobs,
                now=self.clock.now(),
                timezone=self.timezone,
            )
        self._thread = threading.Thread(
            target=self._beat, name=f"lease-{self.environment_id}", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, kind: object, error: BaseException | None, _tb: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        message = None
        if error is not None:
            self.status = "failed"
            if isinstance(error, SeatbridgeError):
                message = dumps(error.text)  # rendered in the reader's language when shown
            else:
                message = f"{type(error).__name__}: {error}"
        schedule.finish(
            self.sessions,
            environment_id=self.environment_id,
            owner=self.holder,
            now=self.clock.now(),
            status=self.status,
            error=message,
            settings=self.jobs,
        )

    def progress(self, stage: str, done: int | None = None, total: int | None = None) -> None:
        """What the holder is doing; written with the next heartbeat, shown by any process."""
        self._progress = {"stage": stage, "done": done, "total": total}

    def check(self) -> None:
        """Between steps: stop if another process took the lease over (we stopped beating)."""
        if self.lost:
            raise SyncLeaseLost(environment=self.environment_name, seconds=self.jobs.lease_seconds)

    def _beat(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                kept = schedule.renew(
                    self.sessions,
                    environment_id=self.environment_id,
                    owner=self.holder,
                    now=self.clock.now(),
                    lease=self.length,
                    progress=self._progress,
                )
            except Exception:  # a store hiccup: beat again next time, the lease has slack
                log.warning(
                    "heartbeat of environment %s failed", self.environment_id, exc_info=True
                )
                continue
            if not kept:
                self.lost = True
                log.warning("lost the sync lease of environment %s", self.environment_id)
                return


def heartbeat_interval(jobs: JobSettings) -> float:
    return min(jobs.heartbeat_seconds, jobs.lease_seconds / 3)


def refusal(
    sessions: sessionmaker[Session],
    *,
    environment_id: int,
    environment_name: str,
    jobs: JobSettings,
    now: dt.datetime,
    timezone: str = DEFAULT_TIMEZONE,
) -> SyncAlreadyRunning:
    """The truth about who holds the environment: working, or stopped and soon taken over."""
    with sessions() as session:
        environment = session.get(Environment, environment_id)
        owner = environment.sync_lease_owner if environment else None
        since = environment.sync_lease_since if environment else None
        beat = environment.sync_lease_beat_at if environment else None
        until = environment.sync_lease_until if environment else None
    zone = ZoneInfo(timezone)
    started = (since or now).astimezone(zone).strftime("%H:%M")
    holder = owner or "?"
    # Two missed beats (and a second of slack) mean the holder stopped.
    silent = dt.timedelta(seconds=2 * heartbeat_interval(jobs) + 1)
    if beat is not None and until is not None and now - beat > silent and until > now:
        seconds = max(1, math.ceil((until - now).total_seconds()))
        return SyncHolderStopped(
            environment=environment_name, since=started, holder=holder, seconds=seconds
        )
    return SyncAlreadyRunning(environment=environment_name, since=started, holder=holder)
