"""Committing a run: check it is complete, then apply it with the engines of a direct read.

Under the environment's sync lease (seatbridge.jobs.lease: one sync per environment at a time,
whoever starts it), the orchestrator's `run_parts` (seatbridge.jobs.orchestrator) runs the
pushed collaborators, then the pushed customers and documents, both fed by a `StagedSource`.
The collaborators' outcome is saved as soon as it is known, so a commit that is retried after a
crash does not sync them twice.

A replication that looks for deleted rows needs the key of every row. The connector only sends
key scans when asked: when the commit finds that it needs some (seatbridge.ingest.keys), it
answers `keys_required` before applying anything and keeps the run open; the connector sends
the scans and commits again.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment
from seatbridge.clock import Clock
from seatbridge.commerce.errors import ReplicationFailed
from seatbridge.config import JobSettings
from seatbridge.errors import SeatbridgeError
from seatbridge.ingest import errors
from seatbridge.ingest.keys import keys_needed
from seatbridge.ingest.models import IngestBatch, IngestRun, RunStatus
from seatbridge.ingest.runs import connector_environment, delete_batches, describe, load_run
from seatbridge.ingest.source import StagedSource
from seatbridge.ingest.state import applied_state
from seatbridge.ingest.wire import (
    ENTITY_NAMES,
    CommitView,
    EntityName,
    EntityPlan,
    EntityTotals,
    RunCommit,
)
from seatbridge.jobs.lease import EnvironmentLease, holder_name
from seatbridge.jobs.orchestrator import Observer, Parts, Sources, SyncRequest, run_parts
from seatbridge.sage100.screening import RowReport
from seatbridge.sync.apply import InvitedHook
from seatbridge.sync.errors import SyncAlreadyRunning
from seatbridge.sync.runner import SyncOutcome

COMMERCE: tuple[EntityName, ...] = ("customers", "document_headers", "document_lines")


def commit_run(
    sessions: sessionmaker[Session],
    *,
    account_id: int,
    environment_id: int,
    run_id: int,
    request: RunCommit,
    actor: str,
    clock: Clock,
    jobs: JobSettings,
    on_invited: InvitedHook | None = None,
) -> CommitView:
    """Apply the run; committing an applied run again returns its outcome (idempotent)."""
    with sessions.begin() as session:
        environment = connector_environment(
            session, account_id=account_id, environment_id=environment_id
        )
        run = load_run(session, account_id=account_id, environment_id=environment_id,
                       run_id=run_id)  # fmt: skip
        if run.status == RunStatus.APPLIED.value:
            return _applied_view(session, run, clock)
        if run.status == RunStatus.FAILED.value:
            raise errors.RunClosed(run=run.id, status=run.status, detail=run.error or "")
        _check_complete(session, run, request)
        run.totals = request.model_dump(mode="json")["entities"]
        run.updated_at = clock.now()
        environment_name = environment.name
    lease = EnvironmentLease(
        sessions,
        environment_id=environment_id,
        environment_name=environment_name,
        holder=holder_name(f"ingest:{run_id}:{uuid.uuid4().hex[:8]}"),
        jobs=jobs,
        clock=clock,
    )
    try:
        lease.claim()
    except SyncAlreadyRunning as busy:
        raise errors.IngestBusy(environment=environment_name) from busy
    with lease:
        view = _Commit(sessions, account_id, environment_id, run_id, actor, clock).apply(
            request, on_invited, lease
        )
        lease.status = _sync_status(view)
        return view


class _Commit:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        account_id: int,
        environment_id: int,
        run_id: int,
        actor: str,
        clock: Clock,
    ) -> None:
        self.sessions = sessions
        self.account_id = account_id
        self.environment_id = environment_id
        self.run_id = run_id
        self.actor = actor
        self.clock = clock

    def apply(
        self, request: RunCommit, on_invited: InvitedHook | None, lease: EnvironmentLease
    ) -> CommitView:
        with self.sessions.begin() as session:
            run = self._run(session)
            run.status = RunStatus.APPLYING.value
            plans = {name: EntityPlan.model_validate(run.entities[name]) for name in ENTITY_NAMES}
            outcome, confirm = dict(run.outcome), run.confirm
            environment = session.get_one(Environment, self.environment_id)
            session.expunge(environment)
        totals: dict[EntityName, EntityTotals] = dict(request.entities)
        source = StagedSource(
            self.sessions, account_id=self.account_id, run_id=self.run_id, plans=plans,
            totals=totals,
        )  # fmt: skip
        needed = keys_needed(self.sessions, environment=environment, source=source, plans=plans,
                             totals=totals, now=self.clock.now())  # fmt: skip
        if needed:
            return self._ask_for_keys(needed)

        def collaborators_done(synced: SyncOutcome) -> None:
            outcome["collaborators"] = {
                "sync_run_id": synced.run_id,
                "status": synced.status.value,
                "full": synced.plan.full if synced.plan else plans["collaborators"].full,
                "records_read": synced.plan.records_read if synced.plan else 0,
                "counts": synced.counts,
                "rows_report": synced.report.as_dict(),
            }
            self._save(outcome=outcome)

        wanted = SyncRequest(
            account_id=self.account_id,
            environment_id=self.environment_id,
            actor=self.actor,
            parts=Parts.COMMERCE if "collaborators" in outcome else Parts.ALL,
            full=plans["collaborators"].full,
            commerce_full=all(plans[name].full for name in COMMERCE),
            confirm=confirm,
        )
        try:
            result = run_parts(
                self.sessions,
                wanted,
                lease=lease,
                environment=environment,
                sources=Sources(collaborators=source, commerce=source),
                clock=self.clock,
                on_invited=on_invited,
                observer=Observer(collaborators_done=collaborators_done),
            )
        except ReplicationFailed as failure:
            if isinstance(failure.__cause__, errors.KeysRequired):
                return self._ask_for_keys([failure.__cause__.params["entity"]])
            raise self._failed(failure) from failure
        except SeatbridgeError as failure:
            raise self._failed(failure) from failure
        replicated = result.copy
        outcome.update(replicated.as_dict()["entities"])
        # Every row set aside by this push (collaborators and commerce), per Sage table.
        report = RowReport.from_dict(outcome["collaborators"].get("rows_report"))
        report.merge(replicated.report)
        outcome["rows_report"] = report.as_dict()
        with self.sessions.begin() as session:
            run = self._run(session)
            now = self.clock.now()
            run.status = RunStatus.APPLIED.value
            run.outcome = outcome
            run.keys_required = []
            run.updated_at = run.finished_at = now
            delete_batches(session, account_id=self.account_id, run_ids=[run.id])
            return _applied_view(session, run, self.clock)

    def _ask_for_keys(self, entities: list[EntityName]) -> CommitView:
        with self.sessions.begin() as session:
            run = self._run(session)
            run.status = RunStatus.OPEN.value
            run.keys_required = list(entities)
            run.updated_at = self.clock.now()
            return CommitView(status="keys_required", run=describe(session, run))

    def _failed(self, failure: SeatbridgeError) -> errors.ApplyFailed:
        reason = failure.message("fr")
        with self.sessions.begin() as session:
            run = self._run(session)
            now = self.clock.now()
            run.status = RunStatus.FAILED.value
            run.error = reason[:2000]
            run.updated_at = run.finished_at = now
            delete_batches(session, account_id=self.account_id, run_ids=[run.id])
        return errors.ApplyFailed(run=self.run_id, reason=reason)

    def _save(self, *, outcome: dict[str, Any]) -> None:
        with self.sessions.begin() as session:
            run = self._run(session)
            run.outcome = outcome
            run.updated_at = self.clock.now()

    def _run(self, session: Session) -> IngestRun:
        return load_run(session, account_id=self.account_id, environment_id=self.environment_id,
                        run_id=self.run_id)  # fmt: skip


def _check_complete(session: Session, run: IngestRun, request: RunCommit) -> None:
    """Drop batches past the announced counts (left by an earlier attempt), then refuse the
    commit if any announced batch is missing."""
    received: dict[tuple[str, str], set[int]] = {}
    for entity, kind, sequence in session.execute(
        select(IngestBatch.entity, IngestBatch.kind, IngestBatch.sequence).where(
            IngestBatch.account_id == run.account_id, IngestBatch.run_id == run.id
        )
    ):
        received.setdefault((entity, kind), set()).add(sequence)
    missing = []
    for name, totals in request.entities.items():
        for kind, announced in (("records", totals.records), ("keys", totals.keys or 0)):
            have = received.get((name, kind), set())
            if extra := [sequence for sequence in have if sequence >= announced]:
                session.execute(
                    delete(IngestBatch).where(
                        IngestBatch.account_id == run.account_id,
                        IngestBatch.run_id == run.id,
                        IngestBatch.entity == name,
                        IngestBatch.kind == kind,
                        IngestBatch.sequence.in_(extra),
                    )
                )
            gaps = [sequence for sequence in range(announced) if sequence not in have]
            if gaps:
                shown = ", ".join(map(str, gaps[:10])) + (" …" if len(gaps) > 10 else "")
                missing.append(f"{name} {kind} {shown}")
    if missing:
        raise errors.RunIncomplete(missing="; ".join(missing))


def _applied_view(session: Session, run: IngestRun, clock: Clock) -> CommitView:
    state = applied_state(
        session, account_id=run.account_id, environment_id=run.environment_id, clock=clock
    )
    return CommitView(status="applied", run=describe(session, run), state=state)


def _sync_status(view: CommitView) -> str:
    """What the environment's last sync status says: the collaborators' run decides."""
    if view.status == "keys_required":
        return "keys_required"
    collaborators = view.run.outcome.get("collaborators", {})
    return str(collaborators.get("status", "succeeded"))
