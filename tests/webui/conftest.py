"""Page tests: a web app on the test store (SQLite and PostgreSQL), small Sage 100 companies,
and accounts seeded through the services."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from httpx import Response
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.directory.models import Role, User
from seatbridge.sage100.demo import make_demo_company
from seatbridge.web.admin.sync_jobs import sync_jobs
from seatbridge.web.state import SESSION_COOKIE
from tests.web.conftest import Web, make_web
from tests.webui import seed

SMALL = {"collaborators": 20, "customers": 30, "documents": 200}


@pytest.fixture(scope="session")
def companies(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two small demo companies (read-only for the tests): BIJOU and BIJOU-NORD."""
    folder = tmp_path_factory.mktemp("webui-sage")
    first, second = folder / "sage100-bijou.db", folder / "sage100-bijou-nord.db"
    make_demo_company(str(first), company="BIJOU", seed=1, **SMALL)
    make_demo_company(str(second), company="BIJOU-NORD", seed=2, schema="older", **SMALL)
    return first, second


@dataclass
class Site:
    web: Web

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self.web.sessions

    def sign_in(self, user: User) -> None:
        self.web.client.cookies.clear()
        token = seed.session_cookie(self.sessions, self.web.settings, self.web.clock, user)
        self.web.client.cookies.set(SESSION_COOKIE, token)

    def get(self, path: str, **options: object) -> tuple[Response, BeautifulSoup]:
        return self.web.page(path, **options)

    def post(self, path: str, data: dict[str, object], *, csrf_from: str = "/") -> Response:
        form = {"csrf_token": self.web.csrf(csrf_from)} | data
        return self.web.client.post(path, data=form, follow_redirects=False)  # type: ignore[arg-type]

    def wait_for_syncs(self) -> None:
        sync_jobs(self.web.app).wait(timeout=60)


@pytest.fixture
def site(engine: Engine, sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[Site]:
    made = make_web(
        engine,
        sessions,
        tmp_path,
        license_public_keys=[seed.VENDOR_KEY.public_key_line()],
        direct_sources=[tempfile.gettempdir()],  # the companies fixture's folder
    )
    with made.client:
        yield Site(made)
        sync_jobs(made.app).wait(timeout=60)


@dataclass
class Advanced:
    account_id: int
    admin: User
    rep: User
    invited: list[User]
    environment_id: int


@pytest.fixture
def advanced(site: Site, companies: tuple[Path, Path]) -> Advanced:
    """An activated advanced account (10 licences): BIJOU synced, 3 salespeople invited, one of
    whom accepted (a sales rep with a portfolio)."""
    clock, settings = site.web.clock, site.web.settings
    account_id, admin = seed.new_account(site.sessions, settings, clock)
    seed.activate(site.sessions, clock, account_id, seed.code_for(clock))
    environment_id = seed.connect(site.sessions, clock, account_id, "BIJOU", companies[0])
    co_nos = seed.invitable(site.sessions, environment_id, 3)
    invited = seed.invite(site.sessions, clock, environment_id, co_nos)
    rep = seed.activate_user(site.sessions, settings, clock, invited[0], Role.SALESREP)
    return Advanced(account_id, admin, rep, invited[1:], environment_id)


def text(page: BeautifulSoup) -> str:
    return " ".join(page.get_text(" ").split())
