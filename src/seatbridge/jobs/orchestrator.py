"""One sync of one environment, whoever starts it: the CLI, a worker or the embedded scheduler,
the Admin's "Synchroniser maintenant" and preview, the REST API, a connector's commit.

`synchronise` claims the environment's lease (or refuses, saying who holds it and since when),
opens its Sage 100 database (`seatbridge.sync.source.open_reader`: the configured timeouts),
runs the collaborators (`seatbridge.sync.runner.run_sync`) then the customers and sales
documents (`seatbridge.commerce.replication.replicate`) — or the part asked for —, with the
lease beating all along, and releases it with the outcome. A connector's commit feeds
`run_parts` its staged batches under the same lease (`seatbridge.ingest.commit`).

A preview (`dry_run`) changes nothing and takes no lease: it plans the collaborators only.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.errors import EnvironmentNotFound
from seatbridge.accounts.models import Environment
from seatbridge.clock import Clock
from seatbridge.commerce.replication import CommerceSource, ReplicationOutcome, replicate
from seatbridge.commerce.replication import Progress as ReplicationProgress
from seatbridge.config import Settings
from seatbridge.jobs.lease import EnvironmentLease
from seatbridge.sync.apply import InvitedHook
from seatbridge.sync.runner import CollaboratorSource, SyncOutcome, run_sync
from seatbridge.sync.runner import Progress as StageProgress
from seatbridge.sync.source import Sage100Source, open_reader


class Parts(enum.StrEnum):
    ALL = "all"  # collaborators, then customers and sales documents
    COLLABORATORS = "collaborators"
    COMMERCE = "commerce"


@dataclass(frozen=True)
class SyncRequest:
    """What to sync, as any edge asks for it."""

    account_id: int
    environment_id: int
    actor: str
    parts: Parts = Parts.ALL
    full: bool = False
    dry_run: bool = False
    confirm: bool = False
    commerce_full: bool | None = None  # None: as `full`


@dataclass(frozen=True)
class SyncResult:
    collaborators: SyncOutcome | None
    commerce: ReplicationOutcome | None

    @property
    def run(self) -> SyncOutcome:
        """The collaborators' run (for a request that included them)."""
        if self.collaborators is None:
            raise ValueError("the collaborators were not part of this sync")
        return self.collaborators

    @property
    def copy(self) -> ReplicationOutcome:
        """The customers' and documents' replication (for a request that included them)."""
        if self.commerce is None:
            raise ValueError("the customers and documents were not part of this sync")
        return self.commerce

    @property
    def status(self) -> str:
        """The environment's last sync status: the collaborators' run, else "succeeded"."""
        return self.collaborators.status.value if self.collaborators else "succeeded"


@dataclass(frozen=True)
class Sources:
    collaborators: CollaboratorSource
    commerce: CommerceSource


@dataclass(frozen=True)
class Observer:
    """Callbacks of an edge that shows progress (all optional)."""

    stage: StageProgress | None = None  # the collaborators' steps, as text
    replication: ReplicationProgress | None = None  # (entity, rows done, total)
    started: Callable[[], None] | None = None  # the lease is ours (or a preview starts)
    collaborators_done: Callable[[SyncOutcome], None] | None = None


NO_OBSERVER = Observer()


def synchronise(
    sessions: sessionmaker[Session],
    request: SyncRequest,
    *,
    holder: str,
    settings: Settings,
    clock: Clock,
    on_invited: InvitedHook | None = None,
    observer: Observer = NO_OBSERVER,
) -> SyncResult:
    """Sync one directly-read environment now (see the module's docstring).

    Raises `SyncAlreadyRunning` (or `SyncHolderStopped`) when another holder has the lease,
    `SourceNotDirect` for a connector environment, `SyncFailed` / `ReplicationFailed` when a
    step fails (the lease is then released and the failure recorded on the environment)."""
    environment = _environment(sessions, request.account_id, request.environment_id)
    if request.dry_run:
        with _direct(environment, settings) as sources:
            if observer.started:
                observer.started()
            outcome = run_sync(
                sessions,
                account_id=request.account_id,
                environment_id=request.environment_id,
                source=sources.collaborators,
                actor=request.actor,
                clock=clock,
                full=request.full,
                dry_run=True,
                progress=observer.stage,
            )
        return SyncResult(collaborators=outcome, commerce=None)
    with EnvironmentLease(
        sessions,
        environment_id=environment.id,
        environment_name=environment.name,
        holder=holder,
        jobs=settings.jobs,
        clock=clock,
        timezone=settings.timezone,
    ) as lease:
        started = clock.now()  # what Sage 100 held then is in the copy once the run succeeded
        if observer.started:
            observer.started()
        lease.progress("opening")
        with _direct(environment, settings) as sources:
            result = run_parts(
                sessions,
                request,
                lease=lease,
                environment=environment,
                sources=sources,
                clock=clock,
                on_invited=on_invited,
                observer=observer,
            )
        lease.status = result.status
        if result.status == "succeeded":
            _in_step(sessions, environment.id, since=started)
        return result


def run_parts(
    sessions: sessionmaker[Session],
    request: SyncRequest,
    *,
    lease: EnvironmentLease,
    environment: Environment,
    sources: Sources,
    clock: Clock,
    on_invited: InvitedHook | None = None,
    observer: Observer = NO_OBSERVER,
) -> SyncResult:
    """Under a held lease: the collaborators, then the customers and sales documents.

    Customers and documents are read-only copies: they are replicated even when the safety brake
    stopped the collaborators (whose watermark then stays put until someone confirms)."""
    collaborators = None
    if request.parts in (Parts.ALL, Parts.COLLABORATORS):
        lease.progress("collaborators")
        collaborators = run_sync(
            sessions,
            account_id=request.account_id,
            environment_id=request.environment_id,
            source=sources.collaborators,
            actor=request.actor,
            clock=clock,
            full=request.full,
            confirm=request.confirm,
            on_invited=on_invited,
            progress=observer.stage,
        )
        if observer.collaborators_done:
            observer.collaborators_done(collaborators)
        lease.check()
    commerce = None
    if request.parts in (Parts.ALL, Parts.COMMERCE):

        def report(entity: str, done: int, total: int | None) -> None:
            lease.progress(entity, done, total)
            if observer.replication:
                observer.replication(entity, done, total)

        lease.progress("customers")
        commerce = replicate(
            sessions,
            environment=environment,
            reader=sources.commerce,
            full=request.full if request.commerce_full is None else request.commerce_full,
            clock=clock,
            progress=report,
            confirm=request.confirm,  # past the commerce copy's safety brake too
        )
        lease.check()
    return SyncResult(collaborators=collaborators, commerce=commerce)


def _in_step(sessions: sessionmaker[Session], environment_id: int, *, since: dt.datetime) -> None:
    with sessions.begin() as session:
        session.execute(
            update(Environment)
            .where(Environment.id == environment_id)
            .values(in_step_at=since)
            .execution_options(synchronize_session=False)
        )


@contextmanager
def _direct(environment: Environment, settings: Settings) -> Iterator[Sources]:
    with open_reader(environment, settings) as reader:
        yield Sources(collaborators=Sage100Source(reader), commerce=reader)


def _environment(
    sessions: sessionmaker[Session], account_id: int, environment_id: int
) -> Environment:
    with sessions() as session:
        environment = session.get(Environment, environment_id)
        if environment is None or environment.account_id != account_id:
            raise EnvironmentNotFound(environment=environment_id)
        session.expunge(environment)
    return environment
