"""The whole path: invitation -> e-mail -> link -> password -> signed in (rule 14)."""

from __future__ import annotations

import re

from sqlalchemy import select

from seatbridge.directory.models import User, UserStatus
from seatbridge.invitations.models import AuthToken
from tests.invitations.support import invite
from tests.web.conftest import Web, text_of

PASSWORD = "Trombone-cheval-lune-42"


class TestInvitationJourney:
    def test_from_welcome_email_to_home_page(self, web: Web) -> None:
        account, (user,) = invite(web.sessions, web.settings, web.clock, "lea@bijou-sa.fr")
        web.deliver_mail()

        response, inbox = web.page("/mailbox")
        assert response.status_code == 200
        entry = inbox.find("a", string=re.compile("vous invite sur SSM"))
        assert entry is not None
        _, mail = web.page(str(entry["href"]))
        link = mail.find("a", href=re.compile("/auth/set-password/"))
        assert link is not None
        path = str(link["href"]).removeprefix("http://testserver")

        # Opening the link (twice: a mail scanner first) shows the form and spends nothing.
        for _ in range(2):
            response, form = web.page(path)
            assert response.status_code == 200
            assert form.find("h1").get_text() == "Choisir votre mot de passe"
            assert form.find("input", attrs={"name": "username"})["value"] == "lea@bijou-sa.fr"
        with web.sessions() as session:
            assert session.scalars(select(AuthToken)).one().used_at is None

        response = web.post(path, {"password": PASSWORD, "password_confirmation": PASSWORD})
        assert (response.status_code, response.headers["location"]) == (303, "/")
        assert "httponly" in response.headers["set-cookie"].lower()
        assert "samesite=lax" in response.headers["set-cookie"].lower()

        response, home = web.page("/")
        assert response.status_code == 200
        assert "Bonjour Léa Martin" in text_of(home)
        assert "lea@bijou-sa.fr" in text_of(home) and account.name in text_of(home)
        with web.sessions() as session:
            assert session.get_one(User, user.id).status == UserStatus.ACTIVE

        # The link is spent: a second submission explains what to do.
        response = web.post(path, {"password": PASSWORD, "password_confirmation": PASSWORD})
        assert response.status_code == 410

        # Sign out, then sign in with the new password.
        response = web.post("/auth/sign-out", {}, csrf_from="/")
        assert response.headers["location"] == "/auth/sign-in"
        assert web.page("/")[0].headers["location"] == "/auth/sign-in?next=/"
        response = web.post(
            "/auth/sign-in", {"email": "lea@bijou-sa.fr", "password": PASSWORD, "next": "/"}
        )
        assert (response.status_code, response.headers["location"]) == (303, "/")
        assert "Bonjour Léa Martin" in text_of(web.page("/")[1])

    def test_form_errors_keep_the_link_usable(self, web: Web) -> None:
        invite(web.sessions, web.settings, web.clock, "lea@bijou-sa.fr")
        mailbox = web.deliver_mail()
        (entry,) = mailbox.list_messages()
        message = mailbox.read(entry.name)
        assert message is not None
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        path = re.search(r"/auth/set-password/\S+", body.get_content()).group(0)  # type: ignore[union-attr]

        response = web.post(path, {"password": PASSWORD, "password_confirmation": "different"})
        assert response.status_code == 400
        assert "Les deux mots de passe saisis sont différents." in response.text
        response = web.post(path, {"password": "azertyuiop", "password_confirmation": "azertyuiop"})
        assert response.status_code == 400
        assert "les plus courants" in response.text
        response = web.post(path, {"password": PASSWORD, "password_confirmation": PASSWORD})
        assert response.status_code == 303

    def test_bad_links_explain_what_to_do(self, web: Web) -> None:
        response, page = web.page("/auth/set-password/not-a-real-token")
        assert response.status_code == 404
        assert "demandez à votre administrateur" in text_of(page)
        response, page = web.page(
            "/auth/reset-password/not-a-real-token", headers={"accept-language": "en"}
        )
        assert response.status_code == 404
        assert "This link is not valid" in text_of(page)
