"""The one catalogue: every marked string translated, nothing unused, placeholders that match."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import seatbridge
from seatbridge import i18n_catalog
from seatbridge.accounts.errors import InvalidEnvironment
from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import Day, Text, _, from_json, render
from seatbridge.sync.errors import CaseNotFound, SyncFailed

ROOT = Path(__file__).resolve().parents[1]


def _all_errors() -> list[type[SeatbridgeError]]:
    for module in pkgutil.walk_packages(seatbridge.__path__, "seatbridge."):
        if module.name.endswith("__main__") or module.name.startswith("seatbridge.db.migrations"):
            continue  # migration scripts run only under Alembic
        importlib.import_module(module.name)
    found: list[type[SeatbridgeError]] = []
    pending = [SeatbridgeError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def test_the_catalogue_matches_the_code() -> None:
    """Fails on a new string without translation, an unused entry, or placeholders that differ."""
    extracted = i18n_catalog.extract()
    assert len(extracted) > 500, "the extraction found almost nothing: is the mapping right?"
    assert list(i18n_catalog.problems("en")) == []


def test_placeholders_are_compared() -> None:
    assert i18n_catalog.fields("{co_no} de « {environment} »") == {"co_no", "environment"}
    assert i18n_catalog.fields("%(num)s client et {x}") == {"num", "x"}
    assert i18n_catalog.fields("Expire le {expires_on:%d/%m/%Y}") == {"expires_on"}


def test_no_error_class_keeps_a_language_of_its_own() -> None:
    catalogue = {str(message.id) for message in i18n_catalog.load("en") if message.id}
    errors = _all_errors()
    assert len(errors) > 100
    for cls in errors:
        own = vars(cls)
        assert "fr" not in own and "en" not in own, f"{cls.__name__}: use template = N_(...)"
        assert cls.template in catalogue, f"{cls.__name__}: its template is not in the catalogue"


def test_an_error_reads_in_the_viewers_language_with_its_code() -> None:
    error = CaseNotFound(case=3)
    assert error.code == "case_not_found"
    assert error.message("fr") == "Vérification n° 3 introuvable."
    assert error.message("en") == "Review case 3 not found."
    assert error.message("en_GB") == "Review case 3 not found."
    assert str(error) == "Vérification n° 3 introuvable."


def test_a_text_parameter_is_rendered_in_the_same_language() -> None:
    error = InvalidEnvironment(reason=_("le nom est obligatoire (100 caractères au plus)."))
    assert error.message("fr").endswith("le nom est obligatoire (100 caractères au plus).")
    assert (
        error.message("en") == "Invalid environment: a name is required (100 characters at most)."
    )
    wrapped = SyncFailed(reason=error.text)
    assert "a name is required" in wrapped.message("en")
    assert wrapped.message("en").startswith("The sync failed and changed nothing")


def test_a_stored_text_comes_back_and_renders_later() -> None:
    text = SyncFailed(reason=_("le nom est obligatoire (100 caractères au plus).")).text
    stored = text.to_json()
    again = from_json(stored)
    assert isinstance(again, Text)
    assert again == text
    assert again.render("en") == text.render("en") != text.render("fr")


def test_an_unknown_message_falls_back_to_its_french_source() -> None:
    assert Text("Phrase absente du catalogue {x}", x=1).render("en") == (
        "Phrase absente du catalogue 1"
    )


@pytest.mark.slow
def test_a_plain_wheel_ships_the_catalogue(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("seatbridge-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "seatbridge/locale/en/LC_MESSAGES/messages.po" in names
    assert "seatbridge/web/templates/base.html" in names


def test_a_day_is_written_for_its_reader() -> None:
    assert Day(dt.date(2026, 7, 1)).render("fr") == "1er juillet 2026"
    assert Day(dt.date(2026, 7, 14)).render("fr") == "14 juillet 2026"
    assert Day(dt.date(2026, 7, 1)).render("en") == "July 1, 2026"
    sentence = _("{field} : {value}", field="Expire le", value=Day(dt.date(2027, 11, 1)))
    assert sentence.render("fr") == "Expire le : 1er novembre 2027"


def test_outside_data_that_looks_like_a_stored_text_never_breaks_a_page() -> None:
    forged = '{"msgid": "Bonjour {nobody} {0}"}'
    assert render(forged, "en") == "Bonjour {nobody} {0}"
    assert render({"msgid": "{x!z}", "params": {"x": 1}}, "fr") == "{x!z}"
