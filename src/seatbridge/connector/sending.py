"""Reading one entity from Sage 100 and sending it as batches named by their content."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, Final, Protocol, TypeVar

from seatbridge.connector.http import ConnectorApi
from seatbridge.ingest.codec import SAGE_ENTITIES, batch_id, encode_keys, encode_records
from seatbridge.ingest.wire import BatchIn, BatchKind, EntityName, RunView
from seatbridge.sage100.records import Entity, Record, RowKey, Watermark

DEFAULT_BATCH_ROWS: Final = 2000
KEYS_PER_RECORD_BATCH: Final = 5  # keys are small: a key batch holds 5 times more rows

# (what is being sent, rows sent so far, rows expected or None)
Progress = Callable[[str, int, int | None], None]
T = TypeVar("T")


class SageSource(Protocol):
    """What the connector reads (`seatbridge.sage100.Sage100Reader` has it)."""

    def watermark(self, entity: Entity) -> Watermark: ...

    def count(self, entity: Entity) -> int: ...

    def read_batches(
        self, entity: Entity, since: Watermark | None = None
    ) -> Iterator[list[Record]]: ...

    def scan_keys(self, entity: Entity) -> Iterator[RowKey]: ...


@dataclass
class EntityReport:
    full: bool
    rows: int = 0  # records read and pushed (sent now or already on the server)
    batches: int = 0
    sent: int = 0  # batches sent in this pass (the others were already on the server)
    keys: int | None = None  # key batches, when the server asked for them
    count: int = 0  # rows in Sage 100 after the read


class BatchSender:
    """Sends the batches of one run, skipping those the server already has (same name)."""

    def __init__(
        self, reader: SageSource, api: ConnectorApi, *, batch_rows: int, progress: Progress
    ) -> None:
        self.reader = reader
        self.api = api
        self.batch_rows = max(1, batch_rows)
        self.progress = progress

    def send_records(self, view: RunView, name: EntityName) -> EntityReport:
        entity, plan = SAGE_ENTITIES[name], view.entities[name]
        report = EntityReport(full=plan.full)
        since = None if plan.since is None else plan.since.to_watermark()
        total = self.reader.count(entity) if plan.full else None
        self.progress(name, 0, total)
        groups = _regroup(self.reader.read_batches(entity, since), self.batch_rows)
        for sequence, records in enumerate(groups):
            fields, rows = encode_records(entity, records)
            self._send(view, name, "records", sequence, fields, rows, report)
            report.batches, report.rows = sequence + 1, report.rows + len(rows)
            self.progress(name, report.rows, total)
        report.count = self.reader.count(entity)
        return report

    def send_keys(self, view: RunView, name: EntityName, report: EntityReport) -> None:
        """Send the key of every row (the server finds deletions with them)."""
        entity, sent = SAGE_ENTITIES[name], 0
        what, size = f"{name} (keys)", self.batch_rows * KEYS_PER_RECORD_BATCH
        self.progress(what, 0, None)
        for sequence, keys in enumerate(_chunks(self.reader.scan_keys(entity), size)):
            self._send(view, name, "keys", sequence, None, encode_keys(entity, keys), report)
            report.keys, sent = sequence + 1, sent + len(keys)
            self.progress(what, sent, None)
        report.keys = report.keys or 0
        report.count = self.reader.count(entity)

    def _send(
        self,
        view: RunView,
        name: EntityName,
        kind: BatchKind,
        sequence: int,
        fields: list[str] | None,
        rows: list[list[Any]],
        report: EntityReport,
    ) -> None:
        name_of_batch = batch_id(name, kind, sequence, fields, rows)
        if view.received.get(name, {}).get(kind, {}).get(sequence) == name_of_batch:
            return
        batch = BatchIn.model_construct(
            batch_id=name_of_batch, entity=name, kind=kind, sequence=sequence, fields=fields,
            rows=rows,
        )  # fmt: skip
        self.api.send_batch(view.id, batch)
        report.sent += 1


def _regroup(batches: Iterable[list[T]], size: int) -> Iterator[list[T]]:
    """Reader batches re-cut into lists of exactly `size` (the last one shorter)."""
    group: list[T] = []
    for batch in batches:
        group.extend(batch)
        while len(group) >= size:
            yield group[:size]
            group = group[size:]
    if group:
        yield group


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
