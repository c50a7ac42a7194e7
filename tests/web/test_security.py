"""CSRF on every form, throttled sign-in, sessions ended by a disable, cookie flags."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.auth.passwords import Passwords
from seatbridge.directory import service as directory
from seatbridge.directory.models import User
from seatbridge.invitations.links import consume
from tests.invitations.support import invite, latest_token
from tests.web.conftest import Web, make_web, text_of

PASSWORD = "Trombone-cheval-lune-42"
FORMS = [
    ("/auth/sign-in", {"email": "lea@bijou-sa.fr", "password": PASSWORD}),
    ("/auth/forgot-password", {"email": "lea@bijou-sa.fr"}),
    ("/auth/sign-out", {}),
    ("/lang", {"lang": "en"}),
]


def active_user(web: Web) -> User:
    invite(web.sessions, web.settings, web.clock, "lea@bijou-sa.fr")
    with web.sessions.begin() as session:
        return consume(
            session,
            raw_token=latest_token(web.sessions, "lea@bijou-sa.fr"),
            password=PASSWORD,
            clock=web.clock,
            settings=web.settings,
            passwords=Passwords(web.settings.auth),
        )


class TestCsrf:
    @pytest.mark.parametrize(("path", "data"), FORMS)
    def test_post_without_token_is_refused(self, web: Web, path: str, data: dict[str, str]) -> None:
        web.page("/auth/sign-in")  # the browser has its CSRF cookie
        response = web.client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403
        page = BeautifulSoup(response.text, "html.parser")
        assert page.find("h1").get_text() == "Formulaire expiré"
        assert "rechargez la page" in text_of(page)
        assert "Traceback" not in response.text

    def test_wrong_token_is_refused_in_english_too(self, web: Web) -> None:
        web.page("/auth/sign-in")
        response = web.client.post(
            "/auth/sign-in",
            data={"csrf_token": "forged", "email": "a@b.fr", "password": "x"},
            headers={"accept-language": "en-US,en;q=0.9"},
            follow_redirects=False,
        )
        assert response.status_code == 403
        assert "reload the page" in response.text

    def test_token_of_another_browser_is_refused(self, web: Web) -> None:
        token = web.csrf()
        web.client.cookies.clear()  # a new browser: its own cookie, someone else's token
        web.page("/auth/sign-in")
        response = web.client.post(
            "/auth/sign-in",
            data={"csrf_token": token, "email": "a@b.fr", "password": "x"},
            follow_redirects=False,
        )
        assert response.status_code == 403

    def test_set_password_form_is_protected(self, web: Web) -> None:
        invite(web.sessions, web.settings, web.clock, "lea@bijou-sa.fr")
        path = "/auth/set-password/" + latest_token(web.sessions, "lea@bijou-sa.fr")
        web.page(path)
        response = web.client.post(
            path, data={"password": PASSWORD, "password_confirmation": PASSWORD}
        )
        assert response.status_code == 403

    def test_cookies_are_httponly_and_lax(self, web: Web) -> None:
        response, _ = web.page("/auth/sign-in")
        cookie = response.headers["set-cookie"].lower()
        assert "sb_csrf=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
        assert "secure" not in cookie  # http://127.0.0.1 demo
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


class TestSecureCookies:
    def test_secure_flag_when_configured(
        self, engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        web = make_web(engine, sessions, tmp_path, cookie_secure=True)
        response, _ = web.page("/auth/sign-in")
        assert "secure" in response.headers["set-cookie"].lower()


class TestSignInPage:
    def test_wrong_password_then_throttled(self, web: Web) -> None:
        active_user(web)
        for _ in range(5):
            response = web.post(
                "/auth/sign-in", {"email": "lea@bijou-sa.fr", "password": "wrong-password-1"}
            )
            assert response.status_code == 400
            assert "Adresse e-mail ou mot de passe incorrect." in response.text
        response = web.post("/auth/sign-in", {"email": "lea@bijou-sa.fr", "password": PASSWORD})
        assert response.status_code == 429
        assert "réessayez dans 1 s" in response.text and response.headers["Retry-After"] == "1"

    def test_disabling_a_user_ends_their_session_at_once(self, web: Web) -> None:
        user = active_user(web)
        response = web.post("/auth/sign-in", {"email": "lea@bijou-sa.fr", "password": PASSWORD})
        assert response.status_code == 303
        assert web.page("/")[0].status_code == 200
        web.clock.advance(dt.timedelta(seconds=1))
        with web.sessions.begin() as session:
            directory.deactivate_users(
                session, account_id=user.account_id, user_ids=[user.id], actor="a", clock=web.clock
            )
        assert web.page("/")[0].headers["location"] == "/auth/sign-in?next=/"

    def test_next_never_leaves_the_site(self, web: Web) -> None:
        active_user(web)
        response = web.post(
            "/auth/sign-in",
            {"email": "lea@bijou-sa.fr", "password": PASSWORD, "next": "//evil.example/x"},
        )
        assert response.headers["location"] == "/"

    def test_forgotten_password_answers_the_same_for_anyone(self, web: Web) -> None:
        active_user(web)
        pages = []
        for email in ("lea@bijou-sa.fr", "nobody@bijou-sa.fr"):
            response = web.post("/auth/forgot-password", {"email": email})
            assert response.status_code == 200
            pages.append(text_of(BeautifulSoup(response.text, "html.parser")))
        assert pages[0] == pages[1]
        assert "Si cette adresse correspond à un accès" in pages[0]
        mailbox = web.deliver_mail()
        subjects = [entry.subject for entry in mailbox.list_messages()]
        assert any("nouveau mot de passe" in subject for subject in subjects)
