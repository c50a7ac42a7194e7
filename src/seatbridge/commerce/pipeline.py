"""Where converted batches go: to a writer thread, while the caller reads the next batch.

Writing a batch is mostly time without the GIL: PostgreSQL works in its own process while
psycopg waits, and SQLite runs each multi-row INSERT in C with the GIL released. A writer
thread thus overlaps the writing of batch n with the reading and converting of batch n+1 (about
15 % faster on SQLite and 30 % on PostgreSQL with a core to spare; no gain on a saturated
machine). Each batch stays its own transaction and at most one batch waits in the queue.
An in-memory SQLite store (one database per connection) is written inline.
"""

from __future__ import annotations

import gc
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from types import TracebackType
from typing import Final

from sqlalchemy import Engine

from seatbridge.commerce.rows import CopySpec, StoreRow
from seatbridge.sage100.records import Record

Write = Callable[[Sequence[StoreRow]], int]

# Allocations between two young-generation collections while replicating (CPython's default is
# 700). A replication allocates millions of short-lived tuples; at the default rate the collector
# runs so often, and walks the older generations so often, that it costs about a third of a full
# run (measured: 7.3 s -> 5.2 s on 600,000 rows). Garbage cycles are rare here; they wait a little.
REPLICATION_GC_THRESHOLD: Final = 50_000
_gc_lock = threading.Lock()
_gc_users = 0
_gc_saved: tuple[int, int, int] | None = None


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's first threshold while at least one replication runs (they may run
    in several threads; the last one out restores the process's own setting)."""
    global _gc_users, _gc_saved
    with _gc_lock:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(max(_gc_saved[0], REPLICATION_GC_THRESHOLD), *_gc_saved[1:])
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0 and _gc_saved is not None:
                gc.set_threshold(*_gc_saved)
                _gc_saved = None


class InlineSink:
    """Writes each batch in the caller's thread."""

    def __init__(self, write: Write) -> None:
        self.write = write
        self.written = 0

    def put(self, rows: Sequence[StoreRow]) -> None:
        self.written += self.write(rows)

    def __enter__(self) -> InlineSink:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None


class ThreadedSink:
    """Writes batches in one writer thread; its failure is raised in the caller's thread."""

    def __init__(self, write: Write) -> None:
        self.write = write
        self.written = 0
        self._error: BaseException | None = None
        self._queue: queue.Queue[Sequence[StoreRow] | None] = queue.Queue(maxsize=1)
        self._thread = threading.Thread(target=self._work, name="commerce-writer", daemon=True)

    def __enter__(self) -> ThreadedSink:
        self._thread.start()
        return self

    def put(self, rows: Sequence[StoreRow]) -> None:
        self._raise_failure()
        self._queue.put(rows)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # Let the batch in hand finish (it commits or rolls back whole), then stop.
        self._queue.put(None)
        self._thread.join()
        if exc is None:
            self._raise_failure()

    def _work(self) -> None:
        while (rows := self._queue.get()) is not None:
            if self._error is None:  # after a failure, only drain so that put() never blocks
                try:
                    self.written += self.write(rows)
                except BaseException as error:  # noqa: BLE001 (handed over to the caller's thread)
                    self._error = error

    def _raise_failure(self) -> None:
        if self._error is not None:
            raise self._error


def sink_for(engine: Engine, write: Write) -> InlineSink | ThreadedSink:
    """A writer thread, unless the store is an in-memory SQLite (another thread would see
    another, empty, database)."""
    in_memory = engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")
    return InlineSink(write) if in_memory else ThreadedSink(write)


def groups(batches: Iterable[list[Record]], size: int) -> Iterator[list[Record]]:
    """Reader batches gathered into groups of about `size` rows (one transaction each)."""
    group: list[Record] = []
    for batch in batches:
        group.extend(batch)
        if len(group) >= size:
            yield group
            group = []
    if group:
        yield group


def deduplicator(spec: CopySpec) -> Callable[[list[StoreRow]], Sequence[StoreRow]]:
    """Keep the last row per business key: a key deleted and re-created during the read can
    come twice, and one merge statement must not touch a row twice."""
    if spec.key == ("cb_marq",):
        return lambda rows: rows  # cbMarq is unique in one read
    key = itemgetter(*(spec.columns.index(name) for name in spec.key))
    return lambda rows: list({key(row): row for row in rows}.values())
