"""Push runs: open (idempotent by the connector's run id), describe, supersede, purge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.errors import EnvironmentNotFound
from seatbridge.accounts.models import Environment, SourceMode
from seatbridge.clock import Clock
from seatbridge.ingest import errors
from seatbridge.ingest.models import IngestBatch, IngestRun, RunStatus
from seatbridge.ingest.wire import RunOpen, RunView

# An open run nobody committed for this long is abandoned; finished runs are kept a week.
STALE_OPEN: Final = dt.timedelta(days=1)
KEEP_FINISHED: Final = dt.timedelta(days=7)
_UNFINISHED: Final = (RunStatus.OPEN.value, RunStatus.APPLYING.value)


def connector_environment(session: Session, *, account_id: int, environment_id: int) -> Environment:
    """The account's environment, which must be fed by a connector."""
    environment = session.scalar(
        select(Environment).where(
            Environment.account_id == account_id, Environment.id == environment_id
        )
    )
    if environment is None:
        raise EnvironmentNotFound(environment=environment_id)
    if environment.mode != SourceMode.CONNECTOR.value:
        raise errors.NotAConnectorEnvironment(environment=environment.name)
    return environment


def load_run(session: Session, *, account_id: int, environment_id: int, run_id: int) -> IngestRun:
    run = session.scalar(
        select(IngestRun).where(
            IngestRun.account_id == account_id,
            IngestRun.environment_id == environment_id,
            IngestRun.id == run_id,
        )
    )
    if run is None:
        raise errors.RunNotFound(run=run_id)
    return run


def open_run(
    session: Session,
    *,
    account_id: int,
    environment_id: int,
    request: RunOpen,
    actor: str,
    clock: Clock,
) -> RunView:
    """Open a run, or find the one opened with the same connector run id (a retried request).

    Opening a run abandons the environment's other open runs: one connector feeds one
    environment, and its newest run is the one that counts."""
    connector_environment(session, account_id=account_id, environment_id=environment_id)
    now = clock.now()
    purge_stale_runs(session, account_id=account_id, now=now)
    entities = {name: plan.model_dump(mode="json") for name, plan in request.entities.items()}
    existing = session.scalar(
        select(IngestRun).where(
            IngestRun.account_id == account_id,
            IngestRun.environment_id == environment_id,
            IngestRun.connector_run_id == str(request.connector_run_id),
        )
    )
    if existing is not None:
        if existing.entities != entities or existing.confirm != request.confirm:
            raise errors.RunConflict(connector_run_id=str(request.connector_run_id))
        return describe(session, existing)
    run = IngestRun(
        account_id=account_id,
        environment_id=environment_id,
        connector_run_id=str(request.connector_run_id),
        status=RunStatus.OPEN.value,
        actor=actor,
        confirm=request.confirm,
        entities=entities,
        keys_required=[],
        outcome={},
        opened_at=now,
        updated_at=now,
    )
    session.add(run)
    session.flush()
    _supersede(session, account_id=account_id, environment_id=environment_id, run=run, now=now)
    return describe(session, run)


def get_run(session: Session, *, account_id: int, environment_id: int, run_id: int) -> RunView:
    connector_environment(session, account_id=account_id, environment_id=environment_id)
    run = load_run(session, account_id=account_id, environment_id=environment_id, run_id=run_id)
    return describe(session, run)


def describe(session: Session, run: IngestRun) -> RunView:
    received: dict[str, dict[str, dict[int, str]]] = {}
    rows = session.execute(
        select(IngestBatch.entity, IngestBatch.kind, IngestBatch.sequence, IngestBatch.batch_id)
        .where(IngestBatch.account_id == run.account_id, IngestBatch.run_id == run.id)
        .order_by(IngestBatch.entity, IngestBatch.kind, IngestBatch.sequence)
    )
    for entity, kind, sequence, batch_id in rows:
        received.setdefault(entity, {}).setdefault(kind, {})[sequence] = batch_id
    return RunView.model_validate(
        {
            "id": run.id,
            "connector_run_id": run.connector_run_id,
            "status": run.status,
            "confirm": run.confirm,
            "opened_at": run.opened_at,
            "entities": run.entities,
            "received": received,
            "totals": run.totals,
            "keys_required": run.keys_required,
            "outcome": run.outcome,
            "error": run.error,
        }
    )


def delete_batches(session: Session, *, account_id: int, run_ids: Iterable[int]) -> None:
    ids = list(run_ids)
    if ids:
        session.execute(
            delete(IngestBatch).where(
                IngestBatch.account_id == account_id, IngestBatch.run_id.in_(ids)
            )
        )


def _supersede(
    session: Session, *, account_id: int, environment_id: int, run: IngestRun, now: dt.datetime
) -> None:
    older = list(
        session.scalars(
            select(IngestRun.id).where(
                IngestRun.account_id == account_id,
                IngestRun.environment_id == environment_id,
                IngestRun.status == RunStatus.OPEN.value,
                IngestRun.id != run.id,
            )
        )
    )
    if not older:
        return
    delete_batches(session, account_id=account_id, run_ids=older)
    session.execute(
        update(IngestRun)
        .where(IngestRun.account_id == account_id, IngestRun.id.in_(older))
        .values(
            status=RunStatus.FAILED.value,
            error=f"superseded by run {run.id}",
            updated_at=now,
            finished_at=now,
        )
        .execution_options(synchronize_session=False)
    )


def purge_stale_runs(session: Session, *, account_id: int, now: dt.datetime) -> int:
    """Delete the account's runs left open for a day, and finished runs older than a week."""
    stale = or_(
        and_(IngestRun.status.in_(_UNFINISHED), IngestRun.updated_at < now - STALE_OPEN),
        and_(~IngestRun.status.in_(_UNFINISHED), IngestRun.updated_at < now - KEEP_FINISHED),
    )
    ids = list(
        session.scalars(select(IngestRun.id).where(IngestRun.account_id == account_id, stale))
    )
    if not ids:
        return 0
    delete_batches(session, account_id=account_id, run_ids=ids)
    session.execute(
        delete(IngestRun).where(IngestRun.account_id == account_id, IngestRun.id.in_(ids))
    )
    return len(ids)


def purge_all_stale_runs(sessions: sessionmaker[Session], *, clock: Clock) -> int:
    """`purge_stale_runs` for every account that has runs (a periodic job)."""
    with sessions() as session:
        accounts = list(session.scalars(select(IngestRun.account_id).distinct()))
    purged = 0
    for account_id in accounts:
        with sessions.begin() as session:
            purged += purge_stale_runs(session, account_id=account_id, now=clock.now())
    return purged
