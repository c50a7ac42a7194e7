"""The user list means the same through the CLI, the Admin and the REST API: one query
(`directory.queries`), one meaning per filter — `environment` keeps users at home there *or*
linked there (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from seatbridge.accounts.models import Account
from seatbridge.auth.sessions import open_session
from seatbridge.cli import users as cli_users
from seatbridge.directory import service as directory
from seatbridge.directory.models import Role, UserStatus
from seatbridge.web.state import SESSION_COOKIE
from tests.api.world import ApiWorld, make_world
from tests.support.people import create_user, invite_ssm_only

runner = CliRunner()


@pytest.fixture
def world(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ApiWorld]:
    """Company A and B; Claire at home in A and linked in B too, Paul in B, an SSM-only
    consultant without a home, someone waiting for review, and the admin."""
    made = make_world(engine, sessions, tmp_path, seats=10, companies=("A", "B"))
    made.sage["A"].add(1, "claire@bijou-sa.fr", first_name="Claire", last_name="MARTIN")
    made.sage["B"].add(5, "claire@bijou-sa.fr", first_name="Claire", last_name="MARTIN")
    made.sage["B"].add(6, "paul@bijou-sa.fr", first_name="Paul", last_name="DURAND")
    made.sync("A")
    made.sync("B")
    with sessions.begin() as session:
        for email in ("claire@bijou-sa.fr", "paul@bijou-sa.fr", "x_y@ailleurs.fr"):
            create_user(
                session,
                account_id=made.account_id,
                person=directory.NewUser(email=email),
                actor="test",
                clock=made.clock,
            )
        invite_ssm_only(
            session,
            account_id=made.account_id,
            people=[directory.NewUser(email="conseil@partner.fr", last_name="Martinez")],
            actor="test",
            clock=made.clock,
            settings=made.settings,
        )
        (admin,) = directory.create_users(
            session,
            account_id=made.account_id,
            people=[directory.NewUser(email="patron@bijou-sa.fr", role=Role.ADMIN)],
            status=UserStatus.ACTIVE,
            source="test",
            actor="test",
            clock=made.clock,
        )
        made.tokens["cookie"] = open_session(
            session, user=admin, clock=made.clock, settings=made.settings.auth
        )
    monkeypatch.setenv("SEATBRIDGE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("SEATBRIDGE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SEATBRIDGE_DEMO", "true")
    with made.client:
        yield made


def through_cli(world: ApiWorld, filters: dict[str, str]) -> set[str]:
    with world.sessions() as session:
        slug = session.get_one(Account, world.account_id).slug
    names = {"status": "--status", "role": "--role", "environment": "--environment", "q": "--q"}
    args = [part for key, value in filters.items() for part in (names[key], value)]
    result = runner.invoke(cli_users.app, ["list", slug, *args, "--json"])
    assert result.exit_code == 0, result.output
    return {row["email"] for row in json.loads(result.stdout)}


def through_api(world: ApiWorld, filters: dict[str, str]) -> set[str]:
    params = {("environment_id" if k == "environment" else k): v for k, v in filters.items()}
    response = world.call("GET", "/api/v1/users", params=params | {"limit": "100"})
    assert response.status_code == 200, response.text
    return {user["email"] for user in response.json()["items"]}


def through_admin(world: ApiWorld, filters: dict[str, str]) -> set[str]:
    world.client.cookies.set(SESSION_COOKIE, world.tokens["cookie"])
    response = world.client.get("/admin/users", params=filters, follow_redirects=False)
    world.client.cookies.clear()
    assert response.status_code == 200, response.text
    page = BeautifulSoup(response.text, "html.parser")
    ids = {int(box["value"]) for box in page.select('input[name="user_id"]')}
    with world.sessions() as session:
        return {
            directory.get_user(session, account_id=world.account_id, user_id=i).email for i in ids
        }


FILTERS = {
    "environment A": ({"environment": "A"}, {"claire@bijou-sa.fr"}),
    "environment B (home or linked)": (
        {"environment": "B"},
        {"claire@bijou-sa.fr", "paul@bijou-sa.fr"},
    ),
    "status": ({"status": "pending_review"}, {"x_y@ailleurs.fr"}),
    "role": ({"role": "admin"}, {"patron@bijou-sa.fr"}),
    "text in a name": ({"q": "MARTIN"}, {"claire@bijou-sa.fr", "conseil@partner.fr"}),
    "text is literal": ({"q": "_"}, {"x_y@ailleurs.fr"}),  # not a LIKE wildcard
    "several": ({"q": "martin", "status": "invited", "environment": "B"}, {"claire@bijou-sa.fr"}),
}


@pytest.mark.parametrize("case", list(FILTERS))
def test_cli_admin_and_api_return_the_same_users(world: ApiWorld, case: str) -> None:
    filters, expected = FILTERS[case]
    by_id = {
        key: str(world.environments[value]) if key == "environment" else value
        for key, value in filters.items()
    }
    assert through_api(world, by_id) == expected
    assert through_admin(world, by_id) == expected
    assert through_cli(world, filters) == expected  # the CLI takes a name or an id
