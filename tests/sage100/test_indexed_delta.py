"""Deltas read off an index on cbModification (when a DBA has added one) find exactly the rows the
table scan finds: same rows, no duplicates, whatever the page size, stamps shared by many rows
included."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import OperationalError

from seatbridge.sage100.reader import Sage100Reader, _indexes
from seatbridge.sage100.records import Entity, Record, Watermark


def execute(url: str, *statements: str, **params: Any) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement), params)
    finally:
        engine.dispose()


def add_indexes(url: str) -> None:
    execute(
        url,
        *(
            f'CREATE INDEX "IX_{table}_MOD" ON "{table}" ("cbModification")'
            for table in ("F_COLLABORATEUR", "F_COMPTET", "F_DOCENTETE", "F_DOCLIGNE")
        ),
    )


def delta(url: str, entity: Entity, since: Watermark, **options: Any) -> list[Record]:
    with Sage100Reader(url, **options) as reader:
        return [record for batch in reader.read_batches(entity, since) for record in batch]


@pytest.mark.parametrize("entity", list(Entity))
def test_same_rows_as_the_scan(company_url: str, entity: Entity) -> None:
    with Sage100Reader(company_url) as reader:
        mark = reader.watermark(entity)
        assert mark.modified_since is not None and not reader._source(entity).modified_indexed
    # Some rows changed since, one added with an old stamp, one added without a stamp.
    later = mark.modified_since + dt.timedelta(hours=3)
    table = entity.value
    top = mark.max_cbmarq
    execute(
        company_url,
        f'UPDATE "{table}" SET "cbModification" = :t WHERE "cbMarq" % 7 = 3',
        f'UPDATE "{table}" SET "cbModification" = NULL WHERE "cbMarq" = {top}',
        f'UPDATE "{table}" SET "cbModification" = :old WHERE "cbMarq" = {top - 1}',
        t=later, old=dt.datetime(2001, 1, 1),
    )  # fmt: skip
    since = Watermark(mark.modified_since + dt.timedelta(hours=2), top - 5)
    options = {"page_size": 3, "batch_size": 2, "overlap": dt.timedelta(minutes=30)}
    scanned = delta(company_url, entity, since, **options)
    add_indexes(company_url)
    with Sage100Reader(company_url) as reader:
        assert reader._source(entity).modified_indexed
    indexed = delta(company_url, entity, since, **options)
    assert len(scanned) > 3  # several pages
    assert {top, top - 1} <= {record.cbMarq for record in scanned}
    assert Counter(indexed) == Counter(scanned)  # same rows, each once
    assert Counter(delta(company_url, entity, since)) == Counter(scanned)  # one page


def test_the_index_serves_the_delta(company_url: str) -> None:
    """The statements issued: a range of the index, then a range of the primary key."""
    add_indexes(company_url)
    engine = create_engine(company_url)
    issued: list[tuple[str, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        issued.append((statement, parameters))

    try:
        with Sage100Reader(engine) as reader:
            mark = reader.watermark(Entity.DOCUMENT_LINES)
            issued.clear()
            list(reader.read(Entity.DOCUMENT_LINES, since=mark))
        event.remove(engine, "before_cursor_execute", capture)
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                plans = [
                    " ".join(str(row[-1]) for row in connection.exec_driver_sql(
                        f"EXPLAIN QUERY PLAN {sql}", parameters))
                    for sql, parameters in issued
                ]  # fmt: skip
            assert "USING INDEX IX_F_DOCLIGNE_MOD" in plans[0]
            assert "INTEGER PRIMARY KEY" in plans[1]
    finally:
        engine.dispose()
    assert len(issued) == 2
    modified, added = (sql.replace("\n", " ") for sql, _ in issued)
    assert 'ORDER BY "F_DOCLIGNE"."cbModification", "F_DOCLIGNE"."cbMarq"' in modified
    assert '"F_DOCLIGNE"."cbModification" IS NULL' in added


def test_indexes_the_login_may_not_see_mean_a_scan() -> None:
    """A SQL login that may not read index metadata still reads deltas (by scanning)."""

    class Refusing:
        def get_indexes(self, table: str) -> list[Any]:
            raise OperationalError("sys.indexes", {}, Exception("VIEW DEFINITION denied"))

    assert _indexes(Refusing(), "F_DOCLIGNE") == []
