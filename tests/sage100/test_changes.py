"""Changes: the watermark derived from the rows read (one scan per delta instead of two)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from seatbridge.sage100.changes import Changes
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sage100.records import SPECS, DocumentLine, Entity, Record, Watermark
from tests.support.sage_layouts import SageCompany

LINES = SPECS[Entity.DOCUMENT_LINES]
T0 = dt.datetime(2026, 11, 2, 9, 0)


def line(marq: int, stamp: dt.datetime | None) -> DocumentLine:
    return DocumentLine(marq, 0, 6, f"FA{marq:05}", "CARAT", 1, 1000, "BAGUE", "Bague", None,
                        None, None, 3, T0, stamp)  # fmt: skip


def ticking(step: float) -> Iterator[float]:
    """A monotonic clock that moves `step` seconds each time it is read."""
    return (i * step for i in count())


def consume(changes: Changes) -> list[Record]:
    return [record for batch in changes for record in batch]


class TestDerivedWatermark:
    def test_newest_stamp_less_the_read_time_and_highest_cbmarq(self) -> None:
        batches = [[line(1, T0), line(2, None)], [line(7, T0 + dt.timedelta(minutes=3))]]
        clock = ticking(4.0)
        changes = Changes.derived(batches, LINES, None, clock=lambda: next(clock))
        assert len(consume(changes)) == 3
        assert changes.following == Watermark(T0 + dt.timedelta(minutes=3, seconds=-4), 7)

    def test_an_empty_delta_keeps_the_previous_marks(self) -> None:
        since = Watermark(T0, 41)
        changes = Changes.derived([], LINES, since)
        consume(changes)
        assert changes.following == since

    def test_rows_without_a_stamp_only_raise_cbmarq(self) -> None:
        since = Watermark(T0, 41)
        changes = Changes.derived([[line(42, None), line(43, None)]], LINES, since)
        consume(changes)
        assert changes.following == Watermark(T0, 43)

    def test_cbmarq_never_goes_back(self) -> None:
        # Rows re-read through the overlap have older cbMarqs than the watermark's.
        changes = Changes.derived([[line(3, T0)]], LINES, Watermark(T0, 41), clock=lambda: 0.0)
        consume(changes)
        assert changes.following == Watermark(T0, 41)

    def test_unknown_until_every_batch_is_read(self) -> None:
        changes = Changes.derived([[line(1, T0)], [line(2, T0)]], LINES, None)
        batches = iter(changes)
        next(batches)
        with pytest.raises(RuntimeError):
            _ = changes.following

    def test_fixed(self) -> None:
        mark = Watermark(T0, 9)
        changes = Changes.fixed([[line(1, T0)]], mark)
        assert len(consume(changes)) == 1 and changes.following == mark


class TestReadChanges:
    def test_full_read_leads_to_the_max_marks(self, company_url: str) -> None:
        with Sage100Reader(company_url) as reader:
            expected = reader.watermark(Entity.DOCUMENT_HEADERS)
            changes = reader.read_changes(Entity.DOCUMENT_HEADERS)
            rows = consume(changes)
        assert rows and changes.following.max_cbmarq == expected.max_cbmarq
        assert expected.modified_since is not None
        newest = changes.following.modified_since
        assert newest is not None
        assert expected.modified_since - dt.timedelta(seconds=30) < newest
        assert newest <= expected.modified_since

    def test_a_row_changed_behind_the_read_is_in_the_next_delta(self, company_url: str) -> None:
        """The case a watermark taken before reading exists for: a row the read has passed is
        modified (by the server's clock, while the read runs) and must come in the next delta."""
        engine = create_engine(company_url)
        if engine.dialect.name == "sqlite":  # Sage on SQL Server lets writers commit mid-read
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode = WAL")
        with engine.begin() as connection:
            # The server's clock: everything so far happened before the read starts at T0.
            connection.execute(text('UPDATE "F_DOCLIGNE" SET "cbModification" = :t'), {"t": T0})
        try:
            with Sage100Reader(company_url, batch_size=5, overlap=dt.timedelta(0)) as reader:
                clock = ticking(3.0)  # the read takes 3 s (the clock is read at its start and end)
                changes = Changes.derived(
                    reader.read_batches(Entity.DOCUMENT_LINES), LINES, None,
                    clock=lambda: next(clock),
                )  # fmt: skip
                batches = iter(changes)
                first = next(batches)
                passed = first[0].cbMarq
                with engine.begin() as connection:  # 1 s into the read, behind it
                    connection.execute(
                        text('UPDATE "F_DOCLIGNE" SET "DL_Design" = \'Changé\', '
                             '"cbModification" = :t WHERE "cbMarq" = :m'),
                        {"t": T0 + dt.timedelta(seconds=1), "m": passed},
                    )  # fmt: skip
                    last = connection.execute(
                        text('SELECT MAX("cbMarq") FROM "F_DOCLIGNE" WHERE "DO_Domaine" = 0')
                    ).scalar_one()
                    # ...and a row ahead of the read, 2 s into it: read with its new stamp.
                    connection.execute(
                        text('UPDATE "F_DOCLIGNE" SET "cbModification" = :t WHERE "cbMarq" = :m'),
                        {"t": T0 + dt.timedelta(seconds=2), "m": last},
                    )
                for _batch in batches:
                    pass
                following = changes.following
                again = {r.cbMarq: r for r in reader.read_document_lines(since=following)}
        finally:
            engine.dispose()
        assert following.modified_since is not None
        assert following.modified_since <= T0 + dt.timedelta(seconds=1)
        assert again[passed].DL_Design == "Changé"


class TestBulkStamp:
    """A Sage bulk operation stamps many rows with one cbModification: the overlap must not
    read them again on every run, and no change may be missed for it."""

    BULK = dt.datetime(2026, 11, 2, 9, 30)  # settled: weeks before the server's clock

    def company(self, tmp_path: Path, stamp: dt.datetime) -> SageCompany:
        sage = SageCompany(tmp_path / "bulk.db")
        for number in range(120):
            sage.line(6, f"FA{number // 4:05}", "CARAT", 10.0 + number,
                      cbModification=stamp.isoformat(" ", "microseconds"))  # fmt: skip
        return sage

    def read(self, sage: SageCompany, since: Watermark | None) -> tuple[list[Record], Watermark]:
        with Sage100Reader(sage.url, batch_size=7) as reader:
            changes = reader.read_changes(Entity.DOCUMENT_LINES, since)
            rows = consume(changes)
        return rows, changes.following

    def settle(self, sage: SageCompany) -> Watermark:
        """A full read (it records nothing), then the delta that reads the bulk once."""
        rows, full = self.read(sage, None)
        assert len(rows) >= 120 and full.seen == ()
        rows, first = self.read(sage, full)
        assert len(rows) == 120  # the bulk in the overlap, once
        return first

    @pytest.mark.parametrize("indexed", [False, True], ids=["scan", "index"])
    def test_the_next_delta_reads_only_what_changed(self, tmp_path: Path, indexed: bool) -> None:
        sage = self.company(tmp_path, self.BULK)
        if indexed:
            sage.execute('CREATE INDEX "IDL_MODIF" ON "F_DOCLIGNE" ("cbModification")')
        first = self.settle(sage)
        (group,) = first.seen
        assert (group.stamp, group.count, group.cbmarq) == (self.BULK, 120, 120)
        again, second = self.read(sage, first)
        assert again == []  # was 120 on every run: the whole bulk in the overlap
        assert second.seen == first.seen
        # Rows changed later come; the bulk's group, changed, is read once and recorded anew.
        later = (self.BULK + dt.timedelta(minutes=5)).isoformat(" ", "microseconds")
        sage.execute('UPDATE "F_DOCLIGNE" SET "DL_Design" = \'Changé\', "cbModification" = ? '
                     'WHERE "cbMarq" = 7', (later,))  # fmt: skip
        changed, third = self.read(sage, second)
        assert (7, "Changé") in {(r.cbMarq, r.DL_Design) for r in changed}
        assert {g.stamp: g.count for g in third.seen} == {self.BULK: 119}
        # The overlap still re-reads the few rows stamped since (row 7), never the bulk again.
        assert [r.cbMarq for r in self.read(sage, third)[0]] == [7]

    def test_a_late_commit_into_a_seen_stamp_is_read(self, tmp_path: Path) -> None:
        """A row committed later with the bulk's stamp (a long transaction): the fingerprint of
        the rows at that stamp changes, so they are read again, that row too."""
        sage = self.company(tmp_path, self.BULK)
        older = (self.BULK - dt.timedelta(days=10)).isoformat(" ", "microseconds")
        late = sage.line(6, "FA09999", "CARAT", 1.0, cbModification=older)
        first = self.settle(sage)
        assert [g.count for g in first.seen] == [120]
        bulk = self.BULK.isoformat(" ", "microseconds")
        sage.execute('UPDATE "F_DOCLIGNE" SET "DL_Design" = \'Tardif\', "cbModification" = ? '
                     'WHERE "cbMarq" = ?', (bulk, late))  # fmt: skip
        rows, following = self.read(sage, first)
        assert (late, "Tardif") in {(r.cbMarq, r.DL_Design) for r in rows}
        assert [g.count for g in following.seen] == [121]

    def test_a_stamp_not_settled_is_read_again(self, tmp_path: Path) -> None:
        """Stamps ahead of the server's clock (or within two minutes of it) may still be
        written: nothing is skipped, the overlap reads them as before."""
        sage = self.company(tmp_path, dt.datetime(2099, 1, 1))
        _rows, full = self.read(sage, None)
        rows, first = self.read(sage, full)
        assert len(rows) == 120 and first.seen == ()
        assert len(self.read(sage, first)[0]) == 120
