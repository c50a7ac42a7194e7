"""E-mail templates (Jinja2 files in this package), rendered in the recipient's locale.

One template per e-mail, its strings in the one catalogue (seatbridge.i18n): French source,
English from the .po."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, TemplateNotFound, select_autoescape

from seatbridge.i18n import language, translations
from seatbridge.mail.errors import UnknownTemplate


@dataclass(frozen=True, slots=True)
class RenderedMail:
    subject: str
    text_body: str
    html_body: str


@functools.cache
def _environment(language: str) -> Environment:
    # Only the HTML part is escaped: the plain-text part must show names exactly as written.
    environment = Environment(
        loader=PackageLoader("seatbridge.mail", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,  # packaged templates do not change: no stat() per message
    )
    environment.install_gettext_translations(translations()[language], newstyle=True)  # type: ignore[attr-defined]
    return environment


def mail_locale(locale: str | None) -> str:
    """The supported locale closest to `locale` (French when unknown)."""
    return language(locale)


def render_mail(name: str, locale: str, context: dict[str, Any]) -> RenderedMail:
    """Render <name>.subject.txt, .txt and .html with `context`, in the recipient's language."""
    wanted = mail_locale(locale)
    environment = _environment(wanted)
    try:
        subject = environment.get_template(f"{name}.subject.txt")
        text = environment.get_template(f"{name}.txt")
        html = environment.get_template(f"{name}.html")
    except TemplateNotFound:
        raise UnknownTemplate(name=name, locale=wanted) from None
    values = context | {"locale": wanted}
    return RenderedMail(
        subject=" ".join(subject.render(values).split()),
        text_body=text.render(values),
        html_body=html.render(values),
    )
