"""Syncs started from a page ("Synchroniser maintenant", the wizard's first sync).

Each runs in a background thread of this process: the collaborators (seatbridge.sync) then, when
that run succeeded, the customers and sales documents (seatbridge.commerce). It holds the
environment's sync lease (seatbridge.jobs.schedule) like a scheduled sync, so one environment is
never synced twice at once, whichever process or machine starts it; finishing sets the next
scheduled sync. Pages poll the job's progress; the run itself is recorded in the store.
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
from seatbridge.accounts.sources import DirectSources, open_direct_reader, require_allowed
from seatbridge.clock import Clock
from seatbridge.commerce.replication import replicate
from seatbridge.config import Settings
from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_, dumps
from seatbridge.invitations.service import welcome_hook
from seatbridge.jobs import schedule
from seatbridge.sync.errors import SyncAlreadyRunning, SyncFailed
from seatbridge.sync.models import RunStatus
from seatbridge.sync.runner import run_sync
from seatbridge.sync.source import Sage100Source

logger = logging.getLogger(__name__)
_REGISTRY_LOCK = threading.Lock()


class SourceMissing(SeatbridgeError):
    code = "web.sync_source_missing"
    template = N_(
        "« {environment} » est alimenté par son connecteur sur site : il ne peut pas être lu "
        "d'ici. Lancez « seatbridge connector run » près de Sage 100."
    )


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
        """Start syncing `environment` (its fields are read now, not in the thread)."""
        if environment.source_url is None:
            raise SourceMissing(environment=environment.name)
        require_allowed(environment.source_url, DirectSources.from_settings(self.settings))
        key = (environment.account_id, environment.id)
        with self._lock:
            running = self._jobs.get(key)
            if running is not None and not running.finished:
                raise SyncAlreadyRunning(environment=environment.name)
            if not schedule.claim(
                self.sessions,
                environment_id=environment.id,
                owner=self.owner,
                now=self.clock.now(),
                lease=dt.timedelta(seconds=self.settings.jobs.lease_seconds),
            ):
                raise SyncAlreadyRunning(environment=environment.name)
            job = SyncJob(
                account_id=environment.account_id,
                environment_id=environment.id,
                environment_name=environment.name,
                started_at=self.clock.now(),
            )
            self._jobs[key] = job
        job.thread = threading.Thread(
            target=self._run,
            args=(job, environment.source_url, actor, full, confirm),
            name=f"web-sync-{environment.id}",
            daemon=True,
        )
        job.thread.start()
        return job

    def wait(self, timeout: float = 30.0) -> None:
        """Wait for every running job (tests; a clean stop)."""
        with self._lock:
            threads = [job.thread for job in self._jobs.values() if job.thread is not None]
        for thread in threads:
            thread.join(timeout)

    def _run(self, job: SyncJob, url: str, actor: str, full: bool, confirm: bool) -> None:
        try:
            with open_direct_reader(url, DirectSources.from_settings(self.settings)) as reader:
                outcome = run_sync(
                    self.sessions,
                    account_id=job.account_id,
                    environment_id=job.environment_id,
                    source=Sage100Source(reader),
                    actor=actor,
                    clock=self.clock,
                    full=full,
                    confirm=confirm,
                    on_invited=welcome_hook(settings=self.settings, clock=self.clock, actor=actor),
                )
                job.run_id, job.status, job.counts = (
                    outcome.run_id,
                    outcome.status.value,
                    outcome.counts,
                )
                if outcome.status is RunStatus.SUCCEEDED:
                    with self.sessions() as session:
                        environment = session.get_one(Environment, job.environment_id)
                        session.expunge(environment)
                    replicate(
                        self.sessions,
                        environment=environment,
                        reader=reader,
                        full=full,
                        clock=self.clock,
                        progress=job.replication_progress,
                    )
        except SyncFailed as failure:
            job.run_id, job.status, job.failure = failure.params.get("run_id"), "failed", failure
        except SeatbridgeError as failure:
            job.failure = failure
        except Exception:
            logger.exception("sync of environment %s crashed", job.environment_id)
            job.failure = SyncCrashed(environment=job.environment_name)
        finally:
            self._release(job)

    def _release(self, job: SyncJob) -> None:
        try:
            schedule.finish(
                self.sessions,
                environment_id=job.environment_id,
                owner=self.owner,
                now=self.clock.now(),
                status="failed" if job.failure else (job.status or "failed"),
                error=dumps(job.failure.text) if job.failure else None,
                settings=self.settings.jobs,
            )
        except Exception:
            # The lease then expires by itself; the page must still learn the job is over.
            logger.exception("could not release the sync lease of %s", job.environment_id)
        finally:
            job.finished = True


def sync_jobs(app: FastAPI) -> SyncJobs:
    """The app's job registry, made on first use (create_app builds only what every page needs)."""
    with _REGISTRY_LOCK:
        jobs = getattr(app.state, "sync_jobs", None)
        if jobs is None:
            web = app.state.web
            jobs = SyncJobs(web.sessions, web.settings, web.clock)
            app.state.sync_jobs = jobs
        return jobs
