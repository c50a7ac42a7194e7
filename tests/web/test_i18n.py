"""Every French string of the page templates has an English translation in the .po."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

WEB = Path(str(resources.files("seatbridge.web")))


def test_every_template_string_is_translated() -> None:
    extracted = {
        message
        for _, _, message, _, _ in extract_from_dir(
            str(WEB / "templates"),
            method_map=[("**.html", "jinja2.ext:babel_extract")],
            options_map={"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}},
        )
    }
    with (WEB / "locale" / "en" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source, locale="en")
    translated = {message.id for message in catalog if message.id and message.string}
    assert extracted, "no strings found in the templates"
    assert sorted(extracted - translated) == []
