"""Languages, error pages, the demo mailbox and the accessibility basics of every form."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.db.engine import create_store_engine
from seatbridge.db.migrate import upgrade
from seatbridge.web import create_app
from tests.invitations.support import invite, latest_token, make_settings
from tests.web.conftest import Web, make_web, text_of


class TestLanguages:
    def test_french_by_default_english_by_switch(self, web: Web) -> None:
        response, page = web.page("/auth/sign-in")
        assert page.html["lang"] == "fr" and page.find("h1").get_text() == "Connexion"
        response = web.post("/lang", {"lang": "en", "next": "/auth/sign-in"})
        assert (response.status_code, response.headers["location"]) == (303, "/auth/sign-in")
        _, page = web.page("/auth/sign-in")
        assert page.html["lang"] == "en" and page.find("h1").get_text() == "Sign in"
        assert page.find("label", attrs={"for": "password"}).get_text() == "Password"
        assert page.find("button", attrs={"value": "fr"}).get_text() == "Français"

    @pytest.mark.parametrize(
        ("header", "language"),
        [
            ("en-GB,en;q=0.9", "en"),
            ("de-DE,en;q=0.5", "en"),
            ("de,fr;q=0.1,en;q=0.2", "en"),
            ("es", "fr"),
            ("fr-CA,en;q=0.8", "fr"),
        ],
    )
    def test_accept_language(self, web: Web, header: str, language: str) -> None:
        _, page = web.page("/auth/sign-in", headers={"accept-language": header})
        assert page.html["lang"] == language

    def test_english_set_password_page(self, web: Web) -> None:
        invite(web.sessions, web.settings, web.clock, "tom@bijou-sa.fr", locale="en")
        token = latest_token(web.sessions, "tom@bijou-sa.fr")
        web.client.cookies.set("lang", "en")
        _, page = web.page(f"/auth/set-password/{token}")
        assert page.find("h1").get_text() == "Choose your password"
        assert "At least 10 characters" in text_of(page)


class TestErrorPages:
    def test_a_crash_shows_the_friendly_page(self, web: Web) -> None:
        def boom() -> None:
            raise RuntimeError("secret internals")

        web.app.add_api_route("/boom", boom)
        response, page = web.page("/boom")
        assert response.status_code == 500
        assert page.find("h1").get_text() == "Une erreur est survenue"
        assert "secret internals" not in response.text and "Traceback" not in response.text
        response, page = web.page("/boom", headers={"accept-language": "en"})
        assert page.find("h1").get_text() == "Something went wrong"

    def test_not_found(self, web: Web) -> None:
        response, page = web.page("/nowhere")
        assert response.status_code == 404
        assert page.find("h1").get_text() == "Page introuvable"


class TestMailbox:
    def test_only_in_demo(
        self, engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        web = make_web(engine, sessions, tmp_path, demo=False, secret_key="k" * 40)
        assert web.page("/mailbox")[0].status_code == 404
        assert web.page("/mailbox/message-00000001.eml")[0].status_code == 404

    def test_unknown_message(self, web: Web) -> None:
        assert web.page("/mailbox/../../etc/passwd")[0].status_code == 404
        assert web.page("/mailbox/message-00000042.eml")[0].status_code == 404
        _, page = web.page("/mailbox")
        assert "Aucun e-mail pour l'instant." in text_of(page)


class TestAccessibility:
    @pytest.mark.parametrize("path", ["/auth/sign-in", "/auth/forgot-password"])
    def test_every_field_has_a_label(self, web: Web, path: str) -> None:
        _, page = web.page(path)
        check_labels(page)

    def test_set_password_fields_have_labels(self, web: Web) -> None:
        invite(web.sessions, web.settings, web.clock, "lea@bijou-sa.fr")
        _, page = web.page("/auth/set-password/" + latest_token(web.sessions, "lea@bijou-sa.fr"))
        check_labels(page)
        assert page.find("input", attrs={"name": "password"})["autocomplete"] == "new-password"


def check_labels(page: BeautifulSoup) -> None:
    assert page.find("meta", attrs={"name": "viewport"}) is not None
    for field in page.find_all("input"):
        if field.get("type") in ("hidden", "radio"):
            continue
        assert page.find("label", attrs={"for": field["id"]}) is not None, field


class TestFactory:
    def test_the_app_builds_its_own_engine_from_the_settings(self, tmp_path: Path) -> None:
        settings = make_settings(tmp_path)
        engine = create_store_engine(settings.database_url)
        upgrade(engine)
        engine.dispose()
        with TestClient(create_app(settings)) as client:
            response = client.get("/auth/sign-in")
        assert response.status_code == 200 and "Connexion" in response.text

    def test_placeholder_secret_refused_outside_the_demo(self, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match="SEATBRIDGE_SECRET_KEY"):
            create_app(make_settings(tmp_path, demo=False, secret_key="changethis"))
