"""The embedded scheduler (SQLite, the demo): syncs on its own schedule, delivers mail."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment
from seatbridge.config import Settings
from seatbridge.jobs.embedded import EmbeddedScheduler
from seatbridge.sage100.demo import make_demo_company
from seatbridge.sync.models import SyncRun
from tests.support.factories import clock, make_account, make_environment


@pytest.fixture(scope="module")
def sage_company(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sage") / "bijou.db"
    make_demo_company(f"sqlite:///{path}", collaborators=30, customers=5, documents=5, seed=9)
    return path


def test_environments_sync_on_their_own_interval(
    sessions: sessionmaker[Session], sage_company: Path, tmp_path: Path
) -> None:
    with sessions.begin() as session:
        account = make_account(session)
        good = make_environment(session, account, "BIJOU")
        good.source_url = f"sqlite:///{sage_company}"
        good.sync_interval_minutes = 5
        broken = make_environment(session, account, "PANNE")
        broken.source_url = f"sqlite:///{tmp_path}/missing.db"
    time = clock()
    scheduler = EmbeddedScheduler(
        sessions,
        settings=Settings(
            data_dir=tmp_path, direct_sources=[str(sage_company.parent), str(tmp_path)]
        ),
        clock=time,
    )
    assert scheduler.tick()["synced"] == 2
    assert scheduler.tick()["synced"] == 0  # nothing due yet
    with sessions() as session:
        ok = session.get_one(Environment, good.id)
        failed = session.get_one(Environment, broken.id)
        assert ok.last_sync_status == "succeeded" and ok.sync_failures == 0
        assert failed.last_sync_status == "failed" and failed.sync_failures == 1
        assert failed.last_sync_error and "missing.db" in failed.last_sync_error
        assert failed.next_sync_at == time.now() + dt.timedelta(seconds=60)
    time.advance(dt.timedelta(minutes=1))
    assert scheduler.tick()["synced"] == 1  # the broken one retries after its back-off
    time.advance(dt.timedelta(minutes=4))
    assert scheduler.tick()["synced"] == 2
    with sessions() as session:
        runs = session.scalars(select(SyncRun).where(SyncRun.environment_id == good.id)).all()
        assert [r.status for r in runs] == ["succeeded", "succeeded"]
        assert [r.full for r in runs] == [True, False]


def test_the_scheduler_thread_starts_and_stops(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path, jobs={"tick_seconds": 0.05})
    scheduler = EmbeddedScheduler(sessions, settings=settings, clock=clock())
    scheduler.start()
    scheduler.stop(timeout=5)
    assert not scheduler._thread.is_alive()
