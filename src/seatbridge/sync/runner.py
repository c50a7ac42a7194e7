"""One sync run of an environment: read, plan, brake, apply, record — or fail, changing nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.errors import EnvironmentNotFound
from seatbridge.accounts.models import Environment
from seatbridge.clock import Clock
from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import Text, _, _n, dumps
from seatbridge.ops.events import logged
from seatbridge.sage100.screening import RowReport
from seatbridge.sync import errors
from seatbridge.sync.apply import InvitedHook, apply_plan
from seatbridge.sync.loader import load_state
from seatbridge.sync.models import RunStatus, SyncRun, SyncWatermark
from seatbridge.sync.plan import Plan, plan_sync
from seatbridge.sync.records import ChangeSet, Watermark

ENTITY = "collaborators"
MAX_ACTIONS_KEPT = 500  # a run's detail page shows this many actions; counts cover them all

Progress = Callable[[Text], None]


class CollaboratorSource(Protocol):
    """Where collaborators come from: a direct Sage 100 read, or a connector's pushed batch."""

    def read_collaborators(self, *, since: Watermark | None) -> ChangeSet:
        """All rows when `since` is None (a full read), else the rows changed since it."""
        ...


@dataclass(frozen=True)
class SyncOutcome:
    run_id: int
    status: RunStatus
    plan: Plan | None
    counts: dict[str, int]
    report: RowReport = field(default_factory=RowReport)  # rows set aside or cleaned

    @property
    def blocked(self) -> bool:
        return self.status is RunStatus.BLOCKED


def run_sync(
    sessions: sessionmaker[Session],
    *,
    account_id: int,
    environment_id: int,
    source: CollaboratorSource,
    actor: str,
    clock: Clock,
    full: bool = False,
    dry_run: bool = False,
    confirm: bool = False,
    on_invited: InvitedHook | None = None,
    progress: Progress | None = None,
) -> SyncOutcome:
    """One sync run of an environment (logged: start and end lines with ids and counts)."""
    ids = {"account_id": account_id, "environment_id": environment_id}
    with logged("sync", **ids, full=full, dry_run=dry_run) as done:
        outcome = _run_sync(
            sessions,
            account_id=account_id,
            environment_id=environment_id,
            source=source,
            actor=actor,
            clock=clock,
            full=full,
            dry_run=dry_run,
            confirm=confirm,
            on_invited=on_invited,
            progress=progress,
        )
        done.update(run_id=outcome.run_id, status=outcome.status.value, counts=outcome.counts)
    return outcome


def _run_sync(
    sessions: sessionmaker[Session],
    *,
    account_id: int,
    environment_id: int,
    source: CollaboratorSource,
    actor: str,
    clock: Clock,
    full: bool = False,
    dry_run: bool = False,
    confirm: bool = False,
    on_invited: InvitedHook | None = None,
    progress: Progress | None = None,
) -> SyncOutcome:
    say = progress or (lambda _message: None)
    started = clock.now()
    with sessions() as session:
        environment = _environment(session, account_id, environment_id)
        mark = _watermark(session, environment)
        full = full or _full_due(environment, mark, clock.now())
        since = None if full or mark is None else Watermark(mark.modified_since, mark.max_cb_marq)
    context = RunRecord(
        account_id=account_id,
        environment_id=environment_id,
        full=full,
        dry_run=dry_run,
        actor=actor,
        started=started,
    )
    say(_("Lecture de Sage 100 (complète)") if full else _("Lecture de Sage 100 (modifications)"))
    try:
        change_set = source.read_collaborators(since=since)
    except SeatbridgeError as error:
        return _failed(sessions, context, error)
    say(
        _n(
            "{n} collaborateur lu ; calcul du plan",
            "{n} collaborateurs lus ; calcul du plan",
            len(change_set.records),
        )
    )
    try:
        with sessions.begin() as session:
            environment = _environment(session, account_id, environment_id)
            plan = plan_sync(
                change_set, load_state(session, environment=environment, change_set=change_set)
            )
            if dry_run:
                status, counts = RunStatus.PREVIEW, plan.counts()
            elif plan.brake_engaged and not confirm:
                status, counts = RunStatus.BLOCKED, plan.counts()
            else:
                say(
                    _n(
                        "Application de {n} changement",
                        "Application de {n} changements",
                        len(plan.actions),
                    )
                )
                counts = dict(
                    apply_plan(
                        session,
                        plan,
                        environment=environment,
                        actor=actor,
                        clock=clock,
                        on_invited=on_invited,
                    )
                )
                _advance_watermark(session, environment, change_set, clock.now())
                status = RunStatus.SUCCEEDED
            ended = context.ended(clock.now(), status, counts, plan, full=plan.full)
            report = change_set.report.as_dict() if change_set.report else None
            run = _record(session, replace(ended, rows_report=report))
            run_id = run.id
    except SeatbridgeError as error:
        return _failed(sessions, context, error)
    say(_("Terminé"))
    return SyncOutcome(
        run_id=run_id, status=status, plan=plan, counts=counts, report=change_set.report
    )


