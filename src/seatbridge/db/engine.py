"""Engine and session factory for the store (SQLite embedded, PostgreSQL in production)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, Result, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

SQLITE_BUSY_TIMEOUT_MS = 30_000


def create_store_engine(url: str, **kwargs: Any) -> Engine:
    """Create the store's engine; SQLite gets WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _configure_sqlite(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    # Let SQLAlchemy, not pysqlite, decide when transactions begin (see _begin_sqlite).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    # 32 MB instead of 2 MB: bulk writes into indexed tables (commerce copies) miss the cache
    # on almost every row otherwise.
    cursor.execute("PRAGMA cache_size = -32768")
    # Checkpoint the WAL every 40 MB rather than 4 MB: fewer fsyncs, and pages rewritten by
    # successive batches of a bulk write go to the database file once.
    cursor.execute("PRAGMA wal_autocheckpoint = 10000")
    cursor.close()


def _begin_sqlite(connection: Any) -> None:
    # IMMEDIATE takes the write lock up front: a transaction that reads seats then writes can never
    # act on a stale snapshot, and concurrent writers queue on busy_timeout instead of failing.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE/DELETE touched (the basis of every conditional write)."""
    return cast(CursorResult[Any], result).rowcount
