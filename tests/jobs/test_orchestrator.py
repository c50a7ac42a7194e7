"""The one sync orchestration: a lease held by another real process, kill -9 and takeover, a hung
Sage 100 database failing the run after its timeout with the lease released (and renewed while
it hung), and the scheduler's job refusing a held environment."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.config import JobSettings, Settings
from seatbridge.i18n import render
from seatbridge.jobs import work
from seatbridge.jobs.orchestrator import SyncRequest, synchronise
from seatbridge.sage100.demo import make_demo_company
from seatbridge.sync.errors import SyncAlreadyRunning, SyncFailed, SyncHolderStopped
from seatbridge.sync.models import Collaborator, SyncRun
from tests.support.databases import fresh_pg_database
from tests.support.factories import make_account, make_environment

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class World:
    sessions: sessionmaker[Session]
    store_url: str
    account_id: int
    environment_id: int
    sage: str


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sage") / "company.db"
    make_demo_company(str(path), collaborators=12, customers=5, documents=5, seed=3)
    return path


def make_world(engine: Engine, sessions: sessionmaker[Session], sage_url: str) -> World:
    with sessions.begin() as session:
        account = make_account(session)
        environment = make_environment(session, account, "BIJOU")
        environment.source_url = sage_url
        ids = account.id, environment.id
    url = engine.url.render_as_string(hide_password=False)
    return World(sessions, url, ids[0], ids[1], sage_url)


@pytest.fixture
def world(engine: Engine, sessions: sessionmaker[Session], company: Path, tmp_path: Path) -> World:
    copy = tmp_path / "company.db"
    copy.write_bytes(company.read_bytes())
    return make_world(engine, sessions, f"sqlite:///{copy}")


def settings(world: World, **jobs: float) -> Settings:
    return Settings(
        database_url=world.store_url,
        jobs=JobSettings(**jobs),  # type: ignore[arg-type]
        direct_sources=[tempfile.gettempdir(), "127.0.0.1"],
    )


def sync(world: World, config: Settings, holder: str = "test:orchestrator") -> str:
    result = synchronise(
        world.sessions,
        SyncRequest(account_id=world.account_id, environment_id=world.environment_id, actor="t"),
        holder=holder,
        settings=config,
        clock=SYSTEM_CLOCK,
    )
    return result.status


@pytest.fixture
def holders() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


def hold(
    world: World, holders: list[subprocess.Popen[str]], lease: int, beat: float
) -> subprocess.Popen[str]:
    """Another process takes the lease (and beats) until killed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.jobs.lease_holder", world.store_url,
         str(world.environment_id), str(lease), str(beat)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    holders.append(process)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "held"
    return process


def environment(world: World) -> Environment:
    with world.sessions() as session:
        found = session.get_one(Environment, world.environment_id)
        session.expunge(found)
        return found


def test_a_lease_held_by_another_process_is_refused_with_who_and_since_when(
    world: World, holders: list[subprocess.Popen[str]]
) -> None:
    config = settings(world, lease_seconds=30, heartbeat_seconds=0.3)
    holder = hold(world, holders, lease=30, beat=0.3)
    with pytest.raises(SyncAlreadyRunning) as refused:
        sync(world, config)
    assert not isinstance(refused.value, SyncHolderStopped)
    message = refused.value.message("fr")
    assert f"par le processus {os.uname().nodename}:{holder.pid}:test-holder" in message
    since = environment(world).sync_lease_since
    assert since is not None
    assert f"en cours depuis {since.astimezone(ZoneInfo('Europe/Paris')):%H:%M} " in message
    # The scheduler's job is refused the same way, and changes nothing.
    job = work.sync_environment(
        world.sessions, environment_id=world.environment_id, owner="w", settings=config,
        clock=SYSTEM_CLOCK,
    )  # fmt: skip
    assert job == "busy"
    with world.sessions() as session:
        assert session.scalar(select(SyncRun.id)) is None
    assert str(environment(world).sync_lease_owner).endswith(f":{holder.pid}:test-holder")


