"""The engine fed by the real reader from a generated Sage 100 company (with its dirt)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.sage100.demo import make_demo_company
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sync.models import Collaborator
from seatbridge.sync.runner import run_sync
from seatbridge.sync.source import Sage100Source
from tests.support.factories import clock
from tests.sync.helpers import make_world


@pytest.fixture(scope="module")
def sage_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sage") / "bijou.db"
    make_demo_company(
        f"sqlite:///{path}", company="BIJOU", collaborators=40, customers=20, documents=20, seed=3
    )
    return path


@pytest.fixture
def sage_db(sage_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "bijou.db"
    path.write_bytes(sage_template.read_bytes())
    return path


def sync(sessions: sessionmaker[Session], world, sage_db: Path, **options: bool):  # type: ignore[no-untyped-def]
    with Sage100Reader(f"sqlite:///{sage_db}") as reader:
        return run_sync(
            sessions,
            account_id=world.account.id,
            environment_id=world.environments["A"].id,
            source=Sage100Source(reader),
            actor="test-run",
            clock=clock(),
            **options,
        )


def test_rule_01_a_sync_never_writes_to_sage100(
    sessions: sessionmaker[Session], sage_db: Path
) -> None:
    world = make_world(sessions)
    before = hashlib.sha256(sage_db.read_bytes()).hexdigest()
    sync(sessions, world, sage_db)
    sync(sessions, world, sage_db, full=True)
    assert hashlib.sha256(sage_db.read_bytes()).hexdigest() == before


def test_the_demo_dirt_becomes_visible_reasons(
    sessions: sessionmaker[Session], sage_db: Path
) -> None:
    world = make_world(sessions)
    outcome = sync(sessions, world, sage_db)
    assert outcome.counts["add_collaborator"] == 40
    with sessions() as session:
        reasons = Counter(session.scalars(select(Collaborator.not_invitable)))
    for reason in ("no_email", "invalid_email", "several_emails", "shared_email", "dormant"):
        assert reasons[reason] >= 1, reasons
    assert reasons[None] >= 20  # most salespeople can simply be invited
    assert [c.kind for c in world.cases()] == ["shared_email"]


def test_incremental_and_full_reads_of_a_real_database(
    sessions: sessionmaker[Session], sage_db: Path
) -> None:
    world = make_world(sessions)
    sync(sessions, world, sage_db)
    engine = create_engine(f"sqlite:///{sage_db}")
    later = dt.datetime(2031, 1, 1)
    with engine.begin() as connection:
        co_no = connection.execute(
            text("SELECT MIN(CO_No) FROM F_COLLABORATEUR WHERE CO_EMail LIKE '%@%'")
        ).scalar_one()
        connection.execute(
            text(
                "UPDATE F_COLLABORATEUR SET CO_Fonction = 'Responsable', "
                "cbModification = :t WHERE CO_No = :n"
            ),
            {"t": later, "n": co_no},
        )
        connection.execute(
            text(
                "DELETE FROM F_COLLABORATEUR WHERE CO_No = (SELECT MAX(CO_No) FROM F_COLLABORATEUR)"
            )
        )
    engine.dispose()
    incremental = sync(sessions, world, sage_db)
    assert incremental.plan is not None and not incremental.plan.full
    assert incremental.counts == {"update_collaborator": 1}
    full = sync(sessions, world, sage_db, full=True)
    assert full.counts == {"remove_collaborator": 1}
    assert sync(sessions, world, sage_db).plan.is_noop  # type: ignore[union-attr]
