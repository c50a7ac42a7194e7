"""E-mail templates (Jinja2 files in this package), rendered in the recipient's locale."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, TemplateNotFound, select_autoescape

from seatbridge.errors import SUPPORTED_LOCALES
from seatbridge.mail.errors import UnknownTemplate


@dataclass(frozen=True, slots=True)
class RenderedMail:
    subject: str
    text_body: str
    html_body: str


@functools.cache
def _environment() -> Environment:
    # Only the HTML part is escaped: the plain-text part must show names exactly as written.
    return Environment(
        loader=PackageLoader("seatbridge.mail", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def mail_locale(locale: str | None) -> str:
    """The supported locale closest to `locale` (French when unknown)."""
    language = (locale or "fr").replace("-", "_").split("_")[0].lower()
    return language if language in SUPPORTED_LOCALES else "fr"


def render_mail(name: str, locale: str, context: dict[str, Any]) -> RenderedMail:
    """Render <locale>/<name>.subject.txt, .txt and .html with `context`."""
    language = mail_locale(locale)
    environment = _environment()
    try:
        subject = environment.get_template(f"{language}/{name}.subject.txt")
        text = environment.get_template(f"{language}/{name}.txt")
        html = environment.get_template(f"{language}/{name}.html")
    except TemplateNotFound:
        raise UnknownTemplate(name=name, locale=language) from None
    values = context | {"locale": language}
    return RenderedMail(
        subject=" ".join(subject.render(values).split()),
        text_body=text.render(values),
        html_body=html.render(values),
    )
