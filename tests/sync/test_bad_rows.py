"""Row-level isolation in the collaborator sync: hand-written rows of the real Sage layouts,
one of each kind of bad row; the run goes on, the report names each row, column and reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sync.models import Collaborator, RunStatus, SyncRun
from seatbridge.sync.runner import run_sync
from seatbridge.sync.source import Sage100Source
from tests.support.dirty import dirty_company, listed
from tests.support.factories import clock
from tests.support.sage_layouts import LAYOUTS, Layout, SageCompany
from tests.sync.helpers import make_world


def sync(sessions: sessionmaker[Session], world, url: str, **options: bool):  # type: ignore[no-untyped-def]
    with Sage100Reader(url) as reader:
        return run_sync(sessions, account_id=world.account.id,
                        environment_id=world.environments["A"].id, source=Sage100Source(reader),
                        actor="test-run", clock=clock(), **options)  # fmt: skip


@pytest.mark.parametrize("layout", LAYOUTS)
def test_bad_rows_are_set_aside_and_the_others_synced(
    sessions: sessionmaker[Session], tmp_path: Path, layout: Layout
) -> None:
    dirty = dirty_company(tmp_path / "dirty.db", layout)
    world = make_world(sessions)
    outcome = sync(sessions, world, dirty.company.url)
    assert outcome.status is RunStatus.SUCCEEDED
    with sessions() as session:
        mirror = {c.co_no: c for c in session.scalars(select(Collaborator))}
        run = session.get_one(SyncRun, outcome.run_id)
    assert set(mirror) == dirty.good_collaborators
    assert mirror[3].last_name == "LEROUX"  # NUL removed
    assert mirror[4].function == "Responsable des grands comptes joai"  # 35 characters
    assert mirror[5].first_name == "<script>alert(1)</script>"  # kept; pages escape it
    assert mirror[7].last_name == "RICHARD"  # the last row read with CO_No 7 wins
    expected_aside = {row for row in dirty.set_aside if row[0] == "F_COLLABORATEUR"}
    expected_cleaned = {row for row in dirty.cleaned if row[0] == "F_COLLABORATEUR"}
    for report in (outcome.report.as_dict(), run.rows_report or {}):
        assert listed(report, set_aside=True) == expected_aside
        assert listed(report, set_aside=False) == expected_cleaned
        part = report["F_COLLABORATEUR"]
        assert part["set_aside"] == len(expected_aside)
        assert all(row["detail"] and "Traceback" not in row["detail"] for row in part["rows"])
    missing = outcome.report.tables["F_COLLABORATEUR"].missing_columns
    assert ("CO_Sommeil" in missing) is (layout != "recent_sommeil")
    # A second run changes nothing and reports the same rows again (they are still in Sage).
    again = sync(sessions, world, dirty.company.url, full=True)
    assert again.status is RunStatus.SUCCEEDED and again.report.set_aside == len(expected_aside)
    assert not any(count for kind, count in again.counts.items() if kind != "unchanged")


def test_french_reasons_name_the_column(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    dirty = dirty_company(tmp_path / "dirty.db")
    outcome = sync(sessions, make_world(sessions), dirty.company.url)
    details = {row.reason: row.detail for row in outcome.report.tables["F_COLLABORATEUR"].rows}
    assert details["empty_key"] == "CO_No est vide : la ligne ne peut pas être rattachée."
    assert "CO_Fonction tronqué à 35 caractères" in details["trimmed"]
    assert "caractère NUL retiré de CO_Nom" in details["nul_removed"]
    assert "valeur illisible dans cbCreation : hier" in details["unreadable"]
    assert "seule la dernière lue est gardée" in details["duplicate_key"]


def test_a_company_without_the_columns_the_product_does_not_need(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    """CO_Service, CO_TelPortable, CO_Caissier, CO_Acheteur (and DL_No) are optional: the read
    goes on, and the report says which columns were missing."""
    dropped = ("CO_Service", "CO_TelPortable", "CO_Caissier", "CO_Acheteur", "DL_No")
    sage = SageCompany(tmp_path / "thin.db", "older", drop=dropped)
    sage.collaborator(1, "DUPONT", "Jean", "jean@bijou-sa.fr")
    outcome = sync(sessions, make_world(sessions), sage.url)
    assert outcome.status is RunStatus.SUCCEEDED and outcome.counts["add_collaborator"] == 1
    missing = set(outcome.report.tables["F_COLLABORATEUR"].missing_columns)
    assert {"CO_Service", "CO_TelPortable", "CO_Caissier", "CO_Acheteur"} <= missing
    with Sage100Reader(sage.url) as reader:
        assert "DL_No" in reader.missing_columns("F_DOCLIGNE")
