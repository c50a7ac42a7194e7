"""Every statement the reader issues compiles for SQL Server (``mssql`` and ``mssql+pymssql``)."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.dialects import mssql
from sqlalchemy.dialects.mssql.pymssql import MSDialect_pymssql
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement

from seatbridge.sage100.demo import DemoCompanySummary
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sage100.records import Entity, Seen, Watermark
from seatbridge.sage100.tables import TABLE_NAMES

MSSQL: Dialect = mssql.dialect()  # type: ignore[no-untyped-call]
PYMSSQL: Dialect = MSDialect_pymssql()  # type: ignore[no-untyped-call]


@pytest.fixture(scope="module")
def issued(
    recent_template: tuple[Path, DemoCompanySummary], tmp_path_factory: pytest.TempPathFactory
) -> list[ClauseElement]:
    """The statements of a full work-out of the reader on SQLite: reads, deltas, keys, counts,
    on the company as Sage ships it and on a copy with indexes on cbModification."""
    indexed = tmp_path_factory.mktemp("indexed") / "company.db"
    shutil.copyfile(recent_template[0], indexed)
    with closing(sqlite3.connect(indexed)) as connection, connection:
        for table in TABLE_NAMES:
            connection.execute(f'CREATE INDEX "IX_{table}_MOD" ON "{table}" ("cbModification")')
    statements: list[ClauseElement] = []
    for path in (recent_template[0], indexed):
        engine = create_engine(f"sqlite:///{path}")

        @event.listens_for(engine, "before_execute")
        def capture(_conn: Any, clause: Any, *_args: Any) -> None:
            if isinstance(clause, ClauseElement):
                statements.append(clause)

        reader = Sage100Reader(engine, page_size=60, batch_size=20)
        for entity in Entity:
            mark = reader.watermark(entity)
            list(reader.read(entity))
            list(reader.read(entity, since=mark))
            list(reader.read(entity, since=Watermark(None, mark.max_cbmarq)))
            list(reader.read(entity, since=Watermark(dt.datetime(2000, 1, 1), 0)))  # many pages
            # A delta with seen stamps: server clock, fingerprint, the skipping delta.
            seen = (Seen(dt.datetime(2000, 1, 1), 5, 3, 12),)
            changes = reader.read_changes(entity, Watermark(dt.datetime(2000, 1, 1), 0, seen))
            [row for batch in changes for row in batch]
            list(reader.scan_keys(entity))
            reader.count(entity)
        engine.dispose()
    return statements


@pytest.mark.parametrize("dialect", [MSSQL, PYMSSQL], ids=["mssql", "pymssql"])
def test_every_statement_compiles(issued: list[ClauseElement], dialect: Dialect) -> None:
    assert len(issued) > 40
    for statement in issued:
        sql = str(statement.compile(dialect=dialect))
        assert "LIMIT" not in sql and "OFFSET" not in sql  # keyset pages: TOP + cbMarq > :after
        assert '"' not in sql  # identifiers are bracket-quoted
        if "ORDER BY" in sql:
            assert sql.startswith("SELECT TOP") and "ORDER BY [" in sql


def test_a_delta_page_reads_naturally(issued: list[ClauseElement]) -> None:
    pages = [str(s.compile(dialect=MSSQL)) for s in issued]
    delta = next(sql for sql in pages if "[cbModification] >=" in sql and "[F_DOCLIGNE]" in sql)
    assert "WHERE [F_DOCLIGNE].[DO_Domaine] = " in delta
    assert "OR [F_DOCLIGNE].[cbMarq] > " in delta
    assert "ORDER BY [F_DOCLIGNE].[cbMarq]" in delta


def test_an_indexed_delta_reads_a_range_of_the_index(issued: list[ClauseElement]) -> None:
    pages = [str(s.compile(dialect=MSSQL)) for s in issued]
    modified = next(sql for sql in pages if "ORDER BY [F_DOCLIGNE].[cbModification]" in sql)
    assert modified.startswith("SELECT TOP")
    assert "[F_DOCLIGNE].[cbModification] >= " in modified
    assert "ORDER BY [F_DOCLIGNE].[cbModification], [F_DOCLIGNE].[cbMarq]" in modified
    assert any(  # the next page: after the last (cbModification, cbMarq) read
        "[F_DOCLIGNE].[cbModification] > " in sql
        and "[F_DOCLIGNE].[cbModification] = " in sql
        and "[F_DOCLIGNE].[cbMarq] > " in sql
        for sql in pages
    )
    added = next(sql for sql in pages if "[F_DOCLIGNE].[cbModification] IS NULL" in sql)
    assert "ORDER BY [F_DOCLIGNE].[cbMarq]" in added


def test_the_skipping_delta_compiles_for_sql_server(recent_db: Path) -> None:
    from seatbridge.sage100.queries import modified_page_query, page_query

    with Sage100Reader(str(recent_db)) as reader:
        source = reader._source(Entity.DOCUMENT_LINES)
    seen = (Seen(dt.datetime(2026, 11, 2, 9, 30), 120, 120, 7260),)
    since = Watermark(dt.datetime(2026, 11, 2, 9, 0), 500, seen)
    for statement in (
        page_query(source, after=None, limit=10, since=since, skip=seen),
        modified_page_query(source, since=dt.datetime(2026, 11, 2), after=None, limit=10,
                            skip=seen),
    ):  # fmt: skip
        for dialect in (MSSQL, PYMSSQL):
            text = str(statement.compile(dialect=dialect))
            assert "NOT IN" in text and "TOP" in text
