"""The embedded runner: one background thread in `seatbridge serve` (SQLite, the demo)."""

from __future__ import annotations

import logging
import os
import socket
import threading

from sqlalchemy.orm import Session, sessionmaker

from seatbridge.clock import Clock
from seatbridge.config import Settings
from seatbridge.jobs import live, schedule, work

log = logging.getLogger("seatbridge.jobs")
PURGE_EVERY_TICKS = 720


class EmbeddedScheduler:
    """Every tick: probe the environments due a look (a change syncs at once), sync those whose
    delta interval passed, then deliver the outbox."""

    def __init__(
        self, sessions: sessionmaker[Session], *, settings: Settings, clock: Clock
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.clock = clock
        self.owner = f"{socket.gethostname()}:{os.getpid()}:embedded"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="seatbridge-jobs", daemon=True)
        self._ticks = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def tick(self) -> dict[str, int]:
        """One round of work; returns what was done (the tests drive it directly)."""
        done = {"probed": 0, "synced": 0, "mail": 0, "purged": 0}
        with self.sessions() as session:
            probes = live.due_probes(session, now=self.clock.now())
        for environment_id in probes:
            if self._stop.is_set():
                break
            looked = live.probe_environment(
                self.sessions,
                environment_id=environment_id,
                holder=self.owner,
                settings=self.settings,
                clock=self.clock,
            )
            done["probed"] += 1
            done["synced"] += looked == "synced"
        with self.sessions() as session:
            due = schedule.due_environments(session, now=self.clock.now())
        for environment_id in due:
            if self._stop.is_set():
                break
            status = work.sync_environment(
                self.sessions,
                environment_id=environment_id,
                owner=self.owner,
                settings=self.settings,
                clock=self.clock,
            )
            done["synced"] += status != "busy"
        done["mail"] = work.deliver_mail(self.sessions, settings=self.settings, clock=self.clock)
        if self._ticks % PURGE_EVERY_TICKS == 0:
            done["purged"] = work.purge_expired_tokens(self.sessions, clock=self.clock)
        self._ticks += 1
        return done

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # a failed round must not stop the next ones
                log.exception("background round failed")
            self._stop.wait(self.settings.jobs.tick_seconds)
