"""The commerce copy's safety brake: a run that would delete too much stops before writing."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.commerce.errors import ReplicationBlocked
from seatbridge.commerce.replication import brakes
from seatbridge.sync.models import SyncWatermark
from tests.commerce.helpers import Company, make_company
from tests.commerce.sage import SageFile


@pytest.fixture
def company(sessions: sessionmaker[Session], sage_files: dict[str, SageFile]) -> Company:
    made = make_company(sessions, sage_files)
    made.replicate("A")
    return made


def marks(company: Company) -> list[tuple[str, object, int]]:
    with company.sessions() as session:
        return [
            (m.entity, m.modified_since, m.max_cb_marq)
            for m in session.scalars(select(SyncWatermark).order_by(SyncWatermark.entity))
        ]


def test_the_rule() -> None:
    assert not brakes(49, 100) and brakes(50, 100)  # at least 50 ...
    assert not brakes(200, 1000) and brakes(201, 1000)  # ... and more than 20 %


@pytest.mark.parametrize("full", [True, False], ids=["full", "incremental"])
def test_emptied_tables_never_empty_the_copy(company: Company, full: bool) -> None:
    sage = company.files["A"]
    before, watermarks = company.copied("A"), marks(company)
    sage.execute("DELETE FROM F_DOCLIGNE")
    sage.execute("DELETE FROM F_DOCENTETE")
    sage.execute("DELETE FROM F_COMPTET")
    with pytest.raises(ReplicationBlocked) as blocked:
        company.replicate("A", full=full)
    message = blocked.value.message("fr")
    # 40 customers only (< 50), but an empty Sage table is never "everything was deleted".
    assert "40 clients sur 40 (100 %)" in message and "F_COMPTET" in message
    assert "la table est vide dans Sage 100" in message and "--confirm" in message
    assert "Rien n'a été modifié" in message
    assert company.copied("A") == before and marks(company) == watermarks
    # The operator's override: the same run, confirmed, applies the deletions.
    company.replicate("A", full=True, confirm=True)
    assert company.copied("A") == ({}, {}, {})


def test_a_mass_deletion_of_documents_is_held(company: Company) -> None:
    sage = company.files["A"]
    before = company.copied("A")
    doomed = sage.rows("SELECT cbMarq FROM F_DOCENTETE WHERE DO_Domaine = 0 ORDER BY cbMarq")
    gone = [marq for (marq,) in doomed[: len(doomed) // 4 + 1]]  # just over a quarter
    marks_ = ",".join(map(str, gone))
    sage.execute(f"DELETE FROM F_DOCENTETE WHERE cbMarq IN ({marks_})")
    # Something else changed too: it is not applied either (nothing changes before the brake).
    sage.execute("UPDATE F_COMPTET SET CT_Intitule = 'Changé', cbModification = ? "
                 "WHERE cbMarq = (SELECT MIN(cbMarq) FROM F_COMPTET)", (sage.stamp(),))  # fmt: skip
    for full in (True, False):
        with pytest.raises(ReplicationBlocked) as blocked:
            company.replicate("A", full=full)
        assert f"{len(gone)} documents sur {len(doomed)}" in blocked.value.message("fr")
        assert company.copied("A") == before
    outcome = company.replicate("A", full=True, confirm=True)
    assert outcome.entity("document_headers").deleted == len(gone)


def test_ordinary_deletions_go_through(company: Company) -> None:
    sage = company.files["A"]
    sage.execute("DELETE FROM F_DOCENTETE WHERE cbMarq IN (SELECT cbMarq FROM F_DOCENTETE "
                 "WHERE DO_Domaine = 0 ORDER BY cbMarq LIMIT 10)")  # fmt: skip
    outcome = company.replicate("A", full=True)
    assert outcome.entity("document_headers").deleted == 10
