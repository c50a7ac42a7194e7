"""Page languages: which one a request gets; the catalogues are seatbridge.i18n's (one for all)."""

from __future__ import annotations

from collections.abc import Mapping

from babel.support import NullTranslations
from starlette.requests import Request

from seatbridge.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES, translations

__all__ = ["DEFAULT_LOCALE", "LANG_COOKIE", "from_accept_language", "negotiate_locale"]

LANG_COOKIE = "lang"


def load_translations() -> Mapping[str, NullTranslations]:
    """One gettext catalogue per supported locale (French: the source text itself)."""
    return translations()


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
