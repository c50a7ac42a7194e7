"""A real seatbridge server (uvicorn in a thread) on the test store, with connector keys."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment, SourceMode
from seatbridge.apikeys import service as apikeys
from seatbridge.clock import FixedClock
from seatbridge.sage100.demo import make_demo_company
from seatbridge.web import create_app
from tests.invitations.support import make_settings
from tests.support.factories import clock, make_account


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    url: str
    sessions: sessionmaker[Session]
    clock: FixedClock
    account_id: int
    environment: Environment
    token: str  # connector:<environment id>

    def key(self, scope: str, *, account_id: int | None = None) -> str:
        with self.sessions.begin() as session:
            return apikeys.create_key(
                session,
                account_id=account_id or self.account_id,
                name=f"key {scope}",
                scope=scope,
                actor="test",
                clock=self.clock,
            ).token

    def connector_environment(self, name: str, *, account_id: int | None = None) -> Environment:
        with self.sessions.begin() as session:
            environment = Environment(
                account_id=account_id or self.account_id,
                name=name,
                mode=SourceMode.CONNECTOR.value,
            )
            session.add(environment)
            session.flush()
            session.expunge(environment)
            return environment


@pytest.fixture
def server(engine: Engine, sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[Server]:
    now = clock()
    app = create_app(make_settings(tmp_path), engine=engine, clock=now)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, name="test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.02)
    with sessions.begin() as session:
        account = make_account(session)
        environment = Environment(
            account_id=account.id, name="NORD", mode=SourceMode.CONNECTOR.value
        )
        session.add(environment)
        session.flush()
        token = apikeys.create_key(session, account_id=account.id, name="NORD",
                                   scope=f"connector:{environment.id}", actor="test",
                                   clock=now).token  # fmt: skip
        session.expunge(environment)
    made = Server(f"http://127.0.0.1:{port}", sessions, now, account.id, environment, token)
    try:
        yield made
    finally:
        running.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def sage_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sage") / "bijou.db"
    make_demo_company(f"sqlite:///{path}", collaborators=30, customers=40, documents=150, seed=9)
    return path


@pytest.fixture
def sage(sage_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "bijou.db"
    path.write_bytes(sage_template.read_bytes())
    return path