@dataclass(frozen=True)
class RunRecord:
    """Everything a `sync_run` row records: who ran what, when, and how it ended."""

    account_id: int
    environment_id: int
    full: bool
    dry_run: bool
    actor: str
    started: dt.datetime
    finished: dt.datetime | None = None
    status: RunStatus = RunStatus.FAILED
    counts: dict[str, int] = field(default_factory=dict)
    plan: Plan | None = None
    error: str | None = None
    # Rows of Sage 100 set aside or cleaned (seatbridge.sage100.screening.RowReport.as_dict).
    rows_report: dict[str, Any] | None = None

    def ended(
        self,
        finished: dt.datetime,
        status: RunStatus,
        counts: dict[str, int],
        plan: Plan | None,
        *,
        full: bool | None = None,
        error: str | None = None,
    ) -> RunRecord:
        return replace(
            self,
            finished=finished,
            status=status,
            counts=counts,
            plan=plan,
            full=self.full if full is None else full,
            error=error,
        )


def _failed(
    sessions: sessionmaker[Session], context: RunRecord, error: SeatbridgeError
) -> SyncOutcome:
    with sessions.begin() as session:
        run = _record(
            session,
            context.ended(context.started, RunStatus.FAILED, {}, None, error=dumps(error.text)),
        )
        run_id = run.id
    raise errors.SyncFailed(reason=error.text, run_id=run_id) from error


def _record(session: Session, record: RunRecord) -> SyncRun:
    plan = record.plan
    run = SyncRun(
        account_id=record.account_id,
        environment_id=record.environment_id,
        full=record.full,
        dry_run=record.dry_run,
        status=record.status.value,
        actor=record.actor,
        started_at=record.started,
        finished_at=record.finished or record.started,
        records_read=plan.records_read if plan else 0,
        counts=record.counts,
        actions=[a.summary() for a in plan.actions[:MAX_ACTIONS_KEPT]] if plan else [],
        error=record.error[:2000] if record.error else None,
        rows_report=record.rows_report,
    )
    if plan is not None and record.status is RunStatus.BLOCKED:
        run.error = dumps(errors.SyncBlocked(harmful=plan.harmful, linked=plan.linked_users).text)
    session.add(run)
    session.flush()
    return run


def _environment(session: Session, account_id: int, environment_id: int) -> Environment:
    environment = session.get(Environment, environment_id)
    if environment is None or environment.account_id != account_id:
        raise EnvironmentNotFound(environment=environment_id)
    return environment


def _watermark(session: Session, environment: Environment) -> SyncWatermark | None:
    return session.scalar(
        select(SyncWatermark).where(
            SyncWatermark.environment_id == environment.id, SyncWatermark.entity == ENTITY
        )
    )


def _full_due(environment: Environment, mark: SyncWatermark | None, now: dt.datetime) -> bool:
    if mark is None or mark.last_full_at is None:
        return True
    return now - mark.last_full_at >= dt.timedelta(hours=environment.full_sync_interval_hours)


def _advance_watermark(
    session: Session, environment: Environment, change_set: ChangeSet, now: dt.datetime
) -> None:
    mark = _watermark(session, environment)
    if mark is None:
        mark = SyncWatermark(
            account_id=environment.account_id, environment_id=environment.id, entity=ENTITY
        )
        session.add(mark)
    if change_set.watermark.modified_since is not None:
        mark.modified_since = change_set.watermark.modified_since
    mark.max_cb_marq = max(mark.max_cb_marq or 0, change_set.watermark.max_cbmarq)
    if change_set.full:
        mark.last_full_at = now
    mark.updated_at = now
