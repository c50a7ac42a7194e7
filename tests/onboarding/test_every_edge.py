"""Every way a user is created (CLI, REST, SCIM, Admin, wizard's shared code) goes through the
one use case: rule 17 links a matching collaborator at once, the welcome e-mail is queued, and an
explicit SSM-only choice is audited and holds against a later full sync (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from seatbridge.accounts.models import Account
from seatbridge.audit.models import AuditEvent
from seatbridge.auth.sessions import open_session
from seatbridge.cli import invitations as cli_invitations
from seatbridge.cli import users as cli_users
from seatbridge.directory import service as directory
from seatbridge.directory.models import CollaboratorLink, Role, UserStatus
from seatbridge.sync.models import Collaborator, ReviewCase
from seatbridge.sync.runner import run_sync
from seatbridge.web.state import SESSION_COOKIE
from tests.api.world import ApiWorld, make_world
from tests.invitations.support import messages_to

EMAIL = "claire.martin@bijou-sa.fr"
CO_NO = 7
runner = CliRunner()


@pytest.fixture
def world(
    engine: Engine,
    sessions: sessionmaker[Session],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[ApiWorld]:
    made = make_world(engine, sessions, tmp_path, seats=5)
    made.sage["A"].add(CO_NO, "Claire.Martin@bijou-sa.fr", first_name="Claire", last_name="MARTIN")
    made.sage["A"].add(8, "paul@bijou-sa.fr", first_name="Paul", last_name="DURAND")
    made.sync()
    monkeypatch.setenv("SEATBRIDGE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("SEATBRIDGE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SEATBRIDGE_DEMO", "true")
    with made.client:
        yield made


def slug(world: ApiWorld) -> str:
    with world.sessions() as session:
        return session.get_one(Account, world.account_id).slug


def cli(app: object, *args: str) -> None:
    result = runner.invoke(app, list(args))  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output


def admin_post(world: ApiWorld, path: str, data: dict[str, object]) -> None:
    """Sign an admin in through a browser session, read the form's CSRF token, post it."""
    with world.sessions.begin() as session:
        (admin,) = directory.create_users(
            session,
            account_id=world.account_id,
            people=[directory.NewUser(email="patron@bijou-sa.fr", role=Role.ADMIN)],
            status=UserStatus.ACTIVE,
            source="test",
            actor="test",
            clock=world.clock,
        )
        raw = open_session(session, user=admin, clock=world.clock, settings=world.settings.auth)
    world.client.cookies.set(SESSION_COOKIE, raw)
    page = world.client.get("/admin/invite", follow_redirects=False)
    assert page.status_code == 200, page.text
    field = BeautifulSoup(page.text, "html.parser").find("input", attrs={"name": "csrf_token"})
    assert field is not None
    response = world.client.post(
        path, data={"csrf_token": str(field["value"])} | data, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    world.client.cookies.clear()


def created(response: object) -> None:
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]


Edge = Callable[[ApiWorld, bool], None]

EDGES: dict[str, Edge] = {
    "cli users create": lambda w, ssm: cli(
        cli_users.app, "create", slug(w), "--email", EMAIL, *(["--ssm-only"] if ssm else [])
    ),
    "cli users invite": lambda w, ssm: cli(
        cli_invitations.app, "invite", slug(w), "--email", EMAIL, *(["--ssm-only"] if ssm else [])
    ),
    "POST /api/v1/users": lambda w, ssm: created(
        w.call("POST", "/api/v1/users", json={"email": EMAIL, "ssm_only": ssm})
    ),
    "POST /api/v1/invitations": lambda w, ssm: created(
        w.call("POST", "/api/v1/invitations", json={"people": [{"email": EMAIL}], "ssm_only": ssm})
    ),
    "SCIM POST /Users": lambda w, ssm: created(
        w.call(
            "POST",
            "/scim/v2/Users",
            scope="scim",
            json={
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": EMAIL.upper(),
                "emails": [{"value": EMAIL, "primary": True}],
            },
        )
    ),
    "Admin invite by e-mail": lambda w, ssm: admin_post(
        w,
        "/admin/invite/email",
        {"email": EMAIL} | ({"ssm_only": "1", "reason": "shared mailbox"} if ssm else {}),
    ),
    "Admin and wizard invite from Sage 100": lambda w, ssm: admin_post(
        w, "/admin/invite/collaborators", {"pick": f"{w.environments['A']}:{CO_NO}"}
    ),
}
SSM_ONLY_EDGES = [
    "cli users create",
    "cli users invite",
    "POST /api/v1/users",
    "POST /api/v1/invitations",
    "Admin invite by e-mail",
]


