"""Bulk writes of converted rows into the copy, through the raw driver, one batch per call.

- SQLite: ``INSERT ... VALUES (...), (...), ... ON CONFLICT DO UPDATE``, up to 2,000 rows a
  statement.
- PostgreSQL: ``COPY`` into a temporary table, then one ``INSERT ... SELECT ... ON CONFLICT DO
  UPDATE`` merge (COPY is several times faster than any INSERT sent from Python). While an
  environment's copy of an entity is still empty, ``append`` copies straight into the table.

Updates only touch rows whose values differ, so the counts returned are the rows really
inserted or changed (a rerun reports 0) and an unchanged row costs no write.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import closing
from itertools import chain, repeat
from typing import Any, Final

from sqlalchemy import (
    BigInteger,
    Boolean,
    Connection,
    DateTime,
    Integer,
    SmallInteger,
    String,
    TypeDecorator,
)
from sqlalchemy.types import TypeEngine

from seatbridge.commerce.rows import CopySpec, StoreRow

# Rows per INSERT on SQLite: large enough to amortise the statement, small enough to prepare fast.
MAX_ROWS_PER_STATEMENT: Final = 2_000


def bulk_writer(spec: CopySpec, dialect: str) -> CopyWriter:
    """The writer of `spec`'s table for the store's dialect."""
    return PostgresWriter(spec) if dialect == "postgresql" else CopyWriter(spec)


class CopyWriter:
    """Writes one entity's copy with plain SQL, as SQLite wants it (PostgreSQL changes the
    placeholders and bulk-loads with COPY)."""

    mark = "?"

    def __init__(self, spec: CopySpec) -> None:
        self.spec = spec
        table, mark = spec.table, self.mark
        columns = ", ".join(spec.columns)
        updates = ", ".join(f"{name} = excluded.{name}" for name in spec.updated)
        changed = " OR ".join(f"{name} IS NOT excluded.{name}" for name in spec.updated)
        self._row_marks = f"({', '.join(mark for _ in spec.columns)})"
        self._insert = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 (our own names)
        self._on_conflict = (
            f" ON CONFLICT ({', '.join(spec.conflict)}) DO UPDATE SET {updates} WHERE {changed}"
        )
        self._statements: dict[int, str] = {}
        tenant = f"account_id = {mark} AND environment_id = {mark}"
        key = " AND ".join(f"{name} = {mark}" for name in spec.key)
        self.delete_sql = f"DELETE FROM {table} WHERE {tenant} AND {key}"  # noqa: S608 (our names)
        selected = f"SELECT {', '.join(spec.key)}, cb_marq FROM {table} WHERE {tenant}"  # noqa: S608
        self.keys_sql = {
            (False, False): selected,
            (True, False): f"{selected} AND cb_marq > {mark}",
            (False, True): f"{selected} AND cb_marq <= {mark}",
            (True, True): f"{selected} AND cb_marq > {mark} AND cb_marq <= {mark}",
        }
        self.any_sql = f"SELECT 1 FROM {table} WHERE {tenant} LIMIT 1"  # noqa: S608

    def upsert(self, connection: Connection, rows: Sequence[StoreRow]) -> int:
        """Insert or update `rows` in the connection's transaction; how many changed.

        Many rows per statement rather than `executemany`: the driver then binds in C and
        releases the GIL once per statement instead of once per row, which is what lets the
        writer thread run beside the reading one (and costs less CPU besides)."""
        driver = _driver(connection)
        per = max(1, min(MAX_ROWS_PER_STATEMENT, _variables(driver) // len(self.spec.columns)))
        changed = 0
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            values = list(chain.from_iterable(chunk))
            changed += driver.execute(self._statement(len(chunk)), values).rowcount
        return changed

    def _statement(self, rows: int) -> str:
        if rows not in self._statements:
            marks = ", ".join(repeat(self._row_marks, rows))
            self._statements[rows] = f"{self._insert}{marks}{self._on_conflict}"
        return self._statements[rows]

    def append(self, connection: Connection, rows: Sequence[StoreRow]) -> int:
        """Like `upsert`, for an environment whose copy of this entity was empty."""
        return self.upsert(connection, rows)

    def delete(
        self, connection: Connection, account_id: int, environment_id: int, keys: Sequence[Any]
    ) -> int:
        """Delete one environment's rows with these business keys; how many went."""
        single = len(self.spec.key) == 1
        params = [(account_id, environment_id, *((key,) if single else key)) for key in keys]
        with _cursor(connection) as cursor:
            cursor.executemany(self.delete_sql, params)
            return int(cursor.rowcount)

    def keys(
        self,
        connection: Connection,
        account_id: int,
        environment_id: int,
        after: int | None,
        upto: int | None,
    ) -> list[tuple[Any, ...]]:
        """(business key columns..., cb_marq) of the copied rows with after < cb_marq <= upto."""
        bounds = tuple(bound for bound in (after, upto) if bound is not None)
        statement = self.keys_sql[after is not None, upto is not None]
        with _cursor(connection) as cursor:
            cursor.execute(statement, (account_id, environment_id, *bounds))
            return list(cursor.fetchall())

    def has_rows(self, connection: Connection, account_id: int, environment_id: int) -> bool:
        with _cursor(connection) as cursor:
            cursor.execute(self.any_sql, (account_id, environment_id))
            return cursor.fetchone() is not None


