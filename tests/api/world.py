"""An account behind the web app, with API keys and Sage 100 companies held in memory: the world
the REST API, SCIM and API-key tests work in (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.apikeys import service as apikeys
from seatbridge.clock import FixedClock
from seatbridge.config import Settings
from seatbridge.directory.models import User
from seatbridge.sync.runner import SyncOutcome, run_sync
from seatbridge.web import create_app
from tests.invitations.support import make_settings
from tests.support.factories import clock, make_account, make_environment
from tests.support.memory_sage import MemorySage


@dataclass
class ApiWorld:
    sessions: sessionmaker[Session]
    settings: Settings
    clock: FixedClock
    client: TestClient
    account_id: int
    environments: dict[str, int]
    sage: dict[str, MemorySage] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, scope: str = "admin") -> str:
        """A key of this account with `scope` (made on first use)."""
        if scope not in self.tokens:
            with self.sessions.begin() as session:
                issued = apikeys.create_key(
                    session,
                    account_id=self.account_id,
                    name=f"test {scope}",
                    scope=scope,
                    actor="test",
                    clock=self.clock,
                )
                self.tokens[scope] = issued.token
        return self.tokens[scope]

    def headers(self, scope: str = "admin", **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(scope)}", **extra}

    def call(self, method: str, path: str, *, scope: str = "admin", **options: Any) -> Response:
        headers = self.headers(scope) | options.pop("headers", {})
        return self.client.request(method, path, headers=headers, **options)

    def sync(self, name: str = "A") -> SyncOutcome:
        return run_sync(
            self.sessions,
            account_id=self.account_id,
            environment_id=self.environments[name],
            source=self.sage[name],
            actor="test-run",
            clock=self.clock,
        )

    def user(self, email: str) -> User:
        with self.sessions() as session:
            found = session.scalar(
                select(User).where(
                    User.account_id == self.account_id, User.email_normalized == email.lower()
                )
            )
            assert found is not None, email
            return found


def make_world(
    engine: Engine,
    sessions: sessionmaker[Session],
    tmp_path: Path,
    *,
    seats: int = 10,
    companies: tuple[str, ...] = ("A",),
    settings: Settings | None = None,
    **account_options: Any,
) -> ApiWorld:
    settings = settings or make_settings(tmp_path)
    now = clock()
    with sessions.begin() as session:
        account = make_account(session, seats=seats, **account_options)
        environments = {name: make_environment(session, account, name).id for name in companies}
        account_id = account.id
    app = create_app(settings, engine=engine, clock=now)
    client = TestClient(app, raise_server_exceptions=True)
    return ApiWorld(
        sessions=sessions,
        settings=settings,
        clock=now,
        client=client,
        account_id=account_id,
        environments=environments,
        sage={name: MemorySage() for name in companies},
    )
