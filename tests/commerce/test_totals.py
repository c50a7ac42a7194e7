"""Header totals from the lines when Sage has none (older versions), full and incremental."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment
from seatbridge.commerce.models import CommerceDocument
from seatbridge.commerce.queries import Period, monthly_sales
from seatbridge.commerce.replication import replicate
from seatbridge.commerce.scope import Viewer
from seatbridge.sage100.reader import Sage100Reader
from tests.support.factories import clock, make_account, make_environment
from tests.support.sage_layouts import SageCompany


def copy(sessions: sessionmaker[Session], environment: Environment, sage: SageCompany) -> None:
    with Sage100Reader(sage.url) as reader:
        replicate(sessions, environment=environment, reader=reader, clock=clock(),
                  child_min_rows=None)  # fmt: skip


def totals(sessions: sessionmaker[Session]) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    with sessions() as session:
        return {
            d.do_piece: (d.total_ht, d.total_ttc) for d in session.scalars(select(CommerceDocument))
        }


def test_totals_come_from_the_lines_and_follow_them(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    sage = SageCompany(tmp_path / "older.db", "older")
    sage.customer("CARAT", "Bijouterie Carat", 1)
    sage.document(6, "FA00001", "CARAT", 1)
    sage.line(6, "FA00001", "CARAT", 100.0, amount_ttc=120.0)
    second = sage.line(6, "FA00001", "CARAT", 50.5, amount_ttc=60.6)
    sage.document(5, "AV00001", "CARAT", 1)  # a credit note
    sage.line(5, "AV00001", "CARAT", 30.0, amount_ttc=36.0)
    sage.document(6, "FA00002", "CARAT", 1)  # no line yet
    with sessions.begin() as session:
        environment = make_environment(session, make_account(session), "NORD")
        session.expunge(environment)
    copy(sessions, environment, sage)
    assert totals(sessions) == {
        "FA00001": (Decimal("150.5"), Decimal("180.6")),
        "AV00001": (Decimal("30"), Decimal("36")),
        "FA00002": (None, None),
    }
    # Incremental: a changed line, a new line, a new document with its line.
    sage.execute('UPDATE "F_DOCLIGNE" SET "DL_MontantHT" = 70.5, "DL_MontantTTC" = 84.6, '
                 '"cbModification" = ? WHERE "cbMarq" = ?', (sage.stamp(), second))  # fmt: skip
    sage.line(6, "FA00002", "CARAT", 10.0, amount_ttc=12.0)
    sage.document(6, "FA00003", "CARAT", 1)
    sage.line(6, "FA00003", "CARAT", 5.0, amount_ttc=6.0)
    copy(sessions, environment, sage)
    assert totals(sessions) == {
        "FA00001": (Decimal("170.5"), Decimal("204.6")),
        "AV00001": (Decimal("30"), Decimal("36")),
        "FA00002": (Decimal("10"), Decimal("12")),
        "FA00003": (Decimal("5"), Decimal("6")),
    }
    # The sales a rep's manager sees are real amounts: 170.5 + 10 + 5 - 30.
    viewer = Viewer.environments(environment.account_id, [environment.id])
    with sessions() as session:
        period = Period(dt.date(2026, 10, 1), dt.date(2026, 11, 1))
        months = monthly_sales(session, viewer=viewer, period=period)
    assert [m.net for m in months] == [Decimal("155.5")]


def test_headers_with_their_own_totals_keep_them(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    sage = SageCompany(tmp_path / "recent.db", "recent")
    sage.customer("CARAT", "Bijouterie Carat", 1)
    sage.document(6, "FA00001", "CARAT", 1, DO_TotalHT=99.0, DO_TotalTTC=118.8)
    sage.line(6, "FA00001", "CARAT", 100.0)
    sage.document(6, "FA00002", "CARAT", 1)  # recent, but NULL totals
    sage.line(6, "FA00002", "CARAT", 20.0, amount_ttc=24.0)
    with sessions.begin() as session:
        environment = make_environment(session, make_account(session), "SUD")
        session.expunge(environment)
    copy(sessions, environment, sage)
    assert totals(sessions) == {
        "FA00001": (Decimal("99"), Decimal("118.8")),
        "FA00002": (Decimal("20"), Decimal("24")),
    }
