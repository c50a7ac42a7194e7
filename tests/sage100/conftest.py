"""Small demo companies shared by the Sage 100 tests: made once per worker, copied to modify."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seatbridge.sage100.demo import DemoCompanySummary, make_demo_company
from tests.support.databases import fresh_pg_database

SMALL: dict[str, Any] = {"collaborators": 20, "customers": 30, "documents": 200}


@pytest.fixture(scope="session")
def recent_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoCompanySummary]:
    path = tmp_path_factory.mktemp("sage100") / "recent.db"
    return path, make_demo_company(str(path), **SMALL)


@pytest.fixture(scope="session")
def older_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoCompanySummary]:
    path = tmp_path_factory.mktemp("sage100") / "older.db"
    return path, make_demo_company(str(path), schema="older", **SMALL)


@pytest.fixture
def recent_db(recent_template: tuple[Path, DemoCompanySummary], tmp_path: Path) -> Path:
    """A private copy of the small recent company, free to modify."""
    path = tmp_path / "company.db"
    shutil.copyfile(recent_template[0], path)
    return path


@pytest.fixture
def older_db(older_template: tuple[Path, DemoCompanySummary], tmp_path: Path) -> Path:
    path = tmp_path / "older.db"
    shutil.copyfile(older_template[0], path)
    return path


@pytest.fixture(scope="session")
def pg_company() -> Iterator[str]:
    """A small recent company in PostgreSQL, read-only for the tests that use it."""
    with fresh_pg_database("sbsage") as url:
        make_demo_company(url, **SMALL)
        yield url


@pytest.fixture
def pg_company_rw() -> Iterator[str]:
    """A small recent company in its own PostgreSQL database, free to modify."""
    with fresh_pg_database("sbsagerw") as url:
        make_demo_company(url, collaborators=20, customers=10, documents=30)
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def company_url(request: pytest.FixtureRequest, recent_db: Path) -> Iterator[str]:
    """A modifiable small company, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{recent_db}"
    else:
        yield request.getfixturevalue("pg_company_rw")
