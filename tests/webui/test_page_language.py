"""Every page reads in one language: no English catalogue sentence on a French page, no French
source sentence on an English one (a string that escaped the catalogue, or a domain message
rendered in the wrong language)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from seatbridge import i18n_catalog
from seatbridge.directory.models import User
from tests.webui.conftest import Advanced, Site
from tests.webui.test_crawl import _local, rep_with_customers

MAX_PAGES = 150
# Placeholders split a message into the fragments that reach the page as they are written.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{[^{}]*\}")
ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")


def fragments(message: str) -> set[str]:
    """The pieces of a message long and wordy enough not to match page data by chance."""
    pieces = (" ".join(piece.split()) for piece in PLACEHOLDER.split(message))
    return {p for p in pieces if len(p) >= 14 and " " in p and re.search(r"[a-zA-Z]{4}", p)}


def catalogue_fragments() -> tuple[set[str], set[str]]:
    """(French-only fragments, English-only fragments): what the other language must not show."""
    french: set[str] = set()
    english: set[str] = set()
    for message in i18n_catalog.load("en"):
        if not message.id:
            continue
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for source in sources:
            french |= fragments(str(source))
        for string in strings:
            english |= fragments(str(string))
    return french - english, english - french


def visible_text(page: BeautifulSoup) -> str:
    for hidden in page.find_all(["script", "style"]):
        hidden.decompose()
    parts = [page.get_text(" ")]
    for tag in page.find_all(True):
        parts += [str(tag[name]) for name in ATTRIBUTES if tag.has_attr(name)]
    return " ".join(" ".join(parts).split())


def pages(site: Site, user: User, language: str) -> dict[str, str]:
    """Every same-site page reachable from home (GET), in a language: path -> visible text."""
    site.sign_in(user)
    site.web.client.cookies.set("lang", language)
    texts: dict[str, str] = {}
    todo, seen = ["/"], set()
    while todo and len(seen) < MAX_PAGES:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        response, page = site.get(path)
        if response.status_code in (301, 302, 303, 307):
            todo.append(_local(response.headers["location"], path) or "/")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        for anchor in page.find_all("a", href=True):
            target = _local(str(anchor["href"]), path)
            if target and target not in seen and "lang=" not in target:
                todo.append(target)
        texts[path] = visible_text(page)
    return texts


def wrong_language(texts: dict[str, str], forbidden: set[str]) -> dict[str, list[str]]:
    found = {path: sorted(f for f in forbidden if f in text) for path, text in texts.items()}
    return {path: hits for path, hits in found.items() if hits}


def test_the_fragments_are_distinctive() -> None:
    french, english = catalogue_fragments()
    assert len(french) > 300 and len(english) > 300
    assert "Accueil" not in french and "Home" not in english  # too short to be sure of
    assert "plusieurs collaborateurs partagent cette adresse e-mail" in french
    assert "several collaborators share this e-mail" in english


class TestPageLanguage:
    def test_admin_pages(self, site: Site, advanced: Advanced) -> None:
        french, english = catalogue_fragments()
        in_french = pages(site, advanced.admin, "fr")
        in_english = pages(site, advanced.admin, "en")
        assert len(in_french) > 12 and len(in_english) > 12
        assert any(path.startswith("/admin/runs/") for path in in_english)
        # The check sees each language where it belongs (it could fail)...
        assert len(wrong_language(in_french, french)) > 10
        assert len(wrong_language(in_english, english)) > 10
        # ...and never where it does not.
        assert wrong_language(in_french, english) == {}
        assert wrong_language(in_english, french) == {}

    def test_sales_rep_pages(self, site: Site, advanced: Advanced) -> None:
        french, english = catalogue_fragments()
        rep = rep_with_customers(site, advanced)
        assert wrong_language(pages(site, rep, "fr"), english) == {}
        assert wrong_language(pages(site, rep, "en"), french) == {}


def test_signed_out_pages(site: Site) -> None:
    french, english = catalogue_fragments()
    paths = ("/auth/sign-in", "/auth/forgot-password", "/auth/set-password/not-a-token")
    for language, forbidden in (("fr", english), ("en", french)):
        site.web.client.cookies.clear()
        site.web.client.cookies.set("lang", language)
        texts = {path: visible_text(site.get(path)[1]) for path in paths}
        assert all(texts.values())
        assert wrong_language(texts, forbidden) == {}, language
