"""Full and incremental replication of customers, documents and lines, checked row by row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.commerce.errors import ReplicationFailed
from seatbridge.commerce.replication import replicate
from seatbridge.db.engine import create_store_engine, session_factory
from seatbridge.db.migrate import upgrade
from seatbridge.sage100.changes import Changes
from seatbridge.sage100.errors import Sage100ReadFailed
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sage100.records import Entity, Record, RowKey, Watermark
from seatbridge.sync.models import SyncWatermark
from tests.commerce.helpers import Company, make_company
from tests.commerce.sage import SageFile
from tests.support.factories import clock


@pytest.fixture
def company(sessions: sessionmaker[Session], sage_files: dict[str, SageFile]) -> Company:
    return make_company(sessions, {"A": sage_files["A"]})


def counts(outcome_entity: object) -> tuple[int, int]:
    return outcome_entity.upserted, outcome_entity.deleted  # type: ignore[attr-defined]


class TestFullReplication:
    def test_copies_every_row_as_sage_has_it(self, company: Company) -> None:
        outcome = company.replicate()

        assert company.copied() == company.expected()
        customers, headers, lines = company.expected()
        assert outcome.entity("customers").upserted == len(customers) == 40
        assert outcome.entity("document_headers").upserted == len(headers) == 300
        assert outcome.entity("document_lines").upserted == len(lines)
        assert all(entity.full for entity in outcome.entities)

    def test_a_second_run_changes_nothing(self, company: Company) -> None:
        company.replicate()
        for full in (False, True):
            outcome = company.replicate(full=full)
            assert [counts(entity) for entity in outcome.entities] == [(0, 0)] * 3
        assert company.copied() == company.expected()

    def test_full_run_removes_what_sage_deleted(self, company: Company) -> None:
        company.replicate()
        sage = company.files["A"]
        piece = sage.rows("SELECT DO_Piece FROM F_DOCENTETE WHERE DO_Type = 6 LIMIT 1")[0][0]
        sage.execute("DELETE FROM F_DOCENTETE WHERE DO_Piece = ?", (piece,))
        sage.execute("DELETE FROM F_DOCLIGNE WHERE DO_Piece = ?", (piece,))
        sage.execute("DELETE FROM F_DOCLIGNE WHERE cbMarq = (SELECT MIN(cbMarq) FROM F_DOCLIGNE)")
        sage.execute("DELETE FROM F_COMPTET WHERE CT_Num = 'CARAT'")

        outcome = company.replicate(full=True)

        assert outcome.entity("customers").deleted == 1
        assert outcome.entity("document_headers").deleted == 1
        assert outcome.entity("document_lines").deleted >= 2
        assert company.copied() == company.expected()

    def test_only_sales_documents_and_customers_are_copied(self, company: Company) -> None:
        sage = company.files["A"]
        sage.execute("UPDATE F_DOCENTETE SET DO_Domaine = 1 WHERE DO_Piece = 'BC00001'")
        sage.execute("UPDATE F_DOCLIGNE SET DO_Domaine = 1 WHERE DO_Piece = 'BC00001'")
        company.replicate()
        customers, headers, lines = company.copied()
        assert (1, "BC00001") not in headers
        assert not any(line[1] == "BC00001" for line in lines.values())
        assert "BRELO" not in customers  # a supplier (CT_Type 1)

    def test_rows_without_a_key_are_left_out(self, company: Company) -> None:
        sage = company.files["A"]
        sage.insert("F_COMPTET", {"CT_Num": "  ", "CT_Type": 0, "CT_Intitule": "Sans code"})
        sage.insert("F_DOCLIGNE", {"DO_Domaine": 0, "DO_Type": 0, "DO_Piece": "", "DL_Qte": 1.0})
        outcome = company.replicate()
        customers, _, lines = company.copied()
        assert outcome.entity("customers").read == 41 and len(customers) == 40
        assert None not in {line[1] for line in lines.values()}


@pytest.fixture(params=["scan", "indexed"])
def delta_reads(request: pytest.FixtureRequest, company: Company) -> str:
    """Deltas read by scanning (Sage as shipped) or off indexes on cbModification (a DBA's)."""
    if request.param == "indexed":
        for table in ("F_COMPTET", "F_DOCENTETE", "F_DOCLIGNE"):
            company.files["A"].execute(f"CREATE INDEX IX_{table}_MOD ON {table} (cbModification)")
    return str(request.param)


@pytest.mark.usefixtures("delta_reads")
class TestIncrementalReplication:
    def test_reads_only_what_changed_and_applies_it(self, company: Company) -> None:
        company.replicate()
        sage = company.files["A"]
        sage.execute(
            "UPDATE F_COMPTET SET CO_No = 9, cbModification = ? WHERE CT_Num = 'CARAT'",
            (sage.stamp(),),
        )
        sage.execute(
            "UPDATE F_DOCENTETE SET DO_TotalHT = 1234.5, cbModification = ? "
            "WHERE DO_Piece = 'FA00001'",
            (sage.stamp(),),
        )

        outcome = company.replicate()

        assert not any(entity.full for entity in outcome.entities)
        assert counts(outcome.entity("customers")) == (1, 0)
        assert counts(outcome.entity("document_headers")) == (1, 0)
        assert outcome.entity("document_headers").read < 300
        customers, headers, _ = company.copied()
        assert customers["CARAT"][2] == 9
        assert headers[(6, "FA00001")][5] == 1_234_500_000
        assert company.copied() == company.expected()

    def test_new_rows_are_found_by_cbmarq(self, company: Company) -> None:
        company.replicate()
        sage = company.files["A"]
        # Inserted by plain SQL with an old cbModification: only its cbMarq says it is new.
        old = "2001-01-01 00:00:00.000000"
        sage.insert(
            "F_DOCENTETE",
            {
                "DO_Domaine": 0,
                "DO_Type": 0,
                "DO_Piece": "DE99999",
                "DO_Tiers": "CARAT",
                "CO_No": 0,
                "DO_TotalHT": 10.0,
                "DO_Date": old,
                "cbModification": old,
            },
        )
        sage.insert(
            "F_DOCLIGNE",
            {
                "DO_Domaine": 0,
                "DO_Type": 0,
                "DO_Piece": "DE99999",
                "CT_Num": "CARAT",
                "DL_Qte": 1.0,
                "DO_Date": old,
                "cbModification": old,
            },
        )

        outcome = company.replicate()

        assert counts(outcome.entity("document_headers")) == (1, 0)
        assert counts(outcome.entity("document_lines")) == (1, 0)
        assert company.copied() == company.expected()

    def test_a_transformed_document_ends_identical(self, company: Company) -> None:
        """BC -> BL: Sage writes a new header, rewrites the lines (same cbMarq) and deletes the
        order's header."""
        company.replicate()
        sage = company.files["A"]
        ((tiers, rep),) = sage.rows(
            "SELECT DO_Tiers, CO_No FROM F_DOCENTETE WHERE DO_Piece = 'BC00001'"
        )
        marqs = [
            m for (m,) in sage.rows("SELECT cbMarq FROM F_DOCLIGNE WHERE DO_Piece = 'BC00001'")
        ]
        stamp = sage.stamp()
        sage.insert(
            "F_DOCENTETE",
            {
                "DO_Domaine": 0,
                "DO_Type": 3,
                "DO_Piece": "BL90001",
                "DO_Tiers": tiers,
                "CO_No": rep,
                "DO_TotalHT": 99.5,
                "DO_Date": stamp,
                "cbModification": stamp,
            },
        )
        sage.execute(
            "UPDATE F_DOCLIGNE SET DO_Type = 3, DO_Piece = 'BL90001', cbModification = ? "
            "WHERE DO_Piece = 'BC00001'",
            (stamp,),
        )
        sage.execute("DELETE FROM F_DOCENTETE WHERE DO_Piece = 'BC00001'")

        outcome = company.replicate()

        _, headers, lines = company.copied()
        assert (1, "BC00001") not in headers and (3, "BL90001") in headers
        assert {marq: lines[marq][:2] for marq in marqs} == dict.fromkeys(marqs, (3, "BL90001"))
        assert outcome.entity("document_headers").deleted == 1
        assert company.copied() == company.expected()

    def test_an_invoice_posted_in_place_keeps_one_copy(self, company: Company) -> None:
        """Type 6 -> 7 on the same row (same cbMarq): the old key must not stay behind."""
        company.replicate()
        sage = company.files["A"]
        stamp = sage.stamp()
        sage.execute(
            "UPDATE F_DOCENTETE SET DO_Type = 7, cbModification = ? WHERE DO_Piece = 'FA00001'",
            (stamp,),
        )
        sage.execute(
            "UPDATE F_DOCLIGNE SET DO_Type = 7, cbModification = ? WHERE DO_Piece = 'FA00001'",
            (stamp,),
        )

        company.replicate()

        _, headers, _ = company.copied()
        assert [key for key in headers if key[1] == "FA00001"] == [(7, "FA00001")]
        assert company.copied() == company.expected()

    def test_deleted_lines_wait_for_the_full_run(self, company: Company) -> None:
        company.replicate()
        sage = company.files["A"]
        sage.execute("DELETE FROM F_DOCLIGNE WHERE cbMarq = 1")

        assert counts(company.replicate().entity("document_lines")) == (0, 0)
        assert 1 in company.copied()[2]
        assert counts(company.replicate(full=True).entity("document_lines")) == (0, 1)
        assert company.copied() == company.expected()


def test_an_in_memory_store_is_written_inline(sage_files: dict[str, SageFile]) -> None:
    """One database per connection: a writer thread would write into another, empty one."""
    engine = create_store_engine("sqlite://")
    upgrade(engine)
    company = make_company(session_factory(engine), {"A": sage_files["A"]})
    assert company.replicate().entity("document_headers").upserted == 300
    assert company.copied() == company.expected()


class TestWatermarks:
    def test_advance_per_entity_to_the_newest_rows_read(self, company: Company) -> None:
        """The stored marks are the source's MAX(cbMarq) and MAX(cbModification), the latter less
        the read's duration (a fraction of a second here): no MAX query was needed."""
        company.replicate()
        with company.sessions() as session:
            marks = {
                mark.entity: (mark.modified_since, mark.max_cb_marq, mark.last_full_at)
                for mark in session.scalars(
                    select(SyncWatermark).where(SyncWatermark.account_id == company.account.id)
                )
            }
        with Sage100Reader(company.files["A"].url) as reader:
            expected = {
                name: reader.watermark(entity)
                for name, entity in (
                    ("customers", Entity.CUSTOMERS),
                    ("document_headers", Entity.DOCUMENT_HEADERS),
                    ("document_lines", Entity.DOCUMENT_LINES),
                )
            }
        assert {name: mark[1] for name, mark in marks.items()} == {
            name: mark.max_cbmarq for name, mark in expected.items()
        }
        for name, mark in expected.items():
            assert mark.modified_since is not None
            stored = marks[name][0]
            assert stored is not None
            assert mark.modified_since - dt.timedelta(seconds=30) < stored <= mark.modified_since
        assert all(mark[2] == clock().now() for mark in marks.values())

    def test_a_failed_read_keeps_the_copy_and_the_marks(self, company: Company) -> None:
        company.replicate()
        with Sage100Reader(company.files["A"].url) as reader:
            broken = FailingLines(reader)
            with pytest.raises(ReplicationFailed) as failure:
                replicate(
                    company.sessions,
                    environment=company.environments["A"],
                    reader=broken,
                    full=True,
                    clock=clock(),
                    batch_rows=100,
                )
        assert failure.value.params["entity"] == "document_lines"
        assert company.copied() == company.expected()


class FailingLines:
    """The real reader, except that lines fail after the first batch."""

    def __init__(self, reader: Sage100Reader) -> None:
        self.reader = reader

    def count(self, entity: Entity) -> int:
        return self.reader.count(entity)

    def reopening(self) -> None:
        return None  # read here, where it fails

    def scan_keys(self, entity: Entity) -> Iterator[RowKey]:
        return self.reader.scan_keys(entity)

    def read_changes(self, entity: Entity, since: Watermark | None = None) -> Changes:
        changes = self.reader.read_changes(entity, since)
        if entity is not Entity.DOCUMENT_LINES:
            return changes

        def failing() -> Iterator[list[Record]]:
            batches = iter(changes)
            yield next(batches)
            raise Sage100ReadFailed(location="test", table="F_DOCLIGNE", detail="connexion perdue")

        return Changes(failing(), lambda: changes.following)
