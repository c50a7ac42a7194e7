"""A run's staged batches, read the way the engines read Sage 100 itself.

`StagedSource` is both a `CollaboratorSource` (seatbridge.sync) and a `CommerceSource`
(seatbridge.commerce): the engines apply a push exactly as they apply a direct read. It streams
one staged batch at a time, each loaded in its own short session (memory stays bounded, and no
session stays open while the engines write). The `since` the engines pass is not used: the
connector already read from the watermark it was given.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.ingest import errors
from seatbridge.ingest.codec import (
    WIRE_NAMES,
    decode_keys,
    decode_records,
    record_key,
    unpack,
)
from seatbridge.ingest.models import IngestBatch
from seatbridge.ingest.wire import BatchKind, EntityName, EntityPlan, EntityTotals
from seatbridge.sage100.changes import Changes
from seatbridge.sage100.records import Entity, Record, RowKey, Watermark
from seatbridge.sync.records import ChangeSet
from seatbridge.sync.source import screened_change_set


class StagedSource:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        account_id: int,
        run_id: int,
        plans: Mapping[EntityName, EntityPlan],
        totals: Mapping[EntityName, EntityTotals],
    ) -> None:
        self.sessions = sessions
        self.account_id = account_id
        self.run_id = run_id
        self.plans = plans
        self.totals = totals

    def read_collaborators(self, *, since: Watermark | None) -> ChangeSet:
        """The pushed collaborators, as read (full or since the connector's watermark)."""
        plan = self.plans["collaborators"]
        # A row read twice (resumed run): the last wins; unusable rows are set aside.
        return screened_change_set(
            self.read_batches(Entity.COLLABORATORS),
            full=plan.full,
            watermark=plan.next.to_watermark(),
        )

    def watermark(self, entity: Entity) -> Watermark:
        return self.plans[WIRE_NAMES[Entity(entity)]].next.to_watermark()

    def read_changes(self, entity: Entity, since: Watermark | None = None) -> Changes:
        """The pushed rows, with the watermark the connector took before reading them."""
        return Changes.fixed(self.read_batches(entity), self.watermark(entity))

    def reopening(self) -> None:
        """Staged batches are read here, in this process."""
        return None

    def count(self, entity: Entity) -> int:
        return self.totals[WIRE_NAMES[Entity(entity)]].count

    def read_batches(
        self, entity: Entity, since: Watermark | None = None
    ) -> Iterator[list[Record]]:
        entity = Entity(entity)
        name = WIRE_NAMES[entity]
        for sequence, fields, rows in self._staged(name, "records", self.totals[name].records):
            with _damaged(name, sequence):
                records = decode_records(entity, fields, rows)
            yield records

    def scan_keys(self, entity: Entity) -> Iterator[RowKey]:
        """Every row's key in cbMarq order: from the records of a full read, else from the key
        scan the connector sent; without either, KeysRequired (the connector then sends one)."""
        entity = Entity(entity)
        name = WIRE_NAMES[entity]
        if self.plans[name].full:
            return _ascending(name, self._keys_of_records(entity))
        sent = self.totals[name].keys
        if sent is None:
            raise errors.KeysRequired(entity=name)
        return _ascending(name, self._keys(entity, sent))

    def _keys_of_records(self, entity: Entity) -> Iterator[RowKey]:
        key = record_key(entity)
        for batch in self.read_batches(entity):
            yield from map(key, batch)

    def _keys(self, entity: Entity, batches: int) -> Iterator[RowKey]:
        name = WIRE_NAMES[entity]
        for sequence, _fields, rows in self._staged(name, "keys", batches):
            with _damaged(name, sequence):
                keys = decode_keys(entity, rows)
            yield from keys

    def _staged(
        self, name: EntityName, kind: BatchKind, batches: int
    ) -> Iterator[tuple[int, list[str], list[Any]]]:
        with self.sessions() as session:
            staged = session.execute(
                select(IngestBatch.id, IngestBatch.sequence)
                .where(
                    IngestBatch.account_id == self.account_id,
                    IngestBatch.run_id == self.run_id,
                    IngestBatch.entity == name,
                    IngestBatch.kind == kind,
                    IngestBatch.sequence < batches,
                )
                .order_by(IngestBatch.sequence)
            ).all()
        for batch_id, sequence in staged:
            with self.sessions() as session:
                fields, payload = session.execute(
                    select(IngestBatch.fields, IngestBatch.payload).where(
                        IngestBatch.account_id == self.account_id, IngestBatch.id == batch_id
                    )
                ).one()
            yield sequence, fields or [], unpack(payload)


@contextmanager
def _damaged(name: EntityName, sequence: int) -> Iterator[None]:
    try:
        yield
    except ValueError as error:  # checked when staged: only a damaged store gets here
        raise errors.InvalidBatch(entity=name, sequence=sequence, detail=str(error)) from None


def _ascending(name: EntityName, keys: Iterator[RowKey]) -> Iterator[RowKey]:
    """Deletion detection needs keys in cbMarq order: refuse anything else rather than delete
    rows that are still there."""
    previous = -1
    for key in keys:
        if key.cbMarq <= previous:
            raise errors.InvalidBatch(
                entity=name, sequence="-", detail="keys are not in ascending cbMarq order"
            )
        previous = key.cbMarq
        yield key
