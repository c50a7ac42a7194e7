"""Every page, as an admin, a manager and a sales rep (and signed out): axe-core finds no serious
or critical violation, in French at 1280 px and in English at 390 px. Each page is saved in
French and English at 1280 and 390 px under test-results/<test name>/ for a reviewer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page
from sqlalchemy import select

from seatbridge.apikeys.service import create_key
from seatbridge.commerce.queries import portfolio
from seatbridge.commerce.scope import Viewer
from seatbridge.directory.models import Role, User
from seatbridge.directory.service import NewUser
from seatbridge.sync.models import SyncRun
from seatbridge.web.i18n import LANG_COOKIE
from tests.e2e.conftest import Server, Shots, sign_in
from tests.support.people import create_user
from tests.webui import seed

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
AXE = Axe()
BLOCKING = {"serious", "critical"}
WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def violations(page: Page) -> list[str]:
    """The serious and critical axe-core violations of the page as it is now."""
    found: list[dict[str, Any]] = AXE.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in found
        if v.get("impact") in BLOCKING
    ]


def set_language(page: Page, server: Server, language: str) -> None:
    page.context.add_cookies([{"name": LANG_COOKIE, "value": language, "url": server.url}])


def tour(page: Page, server: Server, shots: Shots, paths: list[str], *, who: str) -> None:
    """Open each path fr@1280 then en@390 (axe on both), with fr/en screenshots at both widths."""
    problems: dict[str, list[str]] = {}
    for language, size in (("fr", WIDE), ("en", NARROW)):
        set_language(page, server, language)
        page.set_viewport_size(size)
        for path in paths:
            response = page.goto(server.url + path)
            assert response is not None and response.status < 500, (path, response)
            name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
            shots.take(f"{who}-{name}-{language}-{size['width']}")
            other = NARROW if size is WIDE else WIDE
            page.set_viewport_size(other)
            shots.take(f"{who}-{name}-{language}-{other['width']}")
            page.set_viewport_size(size)
            found = violations(page)
            if found:
                problems[f"{language}@{size['width']} {path}"] = found
    set_language(page, server, "fr")
    page.set_viewport_size(WIDE)
    assert problems == {}


def seeded(server: Server) -> dict[str, Any]:
    """An advanced account with BIJOU synced: invited people, a manager, a rep with customers,
    a no-match review case (and the demo's shared-e-mail case), an API key, a preview run."""
    account_id, admin = seed.new_account(
        server.sessions, server.settings, server.clock, name="Visite", admin_email="admin@visite.fr"
    )
    seed.activate(server.sessions, server.clock, account_id, seed.code_for(server.clock))
    environment_id = seed.connect(
        server.sessions,
        server.clock,
        account_id,
        "BIJOU",
        Path(server.settings.data_dir) / "sage100-bijou.db",
    )
    invited = seed.invite(
        server.sessions,
        server.clock,
        environment_id,
        seed.invitable(server.sessions, environment_id, 5),
    )
    with server.sessions() as session:
        with_customers = [
            u for u in invited if portfolio(session, viewer=Viewer.rep(account_id, u.id)).total
        ]
    rep = with_customers[0]
    manager = next(u for u in invited if u.id != rep.id)
    rep = seed.activate_user(server.sessions, server.settings, server.clock, rep, Role.SALESREP)
    manager = seed.activate_user(
        server.sessions, server.settings, server.clock, manager, Role.MANAGER
    )
    with server.sessions.begin() as session:
        create_user(
            session,
            account_id=account_id,
            person=NewUser(email="c.charpentier@gmail.com", first_name="Christine",
                           last_name="Charpentier"),
            actor=admin.email,
            clock=server.clock,
        )  # fmt: skip
        create_key(
            session, account_id=account_id, name="CRM", scope="read", actor=admin.email,
            clock=server.clock,
        )  # fmt: skip
    with server.sessions() as session:
        run_id = session.scalar(
            select(SyncRun.id).where(SyncRun.account_id == account_id).order_by(SyncRun.id)
        )
        customer = portfolio(session, viewer=Viewer.rep(account_id, rep.id)).items[0]
    return {
        "account_id": account_id,
        "admin": admin,
        "rep": rep,
        "manager": manager,
        "environment_id": environment_id,
        "run_id": run_id,
        "customer": f"/portfolio/customers/{customer.environment_id}/{customer.ct_num}",
    }


@pytest.fixture(scope="module")
def visit(server: Server) -> dict[str, Any]:
    return seeded(server)


def test_admin_pages(server: Server, page: Page, shots: Shots, visit: dict[str, Any]) -> None:
    admin: User = visit["admin"]
    sign_in(page, server, admin.email)
    page.wait_for_url(server.url + "/admin")
    environment, run = visit["environment_id"], visit["run_id"]
    tour(
        page,
        server,
        shots,
        [
            "/admin",
            "/admin/environments",
            f"/admin/environments/{environment}",
            "/admin/users",
            "/admin/invite",
            "/admin/licences",
            "/admin/reviews",
            "/admin/runs",
            f"/admin/runs/{run}",
            "/admin/audit",
            "/admin/api-keys",
            "/portfolio",
            "/portfolio/history",
            visit["customer"],
            "/mailbox",
            "/admin/nothing-here",
        ],
        who="admin",
    )


@pytest.mark.parametrize("role", ["manager", "rep"])
def test_portfolio_pages(
    server: Server, page: Page, shots: Shots, visit: dict[str, Any], role: str
) -> None:
    person: User = visit[role]
    sign_in(page, server, person.email)
    page.wait_for_url(server.url + "/")
    tour(
        page,
        server,
        shots,
        ["/", "/portfolio/history", visit["customer"], "/admin/users"],
        who=role,
    )


def test_signed_out_pages(server: Server, page: Page, shots: Shots) -> None:
    tour(page, server, shots, ["/auth/sign-in", "/auth/forgot-password"], who="visitor")


def test_starter_admin_pages(server: Server, page: Page, shots: Shots) -> None:
    account_id, admin = seed.new_account(
        server.sessions, server.settings, server.clock, name="Visite Starter",
        admin_email="admin@visite-starter.fr",
    )  # fmt: skip
    seed.activate(
        server.sessions, server.clock, account_id, seed.code_for(server.clock, edition="starter")
    )
    environment_id = seed.connect(
        server.sessions,
        server.clock,
        account_id,
        "BIJOU",
        Path(server.settings.data_dir) / "sage100-bijou.db",
    )
    seed.invite(
        server.sessions,
        server.clock,
        environment_id,
        seed.invitable(server.sessions, environment_id, 2),
    )
    sign_in(page, server, admin.email)
    page.wait_for_url(server.url + "/administration")
    tour(
        page,
        server,
        shots,
        [
            "/administration",
            "/administration/invite",
            "/administration/licences",
            "/administration/reviews",
        ],
        who="starter",
    )
