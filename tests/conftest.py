"""Store fixtures: every store test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.db import metadata
from seatbridge.db.engine import create_store_engine, session_factory
from seatbridge.db.migrate import upgrade
from tests.support.databases import fresh_pg_database

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", params=BACKENDS)
def migrated_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """A store migrated to head once per session and backend: ("sqlite", template path) or
    ("postgresql", url)."""
    if request.param == "sqlite":
        template = tmp_path_factory.mktemp("store-template") / "template.db"
        engine = create_store_engine(f"sqlite:///{template}")
        upgrade(engine)
        engine.dispose()
        yield ("sqlite", str(template))
    else:
        with fresh_pg_database("sbstore") as url:
            engine = create_store_engine(url)
            upgrade(engine)
            engine.dispose()
            yield ("postgresql", url)


@pytest.fixture
def engine(migrated_store: tuple[str, str], tmp_path: Path) -> Iterator[Engine]:
    """An empty, migrated store for one test (SQLite: a copied file; PostgreSQL: truncated)."""
    backend, location = migrated_store
    if backend == "sqlite":
        path = tmp_path / "store.db"
        shutil.copyfile(location, path)
        store = create_store_engine(f"sqlite:///{path}")
        yield store
        store.dispose()
        return
    store = create_store_engine(location)
    try:
        yield store
    finally:
        names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
        with store.begin() as connection:
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        store.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)
