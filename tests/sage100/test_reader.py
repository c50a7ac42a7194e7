"""Sage100Reader on real databases: full reads, cleaning, deltas, key scans, older schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from seatbridge.sage100.demo import DemoCompanySummary, make_demo_company
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sage100.records import (
    Collaborator,
    Customer,
    DocumentHeader,
    DocumentLine,
    Entity,
    Watermark,
)
from tests.sage100.conftest import SMALL
from tests.support.databases import fresh_mariadb_database


def execute(url: str, *statements: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


class TestFullRead:
    def test_counts_and_types(self, recent_template: tuple[Path, DemoCompanySummary]) -> None:
        path, summary = recent_template
        with Sage100Reader(str(path)) as reader:
            collaborators = list(reader.read_collaborators())
            customers = list(reader.read_customers())
            headers = list(reader.read_document_headers())
            lines = list(reader.read_document_lines())
        assert len(collaborators) == summary.collaborators
        assert len(customers) == SMALL["customers"]  # suppliers (CT_Type 1) are not customers
        assert {c.CT_Type for c in customers} == {0}
        assert len(headers) == summary.documents and len(lines) == summary.lines
        assert all(isinstance(r, Collaborator) for r in collaborators)
        assert isinstance(customers[0], Customer) and customers[0].CT_Num == "CARAT"
        assert isinstance(headers[0], DocumentHeader) and isinstance(lines[0], DocumentLine)
        assert isinstance(lines[0].DL_MontantHT, Decimal)
        assert isinstance(headers[0].DO_Date, dt.datetime)
        assert [line.cbMarq for line in lines] == sorted(line.cbMarq for line in lines)
        assert sum((line.DL_MontantHT or Decimal(0) for line in lines), Decimal(0)) == sum(
            (h.DO_TotalHT or Decimal(0) for h in headers), Decimal(0)
        )

    def test_pages_and_batches(self, recent_template: tuple[Path, DemoCompanySummary]) -> None:
        path, summary = recent_template
        with Sage100Reader(str(path), batch_size=7, page_size=50) as reader:
            batches = list(reader.read_batches(Entity.DOCUMENT_LINES))
        marks = [line.cbMarq for batch in batches for line in batch]
        assert len(marks) == summary.lines == len(set(marks))
        assert marks == sorted(marks) and max(len(b) for b in batches) == 7

    @pytest.mark.postgres
    def test_postgresql_reads_what_sqlite_reads(
        self, pg_company: str, recent_template: tuple[Path, DemoCompanySummary]
    ) -> None:
        with Sage100Reader(pg_company) as pg, Sage100Reader(str(recent_template[0])) as lite:
            for entity in Entity:
                assert list(pg.read(entity)) == list(lite.read(entity))

    def test_mariadb_reads_what_sqlite_reads(
        self, recent_template: tuple[Path, DemoCompanySummary]
    ) -> None:
        with fresh_mariadb_database("sbread") as url:
            make_demo_company(url, **SMALL)
            with Sage100Reader(url) as maria, Sage100Reader(str(recent_template[0])) as lite:
                for entity in Entity:
                    assert list(maria.read(entity)) == list(lite.read(entity))


class TestCleaning:
    def test_collaborator_dirt(self, recent_template: tuple[Path, DemoCompanySummary]) -> None:
        with Sage100Reader(str(recent_template[0])) as reader:
            people = list(reader.read_collaborators())
        emails = [p.CO_EMail for p in people]
        assert "" not in emails and None in emails
        texts = [e for e in emails if e is not None]
        assert all(e == e.strip() for e in texts)
        assert any(e != e.lower() for e in texts)  # trimmed only: normalised downstream
        assert any(";" in e for e in texts)
        assert all(p.CO_Nom == p.CO_Nom.strip() for p in people if p.CO_Nom)
        assert all(p.CO_Service is None or p.CO_Service.strip() for p in people)
        assert {p.CO_Sommeil for p in people} == {True, False}
        assert all(isinstance(p.CO_Vendeur, bool) for p in people)

    def test_documents_without_representative(
        self, recent_template: tuple[Path, DemoCompanySummary]
    ) -> None:
        with Sage100Reader(str(recent_template[0])) as reader:
            headers = list(reader.read_document_headers())
            lines = list(reader.read_document_lines())
        assert any(h.CO_No is None for h in headers) and 0 not in {h.CO_No for h in headers}
        assert any(line.CO_No is None for line in lines)
        assert any(line.AR_Ref is None for line in lines)  # comment lines: '' -> None
        assert any(h.DO_Ref is None for h in headers)

    def test_values_written_by_hand(self, company_url: str) -> None:
        execute(
            company_url,
            """UPDATE "F_COLLABORATEUR" SET "CO_EMail" = '   ', "CO_Fonction" = ' Commercial ',
               "cbCreation" = '1753-01-01 14:30:00' WHERE "CO_No" = 3""",
            """UPDATE "F_COLLABORATEUR" SET "cbCreation" = '1700-06-01 00:00:00'
               WHERE "CO_No" = 4""",
            """UPDATE "F_COLLABORATEUR" SET "cbCreation" = '1753-01-02 00:00:00'
               WHERE "CO_No" = 5""",
            """UPDATE "F_COMPTET" SET "CO_No" = 0, "CT_Ville" = '' WHERE "CT_Num" = 'CARAT'""",
            """UPDATE "F_DOCLIGNE" SET "DO_Date" = '1753-01-01 00:00:00' WHERE "cbMarq" = 1""",
        )
        with Sage100Reader(company_url) as reader:
            people = {p.CO_No: p for p in reader.read_collaborators()}
            carat = next(c for c in reader.read_customers() if c.CT_Num == "CARAT")
            line = next(iter(reader.read_document_lines()))
        assert people[3].CO_EMail is None and people[3].CO_Fonction == "Commercial"
        assert people[3].cbCreation is None and people[4].cbCreation is None
        assert people[5].cbCreation == dt.datetime(1753, 1, 2)
        assert carat.CO_No is None and carat.CT_Ville is None
        assert line.cbMarq == 1 and line.DO_Date is None


class TestDelta:
    def test_watermark(self, company_url: str) -> None:
        with Sage100Reader(company_url) as reader:
            mark = reader.watermark(Entity.COLLABORATORS)
            people = list(reader.read_collaborators())
        assert mark.max_cbmarq == max(p.cbMarq for p in people)
        assert mark.modified_since == max(p.cbModification for p in people if p.cbModification)
        assert Watermark.from_dict(mark.as_dict()) == mark

    def test_inserted_rows(self, company_url: str) -> None:
        with Sage100Reader(company_url, overlap=dt.timedelta(0)) as reader:
            mark = reader.watermark(Entity.COLLABORATORS)
            assert [p.CO_No for p in reader.read_collaborators(since=mark)] == [
                p.CO_No
                for p in reader.read_collaborators()
                if p.cbModification == mark.modified_since
            ]
            # An insert stamped in the past (clock skew, late commit) is still found by cbMarq.
            execute(
                company_url,
                """INSERT INTO "F_COLLABORATEUR" ("CO_No", "CO_Nom", "CO_Prenom", "CO_EMail",
                   "CO_Vendeur", "cbModification") VALUES (900, 'NOUVEAU', 'Né', ' n@bijou-sa.fr',
                   1, '2001-01-01 00:00:00')""",
            )
            following, rows = reader.changes(Entity.COLLABORATORS, mark)
            changed = {p.CO_No: p for p in rows if isinstance(p, Collaborator)}
        assert 900 in changed and changed[900].CO_EMail == "n@bijou-sa.fr"
        assert following.max_cbmarq == mark.max_cbmarq + 1

    def test_updated_rows(self, company_url: str) -> None:
        with Sage100Reader(company_url, overlap=dt.timedelta(0)) as reader:
            mark = reader.watermark(Entity.DOCUMENT_HEADERS)
            assert mark.modified_since is not None
            later = (mark.modified_since + dt.timedelta(minutes=5)).isoformat(" ")
            execute(
                company_url,
                f"""UPDATE "F_DOCENTETE" SET "DO_Statut" = 1, "cbModification" = '{later}'
                    WHERE "cbMarq" IN (2, 3)""",
            )
            changed = {h.cbMarq: h for h in reader.read_document_headers(since=mark)}
        assert changed[2].DO_Statut == changed[3].DO_Statut == 1
        # `>=`: the rows stamped exactly at the watermark are read again, the others are not.
        assert all(
            h.cbModification == mark.modified_since for h in changed.values() if h.cbMarq > 3
        )

    def test_overlap_reads_again_the_last_hour(self, company_url: str) -> None:
        with Sage100Reader(company_url) as reader:
            mark = reader.watermark(Entity.DOCUMENT_LINES)
            assert mark.modified_since is not None
            since = mark.modified_since - dt.timedelta(minutes=59)
            again = list(reader.read_document_lines(since=Watermark(since, mark.max_cbmarq)))
            every = list(reader.read_document_lines())
        assert again
        assert again == [
            line for line in every
            if line.cbModification and line.cbModification >= since - dt.timedelta(hours=1)
        ]  # fmt: skip

    def test_first_run_reads_everything(self, company_url: str) -> None:
        with Sage100Reader(company_url) as reader:
            everything = list(reader.read_customers())
            assert list(reader.read_customers(since=Watermark(None, 0))) == everything


class TestKeyScan:
    def test_deleted_rows(self, company_url: str) -> None:
        with Sage100Reader(company_url) as reader:
            before = {e: set(reader.scan_keys(e)) for e in Entity}
            execute(
                company_url,
                """DELETE FROM "F_COLLABORATEUR" WHERE "CO_No" = 7""",
                """DELETE FROM "F_COMPTET" WHERE "CT_Num" = 'CARAT'""",
                """DELETE FROM "F_DOCENTETE" WHERE "cbMarq" = 1""",
                """DELETE FROM "F_DOCLIGNE" WHERE "cbMarq" IN (4, 5)""",
            )
            after = {e: set(reader.scan_keys(e)) for e in Entity}
        gone = {e: {(k.key, k.cbMarq) for k in before[e] - after[e]} for e in Entity}
        assert gone[Entity.COLLABORATORS] == {(7, 7)}
        assert {key for key, _ in gone[Entity.CUSTOMERS]} == {"CARAT"}
        assert {key for key, _ in gone[Entity.DOCUMENT_HEADERS]} == {(0, "DE00001")}
        assert gone[Entity.DOCUMENT_LINES] == {(4, 4), (5, 5)}
        assert all(not after[e] - before[e] for e in Entity)

    def test_keys_match_records(self, recent_template: tuple[Path, DemoCompanySummary]) -> None:
        with Sage100Reader(str(recent_template[0]), batch_size=3, page_size=10) as reader:
            keys = list(reader.scan_keys("F_COMPTET"))
            customers = list(reader.read_customers())
        assert [(k.key, k.cbMarq) for k in keys] == [(c.CT_Num, c.cbMarq) for c in customers]


class TestOlderSchema:
    def test_missing_columns_read_as_none(
        self, older_template: tuple[Path, DemoCompanySummary]
    ) -> None:
        path, summary = older_template
        with Sage100Reader(str(path)) as reader:
            assert not reader.has_column("F_COLLABORATEUR", "CO_Sommeil")
            assert reader.has_column("F_COLLABORATEUR", "co_email")  # case-insensitive
            assert "CO_DateCreation" in reader.columns("F_COLLABORATEUR")
            people = list(reader.read_collaborators())
            headers = list(reader.read_document_headers())
            customers = list(reader.read_customers())
            lines = sum(1 for _ in reader.read_document_lines())
        assert len(people) == summary.collaborators and lines == summary.lines
        assert {(p.CO_Sommeil, p.CO_Matricule, p.cbCreation) for p in people} == {
            (None, None, None)
        }
        assert {(h.DO_TotalHT, h.DO_TotalTTC) for h in headers} == {(None, None)}
        assert {c.CT_Prospect for c in customers} == {None}
        assert all(p.cbModification and p.cbModification.second == 0 for p in people)

    def test_recent_has_them(self, recent_template: tuple[Path, DemoCompanySummary]) -> None:
        with Sage100Reader(str(recent_template[0])) as reader:
            assert reader.has_column("F_COLLABORATEUR", "CO_Sommeil")
            reader.check()
