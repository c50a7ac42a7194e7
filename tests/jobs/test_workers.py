"""Two `seatbridge worker` processes on PostgreSQL and a schedule of 20 environments.

Every environment syncs, none twice at once (checked from the runs' timestamps), and killing one
worker in the middle leaves every environment correct once the other has taken over.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment
from seatbridge.config import Settings
from seatbridge.db.engine import create_store_engine, session_factory
from seatbridge.db.migrate import upgrade
from seatbridge.jobs.worker import install_schema
from seatbridge.sage100.demo import make_demo_company
from seatbridge.sync.models import Collaborator, SyncRun
from tests.support.databases import fresh_pg_database
from tests.support.factories import make_account, make_environment

ENVIRONMENTS = 20
COLLABORATORS = 1500
SEATBRIDGE = str(Path(sys.executable).with_name("seatbridge"))

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def store_url() -> Iterator[str]:
    with fresh_pg_database("sbworkers") as url:
        yield url


def start_worker(url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SEATBRIDGE_DATABASE_URL": url,
        "SEATBRIDGE_JOBS__TICK_SECONDS": "1",
        "SEATBRIDGE_DIRECT_SOURCES": tempfile.gettempdir(),
        "SEATBRIDGE_JOBS__LEASE_SECONDS": "4",
        "SEATBRIDGE_JOBS__RETRY_BASE_SECONDS": "1",
    }
    return subprocess.Popen(
        [SEATBRIDGE, "worker", "--concurrency", "2"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def test_two_workers_share_twenty_environments_and_survive_a_kill(
    store_url: str, tmp_path: Path
) -> None:
    engine = create_store_engine(store_url)
    upgrade(engine)
    install_schema(engine, Settings(database_url=store_url))
    sessions = session_factory(engine)
    template = tmp_path / "template.db"
    make_demo_company(
        f"sqlite:///{template}", collaborators=COLLABORATORS, customers=5, documents=5, seed=11
    )
    with sessions.begin() as session:
        account = make_account(session, seats=10, max_environments=ENVIRONMENTS)
        for index in range(ENVIRONMENTS):
            copy = tmp_path / f"company-{index}.db"
            copy.write_bytes(template.read_bytes())
            environment = make_environment(session, account, f"C{index:02d}")
            environment.source_url = f"sqlite:///{copy}"
    first = start_worker(store_url, tmp_path / "worker-1.log")
    second = start_worker(store_url, tmp_path / "worker-2.log")
    try:
        wait_until(lambda: succeeded(sessions) >= 3, timeout=60, what="first syncs")
        # Kill the first worker while it holds an environment: in the middle of a sync.
        wait_until(lambda: holding(sessions, first.pid) > 0, timeout=60, what="a held lease")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        assert holding(sessions, first.pid) > 0  # its lease stays until it expires
        wait_until(
            lambda: succeeded(sessions) >= ENVIRONMENTS,
            timeout=120,
            what="every environment synced",
            logs=tmp_path,
        )
    finally:
        for worker in (first, second):
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(15)
                except subprocess.TimeoutExpired:
                    worker.kill()
    with sessions() as session:
        for environment_id, count in session.execute(
            select(Collaborator.environment_id, func.count()).group_by(Collaborator.environment_id)
        ):
            assert count == COLLABORATORS, environment_id
        runs = session.scalars(
            select(SyncRun).order_by(SyncRun.environment_id, SyncRun.started_at)
        ).all()
    per_environment: dict[int, list[SyncRun]] = {}
    for run in runs:
        per_environment.setdefault(run.environment_id, []).append(run)
    assert len(per_environment) == ENVIRONMENTS
    for environment_runs in per_environment.values():
        for earlier, later in pairwise(environment_runs):
            assert earlier.finished_at is not None and later.started_at >= earlier.finished_at
    engine.dispose()
    checker = create_engine(store_url)
    with checker.connect() as connection:  # the jobs really went through procrastinate
        done = connection.execute(
            text(
                # A scheduled sync runs as a sync job, or inside the probe job that saw the change.
                "SELECT count(*) FROM procrastinate_jobs WHERE task_name IN "
                "('seatbridge.sync_environment', 'seatbridge.probe_environment') "
                "AND status = 'succeeded'"
            )
        ).scalar_one()
        assert done >= ENVIRONMENTS - 2
    checker.dispose()


def holding(sessions: sessionmaker[Session], pid: int) -> int:
    with sessions() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(Environment)
                .where(Environment.sync_lease_owner.like(f"%:{pid}"))
            )
            or 0
        )


def succeeded(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return (
            session.scalar(
                select(func.count(func.distinct(SyncRun.environment_id))).where(
                    SyncRun.status == "succeeded"
                )
            )
            or 0
        )


def wait_until(check, *, timeout: float, what: str, logs: Path | None = None) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    details = ""
    if logs is not None:
        details = "\n".join(p.read_text()[-2000:] for p in sorted(logs.glob("worker-*.log")))
    raise AssertionError(f"timed out waiting for {what}\n{details}")
