"""Demo companies: deterministic, realistic, and dirty on purpose."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select

from seatbridge.sage100.demo import DemoCompanySummary, make_demo_company
from seatbridge.sage100.demo_data import REFERENCE_DATE
from seatbridge.sage100.errors import DemoCompanyNotEmpty, DemoInvalidOption
from seatbridge.sage100.tables import TABLE_NAMES, sage100_metadata
from tests.sage100.conftest import SMALL
from tests.support.databases import fresh_mariadb_database

NO_DATE = dt.datetime(1753, 1, 1)


def dump(path: Path | str, schema: str = "recent") -> dict[str, list[dict[str, Any]]]:
    """Every row of the four tables, in cbMarq order, as dicts."""
    url = path if isinstance(path, str) else f"sqlite:///{path}"
    engine = create_engine(url)
    tables = sage100_metadata(schema).tables
    try:
        with engine.connect() as connection:
            return {
                name: [
                    dict(row._mapping)
                    for row in connection.execute(select(tables[name]).order_by("cbMarq"))
                ]
                for name in TABLE_NAMES
            }
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def recent_rows(
    recent_template: tuple[Path, DemoCompanySummary],
) -> dict[str, list[dict[str, Any]]]:
    return dump(recent_template[0])


class TestDeterminism:
    def test_same_seed_same_rows(self, tmp_path: Path) -> None:
        first = make_demo_company(str(tmp_path / "a.db"), seed=7, **SMALL)
        second = make_demo_company(str(tmp_path / "b.db"), seed=7, **SMALL)
        assert first.table_counts() == second.table_counts()
        assert dump(tmp_path / "a.db") == dump(tmp_path / "b.db")

    def test_other_seed_other_rows(self, tmp_path: Path) -> None:
        make_demo_company(str(tmp_path / "a.db"), seed=1, **SMALL)
        make_demo_company(str(tmp_path / "b.db"), seed=2, **SMALL)
        assert dump(tmp_path / "a.db") != dump(tmp_path / "b.db")


class TestContent:
    def test_counts(
        self, recent_template: tuple[Path, DemoCompanySummary], recent_rows: Any
    ) -> None:
        summary = recent_template[1]
        assert {name: len(rows) for name, rows in recent_rows.items()} == summary.table_counts()
        assert summary.collaborators == 20 and summary.documents == 200
        customers = [r for r in recent_rows["F_COMPTET"] if r["CT_Type"] == 0]
        assert len(customers) == 30

    def test_collaborators_look_real(self, recent_rows: Any) -> None:
        people = recent_rows["F_COLLABORATEUR"]
        assert [p["CO_No"] for p in people] == list(range(1, 21))
        assert {p["CO_Vendeur"] for p in people} == {0, 1}
        assert any(p["CO_Caissier"] or p["CO_Acheteur"] for p in people if not p["CO_Vendeur"])
        assert len({(p["CO_Nom"].strip(), p["CO_Prenom"].strip()) for p in people}) == 20
        assert sum("@bijou-sa.fr" in (p["CO_EMail"] or "").lower() for p in people) >= 15

    def test_customers(self, recent_rows: Any) -> None:
        parties = {r["CT_Num"]: r for r in recent_rows["F_COMPTET"]}
        assert parties["CARAT"]["CT_Type"] == 0 and parties["CARAT"]["CO_No"]
        assert parties["BRELO"]["CT_Type"] == 1
        customers = [r for r in parties.values() if r["CT_Type"] == 0]
        assert any(r["CT_Prospect"] == 1 for r in customers)
        assert any(r["CT_Sommeil"] == 1 for r in customers)
        salespeople = {p["CO_No"] for p in recent_rows["F_COLLABORATEUR"] if p["CO_Vendeur"]}
        assert {r["CO_No"] for r in customers} - {0} <= salespeople

    def test_documents_of_every_type_over_three_years(self, recent_rows: Any) -> None:
        headers = recent_rows["F_DOCENTETE"]
        assert {h["DO_Domaine"] for h in headers} == {0}
        assert {h["DO_Type"] for h in headers} == set(range(8))
        dates = [h["DO_Date"] for h in headers]
        assert REFERENCE_DATE - dt.timedelta(days=3 * 365 + 1) <= min(dates)
        assert max(dates) <= REFERENCE_DATE
        assert all(h["cbCreation"] <= h["cbModification"] <= REFERENCE_DATE for h in headers)
        articles = {line["AR_Ref"] for line in recent_rows["F_DOCLIGNE"]}
        assert {"BAAR01", "LINGOR18", "CHFE01"} <= articles

    def test_header_totals_match_lines(self, recent_rows: Any) -> None:
        sums: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
        for line in recent_rows["F_DOCLIGNE"]:
            sums[line["DO_Type"], line["DO_Piece"]] += line["DL_MontantHT"]
        for header in recent_rows["F_DOCENTETE"]:
            total = sums[header["DO_Type"], header["DO_Piece"]]
            assert header["DO_TotalHT"] == total
            assert header["DO_TotalTTC"] == (total * Decimal("1.2")).quantize(Decimal("0.01"))


class TestDirt:
    def test_collaborator_emails(self, recent_rows: Any) -> None:
        emails = [p["CO_EMail"] for p in recent_rows["F_COLLABORATEUR"]]
        assert None in emails and "" in emails
        texts = [e for e in emails if e]
        assert any(e != e.lower() for e in texts)
        assert any(e != e.strip() for e in texts)
        assert any(";" in e for e in texts)
        assert any("," in e for e in texts)  # invalid: x@bijou-sa,fr
        assert max(Counter(e.strip().lower() for e in texts).values()) >= 2

    def test_dormant_collaborator(self, recent_rows: Any) -> None:
        people = recent_rows["F_COLLABORATEUR"]
        assert any(p["CO_Sommeil"] == 1 and p["CO_Vendeur"] == 1 for p in people)

    def test_empty_strings_instead_of_null(self, recent_rows: Any) -> None:
        people = recent_rows["F_COLLABORATEUR"]
        assert any(p["CO_Service"] == "" for p in people)
        assert any(p["CO_Telecopie"] == "" for p in people)
        assert any(r["CT_Telecopie"] == "" for r in recent_rows["F_COMPTET"])
        assert any(h["DO_Ref"] == "" for h in recent_rows["F_DOCENTETE"])
        assert any(line["AR_Ref"] == "" for line in recent_rows["F_DOCLIGNE"])

    def test_no_date_sentinel(self, recent_rows: Any) -> None:
        assert any(h["DO_DateLivr"] == NO_DATE for h in recent_rows["F_DOCENTETE"])
        assert any(line["DL_DateBC"] == NO_DATE for line in recent_rows["F_DOCLIGNE"])

    def test_documents_without_representative(self, recent_rows: Any) -> None:
        reps = {r["CT_Num"]: r["CO_No"] for r in recent_rows["F_COMPTET"]}
        orphans = [h for h in recent_rows["F_DOCENTETE"] if h["CO_No"] == 0]
        assert any(reps[h["DO_Tiers"]] for h in orphans)  # owned by the customer's representative

    def test_pasted_customer_names(self, recent_rows: Any) -> None:
        names = [r["CT_Intitule"] for r in recent_rows["F_COMPTET"]]
        assert any(n.startswith('"') and n != n.strip() for n in names)

    def test_older_schema(self, older_template: tuple[Path, DemoCompanySummary]) -> None:
        rows = dump(older_template[0], "older")
        people = rows["F_COLLABORATEUR"]
        assert "CO_Sommeil" not in people[0] and "cbCreation" not in people[0]
        assert any(p["CO_DateCreation"] == NO_DATE for p in people)
        assert all(p["cbModification"].second == 0 for p in people)  # smalldatetime: minutes
        assert all(len(h["DO_Piece"]) <= 9 for h in rows["F_DOCENTETE"])


class TestSafety:
    def test_refuses_a_filled_database(self, recent_db: Path) -> None:
        before = dump(recent_db)
        with pytest.raises(DemoCompanyNotEmpty) as raised:
            make_demo_company(str(recent_db), seed=2, **SMALL)
        assert "F_COLLABORATEUR: 20" in raised.value.message("en")
        assert dump(recent_db) == before

    def test_replace(self, recent_db: Path) -> None:
        summary = make_demo_company(
            str(recent_db), replace=True, collaborators=5, customers=3, documents=4
        )
        assert {name: len(rows) for name, rows in dump(recent_db).items()} == (
            summary.table_counts()
        )

    @pytest.mark.parametrize(
        ("options", "option"),
        [
            ({"collaborators": -1}, "collaborators"),
            ({"customers": -3}, "customers"),
            ({"documents": -5}, "documents"),
            ({"customers": 0, "documents": 3}, "customers"),
            ({"company": "Bijou SA!"}, "company"),
        ],
    )
    def test_invalid_options(self, tmp_path: Path, options: dict[str, Any], option: str) -> None:
        with pytest.raises(DemoInvalidOption) as raised:
            make_demo_company(str(tmp_path / "x.db"), **options)
        assert option in raised.value.message("en")
        assert not (tmp_path / "x.db").exists()

    def test_progress(self, tmp_path: Path) -> None:
        calls: list[tuple[str, int, int]] = []
        make_demo_company(
            str(tmp_path / "x.db"), documents=3000, customers=3, progress=lambda *a: calls.append(a)
        )
        assert {stage for stage, _, _ in calls} == {"collaborators", "customers", "documents"}
        documents = [(done, total) for stage, done, total in calls if stage == "documents"]
        assert documents[0] == (0, 3000) and documents[-1] == (3000, 3000)
        assert len(documents) > 2  # reported per batch, not only at the end

    def test_empty_company(self, tmp_path: Path) -> None:
        summary = make_demo_company(
            str(tmp_path / "x.db"), collaborators=0, customers=0, documents=0
        )
        assert summary.table_counts()["F_DOCLIGNE"] == 0


class TestOtherDatabases:
    @pytest.mark.postgres
    def test_postgresql_same_rows_as_sqlite(self, pg_company: str, recent_rows: Any) -> None:
        assert dump(pg_company) == recent_rows

    def test_mariadb(self) -> None:
        with fresh_mariadb_database("sbdemo") as url:
            summary = make_demo_company(url, schema="older", collaborators=16, documents=20)
            rows = dump(url, "older")
        assert {name: len(r) for name, r in rows.items()} == summary.table_counts()
