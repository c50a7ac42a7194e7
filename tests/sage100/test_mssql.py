"""Every statement the reader issues compiles for SQL Server (``mssql`` and ``mssql+pymssql``)."""

from __future__ import annotations

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
from seatbridge.sage100.records import Entity, Watermark

MSSQL: Dialect = mssql.dialect()  # type: ignore[no-untyped-call]
PYMSSQL: Dialect = MSDialect_pymssql()  # type: ignore[no-untyped-call]


@pytest.fixture(scope="module")
def issued(recent_template: tuple[Path, DemoCompanySummary]) -> list[ClauseElement]:
    """The statements of a full work-out of the reader on SQLite: reads, deltas, keys, counts."""
    engine = create_engine(f"sqlite:///{recent_template[0]}")
    statements: list[ClauseElement] = []

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