def test_a_killed_holder_is_taken_over_after_the_lease_delay(
    world: World, holders: list[subprocess.Popen[str]]
) -> None:
    lease = 6
    config = settings(world, lease_seconds=lease, heartbeat_seconds=0.3)
    holder = hold(world, holders, lease=lease, beat=0.3)
    time.sleep(0.5)  # a few beats
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    killed = time.monotonic()
    time.sleep(2.5)  # more than two missed beats: the refusal says the holder stopped
    with pytest.raises(SyncHolderStopped) as refused:
        sync(world, config)
    message = refused.value.message("fr")
    assert "le processus précédent s'est arrêté ; reprise dans" in message
    seconds = int(message.rsplit("reprise dans ", 1)[1].split(" ")[0])
    assert 1 <= seconds <= lease
    while True:
        try:
            status = sync(world, config)
            break
        except SyncAlreadyRunning:
            assert time.monotonic() - killed < lease + 5, "never taken over"
            time.sleep(0.2)
    took = time.monotonic() - killed
    assert status == "succeeded" and lease - 1 <= took < lease + 5
    with world.sessions() as session:
        assert len(session.scalars(select(Collaborator)).all()) == 12
    after = environment(world)
    assert after.sync_lease_owner is None and after.last_sync_status == "succeeded"


def test_a_hung_sqlite_source_fails_after_its_timeout_renewing_the_lease_meanwhile(
    world: World,
) -> None:
    config = settings(
        world, lease_seconds=2, heartbeat_seconds=0.2, source_statement_timeout_seconds=4
    )
    path = world.sage.removeprefix("sqlite:///")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # another program writes to the company: readers wait
    failures: list[BaseException] = []

    def run() -> None:
        try:
            sync(world, config)
        except BaseException as error:  # noqa: BLE001 (handed to the test)
            failures.append(error)

    started = time.monotonic()
    thread = threading.Thread(target=run)
    thread.start()
    try:
        time.sleep(3)  # longer than the lease: only the heartbeat keeps it ours
        with pytest.raises(SyncAlreadyRunning) as refused:
            sync(world, config, holder="test:second")
        assert not isinstance(refused.value, SyncHolderStopped)
        assert "test:orchestrator" in refused.value.message("fr")
        thread.join(20)
    finally:
        blocker.rollback()
        blocker.close()
    took = time.monotonic() - started
    assert not thread.is_alive() and 3.5 < took < 15
    assert len(failures) == 1 and isinstance(failures[0], SyncFailed)
    assert "n'a pas répondu à temps (délai : 4 s)" in failures[0].message("fr")
    after = environment(world)
    assert after.sync_lease_owner is None and after.last_sync_status == "failed"
    assert "délai : 4 s" in str(render(after.last_sync_error, "fr"))
    with world.sessions() as session:
        assert session.scalars(select(SyncRun.status)).all() == ["failed"]
    assert sync(world, config) == "succeeded"  # the database answers again: the next run works


@pytest.mark.postgres
def test_a_hung_postgresql_source_fails_after_its_statement_timeout(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    with fresh_pg_database("sbsage") as sage_url:
        make_demo_company(sage_url, collaborators=12, customers=5, documents=5, seed=3)
        world = make_world(engine, sessions, sage_url)
        config = settings(world, lease_seconds=10, source_statement_timeout_seconds=1)
        blocker = create_engine(sage_url)
        try:
            with blocker.connect() as connection:
                connection.execute(text('LOCK TABLE "F_COLLABORATEUR" IN ACCESS EXCLUSIVE MODE'))
                started = time.monotonic()
                with pytest.raises(SyncFailed) as failed:
                    sync(world, config)
                took = time.monotonic() - started
                connection.rollback()
        finally:
            blocker.dispose()
        assert 0.9 < took < 8
        assert "n'a pas répondu à temps (délai : 1 s)" in failed.value.message("fr")
        after = environment(world)
        assert after.sync_lease_owner is None and after.last_sync_status == "failed"
        assert sync(world, config) == "succeeded"
