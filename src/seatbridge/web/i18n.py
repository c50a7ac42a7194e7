"""Page languages: French is the source language of the templates, English comes from a .po.

The catalogue is read at startup with Babel and compiled in memory: there is no .mo file to
build or commit.
"""

from __future__ import annotations

import io
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from starlette.requests import Request

from seatbridge.errors import SUPPORTED_LOCALES

DEFAULT_LOCALE = "fr"
LANG_COOKIE = "lang"


def load_translations() -> dict[str, NullTranslations]:
    """One gettext catalogue per supported locale (French: the templates' own text)."""
    catalogues: dict[str, NullTranslations] = {DEFAULT_LOCALE: NullTranslations()}
    root = resources.files("seatbridge.web").joinpath("locale")
    for locale in SUPPORTED_LOCALES:
        if locale == DEFAULT_LOCALE:
            continue
        po_file = root.joinpath(locale, "LC_MESSAGES", "messages.po")
        with po_file.open("rb") as source:
            catalog = read_po(source, locale=locale)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        catalogues[locale] = Translations(compiled)
    return catalogues


def supported(locale: str | None) -> str | None:
    if not locale:
        return None
    language = locale.strip().replace("-", "_").split("_")[0].lower()
    return language if language in SUPPORTED_LOCALES else None


def from_accept_language(header: str | None) -> str | None:
    """The supported language the browser prefers most (q-values honoured), if any."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        language, _, params = item.partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        found = supported(language)
        if found and quality > 0:
            ranked.append((-quality, position, found))
    return min(ranked)[2] if ranked else None


def negotiate_locale(request: Request, user_locale: str | None = None) -> str:
    """The page language: the switch's cookie, then the user's preference, then the browser."""
    return (
        supported(request.cookies.get(LANG_COOKIE))
        or supported(user_locale)
        or from_accept_language(request.headers.get("accept-language"))
        or DEFAULT_LOCALE
    )
