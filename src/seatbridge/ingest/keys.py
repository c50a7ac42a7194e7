"""Which key scans a delta run needs, found before anything is applied.

Replication looks for deleted rows when it reads an entity in full, and, on a delta read of
customers or document headers, when the copy would hold another number of rows than Sage 100
after the upsert (seatbridge.commerce.replication). A direct read then scans the keys of every
row; a push can only use the key scans the connector sent. Predicting both cases here lets the
server ask for all the scans it needs in one answer, before it changes anything. (Should the
prediction ever miss, replication asks for the scan itself: see seatbridge.ingest.commit.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment
from seatbridge.commerce.rows import SPECS, Copied, CopySpec
from seatbridge.ingest.codec import SAGE_ENTITIES, record_key
from seatbridge.ingest.source import StagedSource
from seatbridge.ingest.wire import EntityName, EntityPlan, EntityTotals
from seatbridge.sync.models import SyncWatermark

CHUNK: Final = 500


def keys_needed(
    sessions: sessionmaker[Session],
    *,
    environment: Environment,
    source: StagedSource,
    plans: Mapping[EntityName, EntityPlan],
    totals: Mapping[EntityName, EntityTotals],
    now: dt.datetime,
) -> list[EntityName]:
    """The commerce entities read as a delta, without a key scan, that replication will scan."""
    with sessions() as session:
        marks = {
            mark.entity: mark.last_full_at
            for mark in session.scalars(
                select(SyncWatermark).where(
                    SyncWatermark.account_id == environment.account_id,
                    SyncWatermark.environment_id == environment.id,
                )
            )
        }
    interval = dt.timedelta(hours=environment.full_sync_interval_hours)
    needed: list[EntityName] = []
    for copied in Copied:
        name: EntityName = copied.value
        if plans[name].full or totals[name].keys is not None:
            continue
        last_full = marks.get(name)
        if last_full is None or now - last_full >= interval:
            needed.append(name)  # replication will read it in full: every key is needed
        elif (
            copied is not Copied.DOCUMENT_LINES
            and _rows_after_upsert(sessions, environment, SPECS[copied], source)
            != totals[name].count
        ):
            needed.append(name)
    return needed


def _rows_after_upsert(
    sessions: sessionmaker[Session], environment: Environment, spec: CopySpec, source: StagedSource
) -> int:
    """How many rows the copy will hold once the staged rows are upserted into it."""
    model: Any = spec.model
    scope = (model.account_id == environment.account_id,
             model.environment_id == environment.id)  # fmt: skip
    with sessions() as session:
        rows = session.scalar(select(func.count()).select_from(model).where(*scope)) or 0
    entity = SAGE_ENTITIES[spec.copied.value]
    key_of = record_key(entity)
    staged: set[tuple[Any, ...]] = set()
    for batch in source.read_batches(entity):
        for record in batch:
            key = key_of(record).key
            parts = key if isinstance(key, tuple) else (key,)
            if None not in parts:  # replication drops rows without a business key
                staged.add(parts)
    columns = [getattr(model, name) for name in spec.key]
    for chunk in _chunks(staged):
        with sessions() as session:
            found = session.execute(
                select(*columns).where(*scope, columns[-1].in_({parts[-1] for parts in chunk}))
            )
            existing = {tuple(row) for row in found}
        rows += sum(1 for parts in chunk if parts not in existing)
    return rows


def _chunks(items: Iterable[tuple[Any, ...]]) -> Iterable[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
