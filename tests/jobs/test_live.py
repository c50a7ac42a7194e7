"""Live sync: the change probe sees every insert, update and deletion on SQLite and PostgreSQL
sources (and nothing when nothing changed); a look that sees a change syncs at once, an idle
look writes no run; a failing look is recorded with a back-off and blocks nobody else."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment
from seatbridge.config import Settings
from seatbridge.jobs import live
from seatbridge.jobs.embedded import EmbeddedScheduler
from seatbridge.sage100.demo import make_demo_company
from seatbridge.sage100.probe import database_token, table_fingerprint
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sync.models import Collaborator, SyncRun
from tests.support.databases import fresh_pg_database
from tests.support.factories import clock, make_account, make_environment

EDITS = {
    "insert": (
        'INSERT INTO "F_COLLABORATEUR" ("CO_No", "CO_Nom", "CO_Prenom", "CO_EMail", '
        '"CO_Vendeur", "CO_Sommeil", "cbModification") VALUES (99, \'NOUVEAU\', \'Zoé\', '
        "'zoe@bijou.fr', 1, 0, :now)"
    ),
    "update": 'UPDATE "F_COLLABORATEUR" SET "CO_Nom" = \'RENOMMÉ\', "cbModification" = :now '
    'WHERE "CO_No" = 2',
    "delete": 'DELETE FROM "F_DOCLIGNE" WHERE "cbMarq" = (SELECT MIN("cbMarq") FROM "F_DOCLIGNE")',
    "update a line": 'UPDATE "F_DOCLIGNE" SET "DL_Qte" = "DL_Qte" + 1, "cbModification" = :now '
    'WHERE "cbMarq" = (SELECT MAX("cbMarq") FROM "F_DOCLIGNE")',
}


@pytest.fixture(params=["sqlite", "postgresql"])
def source(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "company.db"
        make_demo_company(str(path), collaborators=10, customers=5, documents=8, seed=4)
        yield f"sqlite:///{path}"
        return
    with fresh_pg_database("sbprobe") as url:
        make_demo_company(url, collaborators=10, customers=5, documents=8, seed=4)
        yield url


def look(url: str) -> tuple[str | None, dict[str, list[object]]]:
    with Sage100Reader(url) as reader:
        return database_token(reader), table_fingerprint(reader)


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_the_probe_sees_every_kind_of_change(source: str, edit: str) -> None:
    before = look(source)
    assert look(source)[1] == before[1]  # nothing changed: the same fingerprint
    if source.startswith("sqlite"):
        assert look(source)[0] == before[0]  # ... and, on SQLite, the same token (no SQL)
    writer = create_engine(source)
    with writer.begin() as connection:
        connection.execute(text(EDITS[edit]), {"now": dt.datetime(2026, 12, 4, 21, 0, 0)})
    writer.dispose()
    after = look(source)
    assert after[1] != before[1]
    if before[0] is not None:
        assert after[0] != before[0]  # the database-wide signal moved too


def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, direct_sources=[tempfile.gettempdir(), "127.0.0.1"])


def test_a_look_syncs_only_what_changed_and_an_idle_look_writes_no_run(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    company = tmp_path / "company.db"
    make_demo_company(str(company), collaborators=10, customers=5, documents=8, seed=4)
    with sessions.begin() as session:
        environment = make_environment(session, make_account(session), "BIJOU")
        environment.source_url = f"sqlite:///{company}"
        environment_id = environment.id
    time, config = clock(), settings(tmp_path)

    def probe() -> str:
        return live.probe_environment(
            sessions, environment_id=environment_id, holder="t", settings=config, clock=time
        )

    def runs() -> int:
        with sessions() as session:
            return len(session.scalars(select(SyncRun.id)).all())

    assert probe() == "synced" and runs() == 1
    time.advance(dt.timedelta(seconds=5))
    assert probe() == "unchanged" and runs() == 1
    writer = create_engine(f"sqlite:///{company}")
    with writer.begin() as connection:
        connection.execute(text(EDITS["update"]), {"now": dt.datetime(2026, 12, 4, 21, 0, 0)})
    writer.dispose()
    time.advance(dt.timedelta(seconds=5))
    assert probe() == "synced" and runs() == 2
    with sessions() as session:
        renamed = session.scalar(select(Collaborator).where(Collaborator.co_no == 2))
        assert renamed is not None and renamed.last_name == "RENOMMÉ"
        after = session.get_one(Environment, environment_id)
        assert after.in_step_at == time.now() and after.probe_status == "synced"
    time.advance(dt.timedelta(seconds=100))  # past the same-minute window
    assert probe() == "unchanged" and runs() == 2


def test_a_failing_look_backs_off_and_blocks_no_other_environment(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    company = tmp_path / "company.db"
    make_demo_company(str(company), collaborators=10, customers=5, documents=8, seed=4)
    with sessions.begin() as session:
        account = make_account(session)
        broken = make_environment(session, account, "PANNE")
        broken.source_url = f"sqlite:///{tmp_path}/missing.db"
        good = make_environment(session, account, "BIJOU")
        good.source_url = f"sqlite:///{company}"
        ids = broken.id, good.id
    time = clock()
    scheduler = EmbeddedScheduler(sessions, settings=settings(tmp_path), clock=time)
    assert scheduler.tick()["probed"] == 2
    with sessions() as session:
        failed, ok = (session.get_one(Environment, i) for i in ids)
        assert failed.probe_status == "failed" and failed.probe_failures == 1
        assert failed.probe_error and failed.next_probe_at == time.now() + dt.timedelta(seconds=60)
        assert ok.probe_status == "synced" and ok.last_sync_status == "succeeded"
    time.advance(dt.timedelta(seconds=5))
    assert scheduler.tick()["probed"] == 1  # the healthy one only; the broken one waits


def test_a_change_committed_behind_the_look_is_synced_by_the_next_one(
    sessions: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    company = tmp_path / "company.db"
    make_demo_company(str(company), collaborators=10, customers=5, documents=8, seed=4)
    with sessions.begin() as session:
        environment = make_environment(session, make_account(session), "BIJOU")
        environment.source_url = f"sqlite:///{company}"
        environment_id = environment.id
    time, config = clock(), settings(tmp_path)

    def probe() -> str:
        return live.probe_environment(
            sessions, environment_id=environment_id, holder="t", settings=config, clock=time
        )

    assert probe() == "synced"
    real = live.synchronise

    def sync_then_edit(*args: object, **options: object) -> object:
        # The run has read Sage 100; another Sage user commits before the look is stored.
        result = real(*args, **options)  # type: ignore[arg-type]
        writer = create_engine(f"sqlite:///{company}")
        with writer.begin() as connection:
            connection.execute(
                text('UPDATE "F_COLLABORATEUR" SET "CO_Prenom" = \'Tardif\', '
                     '"cbModification" = :now WHERE "CO_No" = 5'),
                {"now": dt.datetime(2026, 12, 4, 21, 1, 0)},
            )  # fmt: skip
        writer.dispose()
        return result

    writer = create_engine(f"sqlite:///{company}")
    with writer.begin() as connection:
        connection.execute(text(EDITS["update"]), {"now": dt.datetime(2026, 12, 4, 21, 0, 0)})
    writer.dispose()
    time.advance(dt.timedelta(seconds=100))
    monkeypatch.setattr(live, "synchronise", sync_then_edit)
    assert probe() == "synced"
    monkeypatch.setattr(live, "synchronise", real)
    with sessions() as session:
        missed = session.scalar(select(Collaborator).where(Collaborator.co_no == 5))
        assert missed is not None and missed.first_name != "Tardif"  # after that run's read
    time.advance(dt.timedelta(seconds=5))
    assert probe() == "synced"  # the token taken before that run differs from the file now
    with sessions() as session:
        late = session.scalar(select(Collaborator).where(Collaborator.co_no == 5))
        assert late is not None and late.first_name == "Tardif"
    time.advance(dt.timedelta(seconds=100))
    assert probe() == "unchanged"