def links(world: ApiWorld) -> set[tuple[int, int]]:
    with world.sessions() as session:
        return {
            (link.co_no, link.user_id)
            for link in session.scalars(
                select(CollaboratorLink).where(CollaboratorLink.account_id == world.account_id)
            )
        }


@pytest.mark.parametrize("edge", list(EDGES))
def test_every_edge_links_the_matching_collaborator_at_once(world: ApiWorld, edge: str) -> None:
    EDGES[edge](world, False)
    user = world.user(EMAIL)
    assert user.status == UserStatus.INVITED.value
    assert links(world) == {(CO_NO, user.id)}  # at once, not at the next reconciliation
    assert (user.first_name, user.last_name, user.home_environment_id) == (
        "Claire",
        "MARTIN",
        world.environments["A"],
    )  # Sage 100 masters the details (rule 18)
    with world.sessions() as session:
        assert session.scalars(select(ReviewCase)).all() == []
        (mail,) = messages_to(session, user.email)
        assert "/auth/set-password/" in mail.text_body
        row = session.scalar(select(Collaborator).where(Collaborator.co_no == CO_NO))
        assert row is not None and row.not_invitable == "already_user"
        reasons = session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.subject_type == "user", AuditEvent.subject_id == str(user.id)
            )
        ).all()
    assert "user.link" in reasons and "invitation.send" in reasons


@pytest.mark.parametrize("edge", SSM_ONLY_EDGES)
def test_ssm_only_is_audited_and_survives_a_full_sync(world: ApiWorld, edge: str) -> None:
    EDGES[edge](world, True)
    user = world.user(EMAIL)
    assert user.status == UserStatus.INVITED.value and user.ssm_only
    assert links(world) == set()
    with world.sessions() as session:
        (event,) = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "user.ssm_only", AuditEvent.subject_id == str(user.id)
            )
        ).all()
        assert event.after is not None
        assert event.after["collaborators_with_this_email"] == [
            {"environment_id": world.environments["A"], "co_no": CO_NO}
        ]
        assert len(messages_to(session, user.email)) == 1
    world.sage["A"].add(9, "late@bijou-sa.fr")
    outcome = run_sync(
        world.sessions,
        account_id=world.account_id,
        environment_id=world.environments["A"],
        source=world.sage["A"],
        actor="test-run",
        clock=world.clock,
        full=True,
    )
    assert outcome.status.value == "succeeded", outcome
    assert links(world) == set()  # the admin's choice holds
    with world.sessions() as session:
        row = session.scalar(select(Collaborator).where(Collaborator.co_no == CO_NO))
        assert row is not None and row.not_invitable == "already_user"  # not offered again


def test_no_match_waits_for_review_on_the_invitation_path_too(world: ApiWorld) -> None:
    made = world.call("POST", "/api/v1/invitations", json={"people": [{"email": "x@ailleurs.fr"}]})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["users"][0]["status"] == "pending_review" and not body["users"][0]["holds_seat"]
    assert body["review_cases"][0]["kind"] == "no_match"
    with world.sessions() as session:
        assert messages_to(session, "x@ailleurs.fr") == []
