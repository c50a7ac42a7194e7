"""Where converted batches go: written at once, or by a writer thread while the next is read.

On PostgreSQL most of a batch's cost is the server's (parsing, index and foreign-key checks in
another process), and psycopg waits for it without holding the GIL: a writer thread lets the
reading and converting of batch n+1 overlap the server's work on batch n. On SQLite the write
is CPU work in this process that holds the GIL for much of its time (binding every value), and
in measurements a second thread lost more to GIL hand-overs than it gained; there batches are
written inline. Either way each batch is its own transaction and at most one batch waits.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from types import TracebackType

from seatbridge.commerce.rows import StoreRow

Write = Callable[[Sequence[StoreRow]], int]


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


def sink_for(dialect: str, write: Write) -> InlineSink | ThreadedSink:
    """A writer thread where the store works in another process (PostgreSQL), else inline."""
    return ThreadedSink(write) if dialect == "postgresql" else InlineSink(write)
