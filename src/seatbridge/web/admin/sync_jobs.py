"""Syncs started from a page ("Synchroniser maintenant", the wizard's first sync).

Each runs `seatbridge.jobs.orchestrator.synchronise` (the collaborators, then the customers and
sales documents, under the environment's sync lease, like every other sync) in a background
thread of this process. Starting returns once the lease is ours, or raises the refusal (who holds
it, since when). Pages poll the job's progress; the run itself is recorded in the store.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from dataclasses import dataclass, field

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment
from seatbridge.accounts.sources import DirectSources, require_allowed
from seatbridge.clock import Clock
from seatbridge.config import Settings
from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_
from seatbridge.invitations.service import welcome_hook
from seatbridge.jobs.lease import refusal as lease_refusal
from seatbridge.jobs.orchestrator import Observer, SyncRequest, synchronise
from seatbridge.sync.errors import SourceNotDirect, SyncAlreadyRunning, SyncFailed
from seatbridge.sync.runner import SyncOutcome

logger = logging.getLogger(__name__)
_REGISTRY_LOCK = threading.Lock()


class SyncCrashed(SeatbridgeError):
    code = "web.sync_crashed"
    template = N_(
        "La synchronisation de « {environment} » s'est interrompue sur une erreur interne."
    )


@dataclass
class SyncJob:
    """What a page shows of one sync while it runs, and after."""

    account_id: int
    environment_id: int
    environment_name: str
    started_at: dt.datetime
    stage: str = "collaborators"  # then customers, document_headers, document_lines
    rows_done: int = 0
    rows_total: int | None = None
    run_id: int | None = None
    status: str | None = None  # the collaborator run's status once known
    counts: dict[str, int] = field(default_factory=dict)
    failure: SeatbridgeError | None = None
    finished: bool = False
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def percent(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, round(100 * self.rows_done / self.rows_total))

    def replication_progress(self, entity: str, done: int, total: int | None) -> None:
        self.stage, self.rows_done, self.rows_total = entity, done, total


class SyncJobs:
    """The jobs of one app: at most one running per environment."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings, clock: Clock) -> None:
        self.sessions = sessions
        self.settings = settings
        self.clock = clock
        self._jobs: dict[tuple[int, int], SyncJob] = {}
        self._lock = threading.Lock()
        self.owner = f"{socket.gethostname()}:{os.getpid()}:web"

    def get(self, account_id: int, environment_id: int) -> SyncJob | None:
        with self._lock:
            return self._jobs.get((account_id, environment_id))

    def start(
        self, environment: Environment, *, actor: str, full: bool = False, confirm: bool = False
    ) -> SyncJob:
        """Start syncing `environment`; returns once the lease is ours, or raises the refusal."""
        if environment.source_url is None:
            raise SourceNotDirect(environment=environment.name)
        require_allowed(environment.source_url, DirectSources.from_settings(self.settings))
        key = (environment.account_id, environment.id)
        with self._lock:
            running = self._jobs.get(key)
            if running is not None and not running.finished:
                raise lease_refusal(
                    self.sessions,
                    environment_id=environment.id,
                    environment_name=environment.name,
                    jobs=self.settings.jobs,
                    now=self.clock.now(),
                    timezone=self.settings.timezone,
                )
            job = SyncJob(
                account_id=environment.account_id,
                environment_id=environment.id,
                environment_name=environment.name,
                started_at=self.clock.now(),
            )
            self._jobs[key] = job
        started = threading.Event()
        job.thread = threading.Thread(
            target=self._run,
            args=(job, actor, full, confirm, started),
            name=f"web-sync-{environment.id}",
            daemon=True,
        )
        job.thread.start()
        started.wait(self.settings.jobs.source_connect_timeout_seconds + 30)
        if isinstance(job.failure, SyncAlreadyRunning):
            with self._lock:
                if self._jobs.get(key) is job:
                    del self._jobs[key]
            raise job.failure
        return job

    def wait(self, timeout: float = 30.0) -> None:
        """Wait for every running job (tests; a clean stop)."""
        with self._lock:
            threads = [job.thread for job in self._jobs.values() if job.thread is not None]
        for thread in threads:
            thread.join(timeout)

    def _run(
        self, job: SyncJob, actor: str, full: bool, confirm: bool, started: threading.Event
    ) -> None:
        def collaborators_done(outcome: SyncOutcome) -> None:
            job.run_id, job.status, job.counts = (
                outcome.run_id,
                outcome.status.value,
                outcome.counts,
            )

        try:
            synchronise(
                self.sessions,
                SyncRequest(
                    account_id=job.account_id,
                    environment_id=job.environment_id,
                    actor=actor,
                    full=full,
                    confirm=confirm,
                ),
                holder=self.owner,
                settings=self.settings,
                clock=self.clock,
                on_invited=welcome_hook(settings=self.settings, clock=self.clock, actor=actor),
                observer=Observer(
                    started=started.set,
                    replication=job.replication_progress,
                    collaborators_done=collaborators_done,
                ),
            )
        except SyncFailed as failure:
            job.run_id, job.status, job.failure = failure.params.get("run_id"), "failed", failure
        except SeatbridgeError as failure:
            job.failure = failure
        except Exception:
            logger.exception("sync of environment %s crashed", job.environment_id)
            job.failure = SyncCrashed(environment=job.environment_name)
        finally:
            job.finished = True
            started.set()


def sync_jobs(app: FastAPI) -> SyncJobs:
    """The app's job registry, made on first use (create_app builds only what every page needs)."""
    with _REGISTRY_LOCK:
        jobs = getattr(app.state, "sync_jobs", None)
        if jobs is None:
            web = app.state.web
            jobs = SyncJobs(web.sessions, web.settings, web.clock)
            app.state.sync_jobs = jobs
        return jobs
