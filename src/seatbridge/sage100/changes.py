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

The overlap without re-reading the world: a Sage bulk operation stamps many rows with one
``cbModification`` S; the overlap would read them again on every run. A delta read also keeps,
per stamp it read at least `MIN_SEEN` rows with, a `Seen`: how many rows, the sum and the highest
of their cbMarq. The next delta skips the rows at S when (a) S was *settled* when the read began
— the server's clock was at least `SETTLE` past S, so no statement could still stamp a row with
S — and (b) the table holds exactly those rows at S now (same count, same cbMarq sum and
highest: a late commit moving a row into S, or one out of it, shows). A row modified since
carries a later stamp and is read; a group that no longer matches is read again once, then
recorded anew. Full reads record nothing (the next delta reads its window once).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any, Final

from seatbridge.sage100.records import EntitySpec, Record, Seen, Watermark

# How long after a stamp no statement can still write it: the stamp's precision (a minute for
# older versions' smalldatetime) with a margin.
SETTLE: Final = dt.timedelta(minutes=2)
MIN_SEEN: Final = 50  # rows at one stamp worth remembering (fewer are cheap to read again)
MAX_SEEN: Final = 20  # stamps remembered (the largest groups)


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
        server_now: dt.datetime | None = None,
        skipped: tuple[Seen, ...] = (),
    ) -> Changes:
        """Rows whose next watermark is derived from themselves (see the module's docstring).
        `server_now`: the database's clock when the read began (None: unknown, nothing is
        recorded as seen); `skipped`: the rows the read left out as already seen."""
        return _Derived(batches, spec, since, clock, server_now, skipped).changes

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
        server_now: dt.datetime | None = None,
        skipped: tuple[Seen, ...] = (),
    ) -> None:
        fields = spec.fields
        self._server_now = server_now
        self._skipped = skipped
        # Per stamp read by a delta: [rows, sum of cbMarq, highest cbMarq].
        self._groups: dict[Any, list[int]] | None = {} if since is not None else None
        self._marq = itemgetter(fields.index("cbMarq"))
        self._stamp = itemgetter(fields.index("cbModification"))
        self._since = since
        self._clock = clock
        self._newest: dt.datetime | None = max((g.stamp for g in skipped), default=None)
        self._highest = 0
        self._seconds = 0.0
        self.changes = Changes(self._watch(batches), self._following)

    def _watch(self, batches: Iterable[list[Record]]) -> Iterator[list[Record]]:
        started = self._clock()
        for batch in batches:
            if batch:
                self._highest = max(self._highest, max(map(self._marq, batch)))
                stamps = list(map(self._stamp, batch))
                try:
                    newest: Any = max(filter(None, stamps), default=None)
                except TypeError:  # an unreadable stamp (its row is set aside): skip it
                    newest = max((s for s in stamps if isinstance(s, dt.datetime)), default=None)
                if newest is not None and (self._newest is None or newest > self._newest):
                    self._newest = newest
                if self._groups is not None:
                    groups = self._groups
                    for stamp, marq in zip(stamps, map(self._marq, batch), strict=True):
                        group = groups.get(stamp)
                        if group is None:
                            groups[stamp] = [1, marq, marq]
                        else:
                            group[0] += 1
                            group[1] += marq
                            if marq > group[2]:
                                group[2] = marq
            yield batch
        self._seconds = self._clock() - started

    def _following(self) -> Watermark:
        since = self._since
        highest = max(self._highest, since.max_cbmarq if since else 0)
        if self._newest is None:  # nothing modified was read: keep the previous stamp
            return Watermark(since.modified_since if since else None, highest, self._seen())
        seen = self._seen()
        return Watermark(self._newest - dt.timedelta(seconds=self._seconds), highest, seen)

    def _seen(self) -> tuple[Seen, ...]:
        """The groups skipped (still true) and those read at settled stamps, largest first."""
        now = self._server_now
        found: dict[dt.datetime, Seen] = {group.stamp: group for group in self._skipped}
        for stamp, (count, total, highest) in (self._groups or {}).items():
            if not isinstance(stamp, dt.datetime) or now is None or stamp + SETTLE > now:
                continue
            if stamp in found:  # rows added at a skipped stamp (cbMarq above its highest)
                old = found[stamp]
                count, total = count + old.count, total + old.total
                highest = max(highest, old.cbmarq)
            if count >= MIN_SEEN:
                found[stamp] = Seen(stamp, highest, count, total)
        kept = sorted(found.values(), key=lambda group: (-group.count, group.stamp))
        return tuple(kept[:MAX_SEEN])
