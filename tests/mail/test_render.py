"""E-mail templates: French by default, English available, text and HTML."""

from __future__ import annotations

import pytest

from seatbridge.mail.errors import UnknownTemplate
from seatbridge.mail.render import mail_locale, render_mail

CONTEXT = {
    "name": "Léa <Martin>",
    "email": "lea@bijou-sa.fr",
    "account_name": "Bijou & Fils",
    "product": "SSM",
    "link": "http://127.0.0.1:8000/auth/set-password/abc",
    "expires_at": "5 décembre 2026 à 10:00",
}


class TestRenderMail:
    def test_french_invitation(self) -> None:
        mail = render_mail("invitation", "fr", CONTEXT)
        assert mail.subject == "Bijou & Fils vous invite sur SSM"
        assert "Bonjour Léa <Martin>," in mail.text_body  # plain text is not escaped
        assert CONTEXT["link"] in mail.text_body
        assert f'href="{CONTEXT["link"]}"' in mail.html_body
        assert "Léa &lt;Martin&gt;" in mail.html_body  # HTML is
        assert '<html lang="fr">' in mail.html_body

    def test_english_invitation(self) -> None:
        mail = render_mail("invitation", "en-GB", CONTEXT)
        assert mail.subject == "Bijou & Fils invites you to SSM"
        assert mail.text_body.startswith("Hello")
        assert '<html lang="en">' in mail.html_body
        for body in (mail.text_body, mail.html_body):  # one template, every sentence translated
            assert "Bonjour" not in body and "Si vous" not in body and "Ce lien" not in body
            assert "5 décembre 2026" in body  # the date comes formatted for the reader
        assert "Choose my password" in mail.html_body
        assert "Léa &lt;Martin&gt;" in mail.html_body and "Bijou &amp; Fils" in mail.html_body

    @pytest.mark.parametrize(("asked", "used"), [("en", "en"), ("de", "fr"), (None, "fr")])
    def test_unknown_locales_fall_back_to_french(self, asked: str | None, used: str) -> None:
        assert mail_locale(asked) == used

    def test_password_reset_in_both_languages(self) -> None:
        assert "nouveau mot de passe" in render_mail("password_reset", "fr", CONTEXT).subject
        assert "new SSM password" in render_mail("password_reset", "en", CONTEXT).subject

    def test_unknown_template(self) -> None:
        with pytest.raises(UnknownTemplate) as refused:
            render_mail("nope", "fr", CONTEXT)
        assert refused.value.code == "mail_unknown_template"
