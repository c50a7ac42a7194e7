"""Bulk writing of demo rows: Core executemany everywhere, raw `executemany` on SQLite.

SQLite is where the million-line companies are made, so it gets the driver directly, inside one
transaction, with the journal and fsync switched off (a crash leaves a half-made demo file, which
`make-demo --replace` overwrites anyway).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any, Protocol

from sqlalchemy import Connection, Table

from seatbridge.sage100.demo_documents import Codec
from seatbridge.sage100.tables import TABLE_NAMES

Rows = list[tuple[Any, ...]]


def _iso(value: dt.datetime) -> str:
    # The text SQLAlchemy itself stores for a DateTime on SQLite, so that comparisons in SQL
    # (cbModification >= :since) order our rows and theirs the same way.
    return value.isoformat(" ", "microseconds")


def _hundredths_to_float(value: int) -> float:
    return value / 100


def _hundredths_to_decimal(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def _guid_hex(value: uuid.UUID) -> str:
    return value.hex  # SQLAlchemy's Uuid type stores 32 hex digits where there is no UUID type


def _same(value: Any) -> Any:
    return value


SQLITE_CODEC = Codec(stamp=_iso, money=_hundredths_to_float, guid=_guid_hex)
CORE_CODEC = Codec(stamp=_same, money=_hundredths_to_decimal, guid=_same)


class RowWriter(Protocol):
    def write(self, rows: Rows) -> None: ...


def _projection(table: Table, produced: Sequence[str]) -> tuple[list[str], itemgetter[Any]]:
    """The table's columns (without cbMarq) and how to pick them from a produced tuple."""
    names = [column.name for column in table.columns if column.name != "cbMarq"]
    missing = [name for name in names if name not in produced]
    if missing:
        raise ValueError(f"demo rows for {table.name} lack columns {missing}")
    return names, itemgetter(*(produced.index(name) for name in names))


class CoreWriter:
    """Inserts through SQLAlchemy Core (PostgreSQL, MariaDB, SQL Server)."""

    def __init__(self, connection: Connection, table: Table, produced: Sequence[str]) -> None:
        self.connection = connection
        self.table = table
        self.names, self.pick = _projection(table, produced)

    def write(self, rows: Rows) -> None:
        if rows:
            names, pick = self.names, self.pick
            self.connection.execute(
                self.table.insert(), [dict(zip(names, pick(row), strict=True)) for row in rows]
            )


class SqliteWriter:
    """Inserts with the sqlite3 driver's executemany: no per-row dict, no type processing."""

    def __init__(
        self, connection: sqlite3.Connection, table: Table, produced: Sequence[str]
    ) -> None:
        from sqlalchemy.dialects import sqlite

        self.connection = connection
        self.names, self.pick = _projection(table, produced)
        statement = table.insert().compile(dialect=sqlite.dialect(), column_keys=self.names)
        self.sql = str(statement)

    def write(self, rows: Rows) -> None:
        if rows:
            self.connection.executemany(self.sql, map(self.pick, rows))


def fast_sqlite_session(connection: sqlite3.Connection) -> None:
    """Switch off the journal and fsync for the generation (restored by `end_fast_session`)."""
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("PRAGMA cache_size = -65536")


def end_fast_session(connection: sqlite3.Connection) -> None:
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.execute("PRAGMA synchronous = FULL")


def analyze(connection: Connection) -> None:
    """Give the planner statistics, as a maintained Sage database has.

    Without them SQLite (and PostgreSQL before autovacuum) may serve "DO_Domaine = 0 ORDER BY
    cbMarq" from the IDL_PIECE index and sort every page, instead of walking the primary key.
    """
    dialect = connection.dialect.name
    names = [f"{connection.dialect.identifier_preparer.quote(name)}" for name in TABLE_NAMES]
    if dialect in ("sqlite", "postgresql"):
        connection.exec_driver_sql("ANALYZE")
    elif dialect in ("mysql", "mariadb"):
        connection.exec_driver_sql(f"ANALYZE TABLE {', '.join(names)}")
    elif dialect == "mssql":
        for name in names:
            connection.exec_driver_sql(f"UPDATE STATISTICS {name}")
    connection.commit()
