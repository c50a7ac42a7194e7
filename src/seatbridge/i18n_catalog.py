"""Keeping the catalogue true: extract every marked string, merge it into the .po, check it.

``python -m seatbridge.i18n_catalog update`` (``make catalog``) adds the new French strings to
the English .po with an empty translation (to fill in) and drops the ones no code uses any more;
``check`` lists what is wrong (what tests/test_catalogue.py asserts). ``babel.cfg`` holds the same
mapping for ``pybabel extract -F babel.cfg -k _n:1,2 -k N_ src``.
"""

from __future__ import annotations

import contextlib
import io
import re
import string
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from seatbridge.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES

PACKAGE = Path(__file__).resolve().parent
KEYWORDS = {"_": None, "N_": None, "_n": (1, 2), "gettext": None, "ngettext": (1, 2)}
METHOD_MAP = [
    ("**/templates/**.html", "jinja2.ext:babel_extract"),
    ("**/templates/**.txt", "jinja2.ext:babel_extract"),
    ("**.py", "python"),
]
JINJA = {"extensions": "jinja2.ext.i18n", "trimmed": "true"}
OPTIONS_MAP = {"**/templates/**.html": JINJA, "**/templates/**.txt": JINJA}
SKIPPED = ("i18n.py", "i18n_catalog.py")
HEADER = """\
# English catalogue of seatbridge: French is the source language (the msgids, as written in the
# code and the templates). Read at runtime, no compiled .mo. `make catalog` adds new strings
# (empty: translate them) and drops unused ones; docs/i18n.md has the rules.
msgid ""
msgstr ""
"Project-Id-Version: seatbridge\\n"
"Language: {locale}\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"

"""
_PERCENT = re.compile(r"%\((\w+)\)[sd]")


def po_path(locale: str) -> Path:
    return PACKAGE / "locale" / locale / "LC_MESSAGES" / "messages.po"


def extract() -> dict[str | tuple[str, str], set[str]]:
    """Every marked msgid (a (singular, plural) pair for plurals) -> the files using it."""
    found: dict[str | tuple[str, str], set[str]] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE),
        method_map=METHOD_MAP,
        options_map=OPTIONS_MAP,
        keywords=KEYWORDS,
        strip_comment_tags=True,
    ):
        if Path(filename).name in SKIPPED:
            continue
        key: str | tuple[str, str] = (
            (message[0], message[1]) if isinstance(message, tuple) else message
        )
        if isinstance(key, tuple) and len(key) != 2:
            continue
        found.setdefault(key, set()).add(filename)
    return found


def load(locale: str) -> Catalog:
    with po_path(locale).open("rb") as source:
        return read_po(source, locale=locale)


def fields(text: str) -> set[str]:
    """The placeholders of a message: ``{name}`` (Python) and ``%(name)s`` (templates)."""
    names = set(_PERCENT.findall(text))
    # A template message with a literal brace: only its %(name)s count.
    with contextlib.suppress(ValueError):
        names |= {name for _, name, _, _ in string.Formatter().parse(text) if name}
    return names


def _key(message: Message) -> str | tuple[str, str]:
    if isinstance(message.id, tuple | list):
        return (message.id[0], message.id[1])
    return str(message.id)


def problems(locale: str) -> Iterator[str]:
    """What is wrong with a catalogue: missing, unused, untranslated, placeholders that differ."""
    used = extract()
    catalog = load(locale)
    present = {_key(message): message for message in catalog if message.id}
    for key in sorted(set(used) - set(present), key=str):
        yield f"missing: {key!r} ({', '.join(sorted(used[key]))})"
    for key in sorted(set(present) - set(used), key=str):
        yield f"unused: {key!r}"
    for key, message in present.items():
        translations = (
            list(message.string) if isinstance(message.string, tuple | list) else [message.string]
        )
        if not all(translations):
            yield f"untranslated: {key!r}"
            continue
        sources = list(key) if isinstance(key, tuple) else [key]
        wanted = set().union(*(fields(str(source)) for source in sources))
        for translation in translations:
            if fields(str(translation)) != wanted:
                yield f"placeholders differ: {key!r} -> {translation!r}"


def update(locale: str) -> tuple[int, int]:
    """Add the new msgids (untranslated) and drop the unused ones; returns (added, removed)."""
    used = extract()
    old = load(locale)
    kept = Catalog(locale=locale)
    present = {_key(message): message for message in old if message.id}
    for key, message in present.items():
        if key in used:
            kept.add(message.id, message.string, locations=_locations(used[key]))
    added = [key for key in used if key not in present]
    for key in sorted(added, key=str):
        empty: str | tuple[str, str] = ("", "") if isinstance(key, tuple) else ""
        kept.add(key, empty, locations=_locations(used[key]))
    output = io.BytesIO()
    write_po(output, kept, width=0, omit_header=True, no_location=True, sort_output=True)
    po_path(locale).write_bytes(HEADER.format(locale=locale).encode() + output.getvalue())
    return len(added), len(set(present) - set(used))


def _locations(files: set[str]) -> list[tuple[str, int]]:
    return [(name, 0) for name in sorted(files)]


def main(argv: list[str] | None = None) -> int:
    command = (argv or sys.argv[1:] or ["check"])[0]
    status = 0
    for locale in SUPPORTED_LOCALES:
        if locale == DEFAULT_LOCALE:
            continue
        if command == "update":
            added, removed = update(locale)
            print(f"{locale}: {added} added (to translate), {removed} removed")
        for problem in problems(locale):
            print(f"{locale}: {problem}")
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
