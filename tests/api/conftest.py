"""An account behind the web app (SQLite and PostgreSQL), seen through its API keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tests.api.seed import Seeded, demo_company, seed_account
from tests.api.world import ApiWorld, make_world


@pytest.fixture
def api(engine: Engine, sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[ApiWorld]:
    world = make_world(engine, sessions, tmp_path, seats=3)
    with world.client:
        yield world


@pytest.fixture(scope="session")
def demo_sage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One generated Sage 100 company per session; each test works on its own copy."""
    return demo_company(tmp_path_factory.mktemp("sage100"))


@pytest.fixture
def seeded(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path, demo_sage: Path
) -> Iterator[Seeded]:
    made = seed_account(engine, sessions, tmp_path, company=demo_sage)
    with made.world.client:
        yield made
