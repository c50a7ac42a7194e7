"""Row-level isolation in the commerce replication: hand-written rows of the real layouts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.commerce.models import CommerceCustomer, CommerceDocument, CommerceDocumentLine
from seatbridge.commerce.replication import replicate
from seatbridge.sage100.reader import Sage100Reader
from tests.support.dirty import dirty_company, listed
from tests.support.factories import clock, make_account, make_environment
from tests.support.sage_layouts import LAYOUTS, Layout

COMMERCE_TABLES = ("F_COMPTET", "F_DOCENTETE", "F_DOCLIGNE")


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("child", [False, True], ids=["here", "child"])
def test_bad_rows_are_set_aside_and_the_others_copied(
    sessions: sessionmaker[Session], tmp_path: Path, layout: Layout, child: bool
) -> None:
    dirty = dirty_company(tmp_path / "dirty.db", layout)
    with sessions.begin() as session:
        environment = make_environment(session, make_account(session), "DIRTY")
        session.expunge(environment)
    with Sage100Reader(dirty.company.url, batch_size=3) as reader:
        outcome = replicate(sessions, environment=environment, reader=reader, clock=clock(),
                            batch_rows=4, child_min_rows=0 if child else None)  # fmt: skip
    with sessions() as session:
        customers = {c.ct_num: c for c in session.scalars(select(CommerceCustomer))}
        documents = {(d.do_type, d.do_piece): d for d in session.scalars(select(CommerceDocument))}
        lines = list(session.scalars(select(CommerceDocumentLine)))
    assert set(customers) == dirty.good_customers
    assert customers["PERLE"].name == "Perle d'or"
    assert customers["SAPHIR"].name == "Saphir"
    assert set(documents) == dirty.good_documents
    assert documents[(6, "FA00010")].reference == "COMMANDE-CLIENT-2"  # 17 characters, trimmed
    assert sorted(line.do_piece for line in lines) == ["FA00001", "FA00002", "FA00003"]
    report = outcome.as_dict()["rows_report"]
    expected = {row for row in dirty.set_aside if row[0] in COMMERCE_TABLES}
    assert listed(report, set_aside=True) == expected
    assert listed(report, set_aside=False) == {
        row for row in dirty.cleaned if row[0] in COMMERCE_TABLES
    }
    assert outcome.entity("document_headers").set_aside == 3
    assert outcome.entity("document_lines").set_aside == 2
    assert outcome.report.set_aside == len(expected)
