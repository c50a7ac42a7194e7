"""Jinja2 for pages: one environment per locale, each with its gettext catalogue installed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.support import NullTranslations
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from seatbridge.i18n import Text
from seatbridge.i18n import render as render_text


class Templates:
    """Renders a page in a locale; per-locale environments keep threads from sharing state."""

    def __init__(
        self, translations: Mapping[str, NullTranslations], *, timezone: str, product: str = "SSM"
    ) -> None:
        self.timezone = ZoneInfo(timezone)
        self.product = product
        self.environments = {
            locale: self._environment(locale, catalogue)
            for locale, catalogue in translations.items()
        }

    def _environment(self, locale: str, catalogue: NullTranslations) -> Environment:
        environment = Environment(
            loader=PackageLoader("seatbridge.web", "templates"),
            autoescape=select_autoescape(default=True),
            undefined=StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            # A domain message (`Text`: an error, a sync reason) prints in the page's language.
            finalize=lambda value: value.render(locale) if isinstance(value, Text) else value,
        )
        environment.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
        environment.filters["datetime"] = lambda value: self._format(value, locale)
        environment.filters["text"] = lambda value: render_text(value, locale)
        environment.globals["product"] = self.product
        return environment

    def _format(self, value: dt.datetime | None, locale: str) -> str:
        if value is None:
            return ""
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)  # stored instants are UTC
        return format_datetime(aware.astimezone(self.timezone), "medium", locale=locale)

    def render(
        self,
        request: Request,
        name: str,
        context: dict[str, Any] | None = None,
        *,
        locale: str,
        status_code: int = 200,
    ) -> HTMLResponse:
        values = {
            "request": request,
            "locale": locale,
            "csrf_token": getattr(request.state, "csrf_token", ""),
            "user": getattr(request.state, "signed_in", None),
            "path": request.url.path,
        } | (context or {})
        html = self.environments[locale].get_template(name).render(values)
        return HTMLResponse(html, status_code=status_code)
