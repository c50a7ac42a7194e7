"""Staging one batch of a run: checked, compressed, stored once (resending it changes nothing)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from seatbridge.clock import Clock
from seatbridge.ingest import errors
from seatbridge.ingest.codec import SAGE_ENTITIES, batch_id, decode_keys, decode_records, pack
from seatbridge.ingest.models import IngestBatch, IngestRun, RunStatus
from seatbridge.ingest.runs import connector_environment, load_run
from seatbridge.ingest.wire import BatchAck, BatchIn


def stage_batch(
    session: Session,
    *,
    account_id: int,
    environment_id: int,
    run_id: int,
    batch: BatchIn,
    clock: Clock,
) -> BatchAck:
    """Stage `batch` in the open run `run_id`.

    The batch id is a hash of the content: the same id at the same place is a resend
    (acknowledged, not staged again); another id at the same place replaces what was there,
    because a connector that resumes a run reads Sage 100 again and a row may have changed."""
    connector_environment(session, account_id=account_id, environment_id=environment_id)
    run = load_run(session, account_id=account_id, environment_id=environment_id, run_id=run_id)
    if run.status != RunStatus.OPEN.value:
        raise errors.RunClosed(run=run.id, status=run.status, detail=run.error or "")
    existing = _staged(session, run, batch)
    if existing is not None and existing.batch_id == batch.batch_id:
        return BatchAck(status="duplicate", rows=existing.row_count)
    _check(batch)
    payload = pack(batch.rows)
    now = clock.now()
    if existing is not None:
        existing.batch_id = batch.batch_id
        existing.fields = batch.fields
        existing.row_count = len(batch.rows)
        existing.payload = payload
        existing.received_at = now
    else:
        staged = IngestBatch(
            account_id=account_id,
            run_id=run.id,
            entity=batch.entity,
            kind=batch.kind,
            sequence=batch.sequence,
            batch_id=batch.batch_id,
            row_count=len(batch.rows),
            fields=batch.fields,
            payload=payload,
            received_at=now,
        )
        try:
            with session.begin_nested():
                session.add(staged)
        except IntegrityError:
            # The same batch, sent twice at once (a retry overtaking its original).
            raced = _staged(session, run, batch)
            if raced is not None and raced.batch_id == batch.batch_id:
                return BatchAck(status="duplicate", rows=raced.row_count)
            raise
    run.updated_at = now
    return BatchAck(status="staged", rows=len(batch.rows))


def _staged(session: Session, run: IngestRun, batch: BatchIn) -> IngestBatch | None:
    return session.scalar(
        select(IngestBatch).where(
            IngestBatch.account_id == run.account_id,
            IngestBatch.run_id == run.id,
            IngestBatch.entity == batch.entity,
            IngestBatch.kind == batch.kind,
            IngestBatch.sequence == batch.sequence,
        )
    )


def _check(batch: BatchIn) -> None:
    """Refuse a batch whose id does not match its content, or whose rows do not decode."""

    def invalid(detail: str) -> errors.InvalidBatch:
        return errors.InvalidBatch(entity=batch.entity, sequence=batch.sequence, detail=detail)

    expected = batch_id(batch.entity, batch.kind, batch.sequence, batch.fields, batch.rows)
    if expected != batch.batch_id:
        raise invalid("batch_id is not the hash of the batch's content")
    entity = SAGE_ENTITIES[batch.entity]
    try:
        if batch.kind == "records":
            if not batch.fields:
                raise invalid("a batch of records needs its 'fields'")
            decode_records(entity, batch.fields, batch.rows)
        else:
            if batch.fields:
                raise invalid("a batch of keys has no 'fields'")
            decode_keys(entity, batch.rows)
    except ValueError as error:
        raise invalid(str(error)) from None
