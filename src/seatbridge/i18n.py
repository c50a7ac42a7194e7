"""The one translation system: French source text as msgids, English from a Babel catalogue.

Domain code never knows who will read a message, so it builds `Text` values (``_("…", n=3)``)
that an edge renders later in the viewer's language (``text.render("en")``). Pages, e-mails,
errors, sync reasons, audit sentences, progress and CLI output all go through the same
``seatbridge/locale/en/LC_MESSAGES/messages.po``; docs/i18n.md explains the workflow.

Python messages use ``str.format`` fields (``{co_no}``); page templates use Jinja's
``%(name)s``. A field's value may itself be a `Text`: it is rendered in the same language.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

SUPPORTED_LOCALES = ("fr", "en")
DEFAULT_LOCALE = "fr"
DOMAIN = "messages"
_STORED = '{"msgid": '


class _French(NullTranslations):
    """The source language: msgids as they are, with French plurals (0 and 1 are singular)."""

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return msgid1 if n <= 1 else msgid2


def catalogue_path(locale: str) -> Any:
    """The .po of a locale, inside the installed package (shipped as package data)."""
    return resources.files("seatbridge").joinpath("locale", locale, "LC_MESSAGES", f"{DOMAIN}.po")


@functools.cache
def translations() -> Mapping[str, NullTranslations]:
    """One gettext catalogue per supported locale, compiled in memory from the .po at first use."""
    loaded: dict[str, NullTranslations] = {DEFAULT_LOCALE: _French()}
    for locale in SUPPORTED_LOCALES:
        if locale == DEFAULT_LOCALE:
            continue
        with catalogue_path(locale).open("rb") as source:
            catalog = read_po(source, locale=locale)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        loaded[locale] = Translations(compiled, domain=DOMAIN)
    return loaded


def language(locale: str | None) -> str:
    """The supported language closest to a locale tag ("en_GB", "en-US" -> "en"); French else."""
    if not locale:
        return DEFAULT_LOCALE
    wanted = locale.strip().replace("-", "_").split("_")[0].lower()
    return wanted if wanted in SUPPORTED_LOCALES else DEFAULT_LOCALE


def gettext(msgid: str, locale: str | None) -> str:
    return translations()[language(locale)].gettext(msgid)


def ngettext(singular: str, plural: str, n: int, locale: str | None) -> str:
    return translations()[language(locale)].ngettext(singular, plural, n)


class Text:
    """A message to show later, in its reader's language."""

    __slots__ = ("msgid", "n", "params", "plural")

    def __init__(
        self, msgid: str, /, plural: str | None = None, n: int | None = None, **params: Any
    ) -> None:
        self.msgid = msgid
        self.plural = plural
        self.n = n
        self.params = params

    def render(self, locale: str | None = DEFAULT_LOCALE) -> str:
        if self.plural is not None and self.n is not None:
            template = ngettext(self.msgid, self.plural, self.n, locale)
        else:
            template = gettext(self.msgid, locale)
        if not self.params and self.n is None:
            return template
        values = {key: render(value, locale) for key, value in self.params.items()}
        if self.n is not None:
            values.setdefault("n", self.n)
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            # Only a stored text forged from outside data gets here (a Sage field that looks
            # like one): show it as written rather than fail the page.
            return template

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form to store (run details, audit): rendered again when shown."""
        stored: dict[str, Any] = {"msgid": self.msgid}
        if self.plural is not None:
            stored |= {"plural": self.plural, "n": self.n}
        if self.params:
            stored["params"] = {key: _json(value) for key, value in self.params.items()}
        return stored

    def __str__(self) -> str:
        return self.render(DEFAULT_LOCALE)

    def __repr__(self) -> str:
        return f"Text({self.msgid!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Text):
            return self.to_json() == other.to_json()
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.msgid, self.plural, self.n))


class Day(Text):
    """A calendar day written for its reader: "1er juillet 2026", "July 1, 2026"."""

    __slots__ = ("day",)

    def __init__(self, day: dt.date) -> None:
        super().__init__("")
        self.day = day

    def render(self, locale: str | None = DEFAULT_LOCALE) -> str:
        wanted = language(locale)
        written = str(format_date(self.day, "long", locale=wanted))
        if wanted == "fr" and self.day.day == 1:
            written = "1er" + written[1:]  # French writes the first of the month as an ordinal
        return written

    def to_json(self) -> dict[str, Any]:
        return {"day": self.day.isoformat()}

    def __repr__(self) -> str:
        return f"Day({self.day.isoformat()})"


def _(msgid: str, /, **params: Any) -> Text:
    """Mark a French message for translation; its fields are filled (and translated) on render."""
    return Text(msgid, **params)


def _n(singular: str, plural: str, n: int, /, **params: Any) -> Text:
    """A message with a singular and a plural form; ``{n}`` is the count."""
    return Text(singular, plural=plural, n=n, **params)


def N_(msgid: str) -> str:
    """Mark a French string for extraction only (class attributes, tables): translated later."""
    return msgid


def _json(value: Any) -> Any:
    return value.to_json() if isinstance(value, Text) else value


def dumps(value: Text | str) -> str:
    """A `Text` for a text column (a link's reason, a case's note): `render` reads it back."""
    return json.dumps(value.to_json(), ensure_ascii=False) if isinstance(value, Text) else value


def from_json(value: Any) -> Any:
    """The `Text` stored by `Text.to_json` or `dumps` (anything else comes back unchanged)."""
    if isinstance(value, str) and value.startswith(_STORED):
        with contextlib.suppress(ValueError):
            value = json.loads(value)
    if isinstance(value, dict) and isinstance(value.get("msgid"), str):
        params = {key: from_json(item) for key, item in (value.get("params") or {}).items()}
        return Text(value["msgid"], plural=value.get("plural"), n=value.get("n"), **params)
    return value


def render(value: Any, locale: str | None = DEFAULT_LOCALE) -> Any:
    """Render a `Text` (or its stored form) in a locale; other values are returned as they are."""
    value = from_json(value)
    if isinstance(value, Text):
        return value.render(locale)
    return value
