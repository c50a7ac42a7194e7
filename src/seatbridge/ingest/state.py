"""What the server last applied for a connector's environment: where the connector resumes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from seatbridge.clock import Clock
from seatbridge.ingest.models import IngestRun, RunStatus
from seatbridge.ingest.runs import connector_environment
from seatbridge.ingest.wire import ENTITY_NAMES, EntityState, StateView, WireWatermark
from seatbridge.sync.models import SyncWatermark


def applied_state(
    session: Session, *, account_id: int, environment_id: int, clock: Clock
) -> StateView:
    """Per entity, the watermark of what is applied and whether a full read is due.

    The collaborators and each commerce entity keep their own watermark (seatbridge.sync,
    seatbridge.commerce): a full read is due when the entity never had one, or when its last
    one is older than the environment's full-sync interval, as for a direct read."""
    environment = connector_environment(
        session, account_id=account_id, environment_id=environment_id
    )
    marks = {
        mark.entity: mark
        for mark in session.scalars(
            select(SyncWatermark).where(
                SyncWatermark.account_id == account_id,
                SyncWatermark.environment_id == environment_id,
            )
        )
    }
    now = clock.now()
    interval = dt.timedelta(hours=environment.full_sync_interval_hours)
    entities = {}
    for name in ENTITY_NAMES:
        mark = marks.get(name)
        last_full = mark.last_full_at if mark is not None else None
        entities[name] = EntityState(
            watermark=(
                WireWatermark(modified_since=mark.modified_since, max_cbmarq=mark.max_cb_marq)
                if mark is not None
                else None
            ),
            last_full_at=last_full,
            full_due=last_full is None or now - last_full >= interval,
        )
    open_run = session.scalar(
        select(IngestRun.id)
        .where(
            IngestRun.account_id == account_id,
            IngestRun.environment_id == environment_id,
            IngestRun.status.in_((RunStatus.OPEN.value, RunStatus.APPLYING.value)),
        )
        .order_by(IngestRun.id.desc())
        .limit(1)
    )
    return StateView(
        environment_id=environment.id,
        environment=environment.name,
        entities=entities,
        open_run=open_run,
    )
