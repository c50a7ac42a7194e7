"""No page reachable from the admin console or the portal answers with a server error."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from seatbridge.commerce.queries import portfolio
from seatbridge.commerce.scope import Viewer
from seatbridge.directory.models import Role, User, UserStatus
from tests.webui import seed
from tests.webui.conftest import Advanced, Site

MAX_PAGES = 400


def crawl(site: Site, user: User) -> dict[str, int]:
    """Follow every same-site link (GET only) from the home page; returns path -> status."""
    site.sign_in(user)
    seen: dict[str, int] = {}
    todo = ["/"]
    while todo and len(seen) < MAX_PAGES:
        path = todo.pop()
        if path in seen:
            continue
        response, page = site.get(path)
        seen[path] = response.status_code
        if response.status_code in (301, 302, 303, 307):
            todo.append(_local(response.headers["location"], path) or "/")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        for anchor in page.find_all("a", href=True):
            target = _local(str(anchor["href"]), path)
            if target and target not in seen:
                todo.append(target)
    return seen


def rep_with_customers(site: Site, advanced: Advanced) -> User:
    """The fixture's rep, or the first invited salesperson who has customers (then accepted)."""
    for user in (advanced.rep, *advanced.invited):
        with site.sessions() as session:
            viewer = Viewer.rep(advanced.account_id, user.id)
            if portfolio(session, viewer=viewer).total:
                break
    else:
        raise AssertionError("no salesperson of the fixture has customers")
    if user.status == UserStatus.ACTIVE.value:
        return user
    return seed.activate_user(site.sessions, site.web.settings, site.web.clock, user, Role.SALESREP)


def _local(href: str, base: str) -> str | None:
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.netloc != "testserver" or parts.path.startswith(("/static/", "/auth/sign-out")):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


class TestEveryLink:
    def test_admin_of_an_advanced_account(self, site: Site, advanced: Advanced) -> None:
        seen = crawl(site, advanced.admin)
        errors = {path: status for path, status in seen.items() if status >= 500}
        assert errors == {}
        assert len(seen) > 12
        for expected in ("/admin", "/admin/environments", "/admin/users", "/admin/reviews",
                         "/admin/runs", "/admin/audit", "/portfolio"):  # fmt: skip
            assert seen.get(expected) == 200, expected
        assert any(path.startswith("/admin/runs/") for path in seen)
        assert any(path.startswith("/admin/audit.csv") for path in seen)

    def test_sales_rep(self, site: Site, advanced: Advanced) -> None:
        seen = crawl(site, rep_with_customers(site, advanced))
        assert {path: status for path, status in seen.items() if status >= 500} == {}
        assert seen["/"] == 200 and seen["/portfolio"] == 200
        assert seen["/portfolio/history"] == 200
        portal = {path: status for path, status in seen.items() if path.startswith("/portfolio")}
        assert set(portal.values()) == {200}  # every customer linked is one they may open
        assert any(path.startswith("/portfolio/customers/") for path in portal)
        assert any("page=2" in path for path in portal)
        assert not any(path.startswith(("/admin", "/administration")) for path in seen)
