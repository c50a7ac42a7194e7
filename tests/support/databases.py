"""Real databases for tests: SQLite files and throw-away PostgreSQL databases on 127.0.0.1."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ADMIN_URL = os.environ.get(
    "SEATBRIDGE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
MARIADB_ADMIN_URL = os.environ.get(
    "SEATBRIDGE_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test"
)

_pg_checked: bool | None = None


def require_postgres() -> None:
    """Fail in CI when PostgreSQL is unreachable; skip only on a developer's machine."""
    global _pg_checked
    if _pg_checked is None:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as connection:
                connection.execute(text("select 1"))
            _pg_checked = True
        except Exception:  # noqa: BLE001 (any failure means "not reachable")
            _pg_checked = False
        finally:
            engine.dispose()
    if not _pg_checked:
        message = f"PostgreSQL is not reachable at {make_url(PG_ADMIN_URL).host}:5432"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def fresh_pg_database(prefix: str = "sbtest") -> Iterator[str]:
    """Create an empty PostgreSQL database, yield its URL, and drop it afterwards."""
    require_postgres()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"{prefix}_{worker}_{uuid.uuid4().hex[:10]}".lower()
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def fresh_mariadb_database(prefix: str = "sbtest") -> Iterator[str]:
    """Create an empty MariaDB database (skipped when no MariaDB server runs here)."""
    admin = create_engine(MARIADB_ADMIN_URL, connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as connection:
            connection.execute(text("select 1"))
    except Exception:  # noqa: BLE001
        admin.dispose()
        pytest.skip("MariaDB is not reachable at 127.0.0.1:3306")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE `{name}`"))
        yield make_url(MARIADB_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        admin.dispose()
