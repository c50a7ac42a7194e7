"""Starter's Administration: plan, "N licences utilisées sur M", invitations (Sage 100 or e-mail,
rule 17), deactivate/reactivate, role after acceptance, "Ajouter des licences"."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from seatbridge.directory.models import Role, User
from tests.webui import seed
from tests.webui.conftest import Site, text


@pytest.fixture
def starter(site: Site, companies: tuple[Path, Path]) -> tuple[User, User, int]:
    """A Starter account with 3 licences: the admin, one invited person, BIJOU synced."""
    clock, settings = site.web.clock, site.web.settings
    account_id, admin = seed.new_account(site.sessions, settings, clock)
    seed.activate(
        site.sessions, clock, account_id, seed.code_for(clock, edition="starter", seats=3)
    )
    environment_id = seed.connect(site.sessions, clock, account_id, "BIJOU", companies[0])
    (invited,) = seed.invite(
        site.sessions, clock, environment_id, seed.invitable(site.sessions, environment_id, 1)
    )
    site.sign_in(admin)
    return admin, invited, environment_id


def page_of(response: object) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")  # type: ignore[attr-defined]


class TestAdministration:
    def test_only_admins(self, site: Site, starter: tuple[User, User, int]) -> None:
        _, invited, _ = starter
        rep = seed.activate_user(
            site.sessions, site.web.settings, site.web.clock, invited, Role.SALESREP
        )
        site.sign_in(rep)
        assert site.get("/administration")[0].status_code == 403
        site.web.client.cookies.clear()
        assert site.get("/administration")[0].headers["location"].startswith("/auth/sign-in")

    def test_the_page(self, site: Site, starter: tuple[User, User, int]) -> None:
        assert site.get("/")[0].headers["location"] == "/administration"
        response, page = site.get("/administration")
        assert response.status_code == 200
        assert page.find("h1").get_text() == "Gestion des utilisateurs"
        assert "Édition Starter" in text(page)
        assert "2 licences utilisées sur 3" in text(page)
        assert page.find("a", string="Inviter des membres")["href"] == "/administration/invite"
        assert len(page.select("table.users tbody tr")) == 2
        # The advanced console is not for Starter: its pages lead back here.
        assert site.get("/admin/environments")[0].headers["location"] == "/administration"

    def test_invite_by_email_links_or_waits_for_review(
        self, site: Site, starter: tuple[User, User, int]
    ) -> None:
        _, _, environment_id = starter
        (co_no,) = seed.invitable(site.sessions, environment_id, 1)
        _, invite = site.get("/administration/invite")
        email = next(
            box.find_parent("tr").select_one("td.email").get_text().strip()
            for box in invite.select("input[name=pick]")
            if box["value"] == f"{environment_id}:{co_no}"
        )
        response = site.post(
            "/administration/invite/email", {"email": email}, csrf_from="/administration/invite"
        )
        assert response.headers["location"] == "/administration?done=linked&n=1"
        _, page = site.get("/administration?done=linked&n=1")
        assert "Utilisateur lié à son collaborateur Sage 100 et invité." in text(page)
        assert "3 licences utilisées sur 3" in text(page)
        # Full: the button becomes "Ajouter des licences".
        assert page.find("a", string="Ajouter des licences")["href"] == "/administration/licences"
        # Unknown to Sage 100: a manual verification, no licence taken.
        response = site.post(
            "/administration/invite/email", {"email": "nobody@elsewhere.fr", "first_name": "No"},
            csrf_from="/administration/invite",
        )  # fmt: skip
        assert response.headers["location"] == "/administration/reviews?done=pending"
        _, reviews = site.get("/administration/reviews?done=pending")
        assert "Aucun collaborateur ne correspond" in text(reviews)

    def test_invalid_email_and_over_selection(
        self, site: Site, starter: tuple[User, User, int]
    ) -> None:
        response = site.post(
            "/administration/invite/email",
            {"email": "not-an-address"},
            csrf_from="/administration/invite",
        )
        assert response.status_code == 400
        assert "Adresse e-mail invalide" in page_of(response).find(id="form-error").get_text()
        _, _, environment_id = starter
        picks = [
            f"{environment_id}:{co}" for co in seed.invitable(site.sessions, environment_id, 3)[1:]
        ]
        response = site.post(
            "/administration/invite/collaborators",
            {"pick": picks},
            csrf_from="/administration/invite",
        )
        assert response.status_code == 400
        assert "1 licence(s) libre(s) sur 3" in page_of(response).find(id="form-error").get_text()

    def test_deactivate_reactivate_and_role(
        self, site: Site, starter: tuple[User, User, int]
    ) -> None:
        admin, invited, _ = starter
        response = site.post(
            f"/administration/users/{invited.id}/role",
            {"role": "manager"},
            csrf_from="/administration",
        )
        assert response.status_code == 400
        assert (
            "une fois son invitation acceptée" in page_of(response).find(id="form-error").get_text()
        )
        response = site.post(
            f"/administration/users/{admin.id}/deactivate", {}, csrf_from="/administration"
        )
        assert response.status_code == 400  # never oneself
        response = site.post(
            f"/administration/users/{invited.id}/revoke", {}, csrf_from="/administration"
        )
        assert response.headers["location"] == "/administration?done=revoked&n=1"
        assert "1 licence utilisée sur 3" in text(site.get("/administration")[1])
        response = site.post(
            f"/administration/users/{invited.id}/reactivate", {}, csrf_from="/administration"
        )
        assert response.headers["location"] == "/administration?done=reactivated&n=1"
        assert (
            site.post(
                "/administration/users/999999/deactivate", {}, csrf_from="/administration"
            ).status_code
            == 404
        )

    def test_add_licences(self, site: Site, starter: tuple[User, User, int]) -> None:
        response = site.post(
            "/administration/licences", {"code": "SB1-0000"}, csrf_from="/administration/licences"
        )
        assert response.status_code == 400
        code = seed.code_for(site.web.clock, edition="starter", seats=8)
        response = site.post(
            "/administration/licences", {"code": code}, csrf_from="/administration/licences"
        )
        assert response.headers["location"] == "/administration?done=code"
        assert "2 licences utilisées sur 8" in text(site.get("/administration")[1])
