"""A read of changed rows that also yields the watermark the next read starts from.

synchroData takes ``MAX(cbModification)`` before reading. On a table of millions of lines without
an index on cbModification that is a second scan as long as the read itself. `Changes` derives the
same watermark from the rows it streams instead: the newest cbModification read, less the time
the read took, and the highest cbMarq read.

Why it is as safe as the MAX taken first: cbModification comes from the server's clock
(``getdate()``), so a row modified while the read was running carries a stamp no older than the
read's start, which is no older than (newest stamp read - the read's duration). The next read
starts there, less the reader's overlap (late commits, minute precision), so it sees that row.
Rows the read did not see because they were added later have a cbMarq above the highest one
read. A read that returns nothing keeps the previous watermark.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any

from seatbridge.sage100.records import EntitySpec, Record, Watermark


class Changes:
    """Batches of records; once they have all been consumed, `following` is the next watermark."""

    def __init__(
        self,
        batches: Iterable[list[Record]],
        following: Callable[[], Watermark],
    ) -> None:
        self._batches = batches
        self._following = following
        self._consumed = False

    @classmethod
    def fixed(cls, batches: Iterable[list[Record]], following: Watermark) -> Changes:
        """Rows whose next watermark is already known (taken before reading, as a connector
        does)."""
        return cls(batches, lambda: following)

    @classmethod
    def derived(
        cls,
        batches: Iterable[list[Record]],
        spec: EntitySpec,
        since: Watermark | None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> Changes:
        """Rows whose next watermark is derived from themselves (see the module's docstring)."""
        return _Derived(batches, spec, since, clock).changes

    def __iter__(self) -> Iterator[list[Record]]:
        yield from self._batches
        self._consumed = True

    @property
    def following(self) -> Watermark:
        if not self._consumed:
            raise RuntimeError("the watermark is known once every batch has been read")
        return self._following()


class _Derived:
    """Keeps the newest stamp and highest cbMarq of the batches going through it."""

    def __init__(
        self,
        batches: Iterable[list[Record]],
        spec: EntitySpec,
        since: Watermark | None,
        clock: Callable[[], float],
    ) -> None:
        fields = spec.fields
        self._marq = itemgetter(fields.index("cbMarq"))
        self._stamp = itemgetter(fields.index("cbModification"))
        self._since = since
        self._clock = clock
        self._newest: dt.datetime | None = None
        self._highest = 0
        self._seconds = 0.0
        self.changes = Changes(self._watch(batches), self._following)

    def _watch(self, batches: Iterable[list[Record]]) -> Iterator[list[Record]]:
        started = self._clock()
        for batch in batches:
            if batch:
                self._highest = max(self._highest, max(map(self._marq, batch)))
                try:
                    newest: Any = max(filter(None, map(self._stamp, batch)), default=None)
                except TypeError:  # an unreadable stamp (its row is set aside): skip it
                    stamps = (s for s in map(self._stamp, batch) if isinstance(s, dt.datetime))
                    newest = max(stamps, default=None)
                if newest is not None and (self._newest is None or newest > self._newest):
                    self._newest = newest
            yield batch
        self._seconds = self._clock() - started

    def _following(self) -> Watermark:
        since = self._since
        highest = max(self._highest, since.max_cbmarq if since else 0)
        if self._newest is None:  # nothing modified was read: keep the previous stamp
            return Watermark(since.modified_since if since else None, highest)
        return Watermark(self._newest - dt.timedelta(seconds=self._seconds), highest)