class PostgresWriter(CopyWriter):
    mark = "%s"

    def __init__(self, spec: CopySpec) -> None:
        super().__init__(spec)
        table = spec.table
        columns = ", ".join(spec.columns)
        updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in spec.updated)
        old = ", ".join(f"{table}.{name}" for name in spec.updated)
        new = ", ".join(f"EXCLUDED.{name}" for name in spec.updated)
        self.staging = f"incoming_{table}"
        # ON COMMIT DELETE ROWS: the staged rows vanish with each batch's transaction.
        self.stage_sql = (
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.staging} "
            f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        # Binary COPY: a quarter of the client's CPU of text COPY, and less parsing server-side.
        self.copy_staging_sql = f"COPY {self.staging} ({columns}) FROM STDIN (FORMAT BINARY)"
        self.copy_table_sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
        self.types = [_postgres_type(column.type) for column in spec.model.__table__.columns]
        self.merge_sql = (
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {self.staging} "  # noqa: S608
            f"ON CONFLICT ({', '.join(spec.conflict)}) DO UPDATE SET {updates} "
            f"WHERE ({old}) IS DISTINCT FROM ({new})"
        )

    def upsert(self, connection: Connection, rows: Sequence[StoreRow]) -> int:
        if not rows:
            return 0
        with _cursor(connection) as cursor:
            cursor.execute(self.stage_sql)
            with cursor.copy(self.copy_staging_sql) as copy:
                copy.set_types(self.types)
                for row in rows:
                    copy.write_row(row)
            cursor.execute(self.merge_sql)
            return int(cursor.rowcount)

    def append(self, connection: Connection, rows: Sequence[StoreRow]) -> int:
        with _cursor(connection) as cursor, cursor.copy(self.copy_table_sql) as copy:
            copy.set_types(self.types)
            for row in rows:
                copy.write_row(row)
        return len(rows)


def _postgres_type(sql_type: TypeEngine[Any]) -> str:
    """The PostgreSQL type name a binary COPY must be told for a column of the copy."""
    if isinstance(sql_type, TypeDecorator):
        sql_type = sql_type.impl_instance
    for kind, name in _POSTGRES_TYPES:
        if isinstance(sql_type, kind):
            return name
    raise TypeError(f"no binary COPY type for {sql_type!r}")


# Subclasses first: BigInteger and SmallInteger are Integers.
_POSTGRES_TYPES: Final[tuple[tuple[type[TypeEngine[Any]], str], ...]] = (
    (BigInteger, "int8"),
    (SmallInteger, "int2"),
    (Integer, "int4"),
    (Boolean, "bool"),
    (DateTime, "timestamp"),
    (String, "varchar"),
)


def _variables(driver: sqlite3.Connection) -> int:
    """How many ? a statement may hold (999 before SQLite 3.32, 32,766 after, more on some
    builds)."""
    return driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


def _driver(connection: Connection) -> Any:
    """The DBAPI connection under a SQLAlchemy one, inside its current transaction."""
    return connection.connection.driver_connection


def _cursor(connection: Connection) -> closing[Any]:
    # closing(): sqlite3 cursors are not context managers.
    return closing(_driver(connection).cursor())
