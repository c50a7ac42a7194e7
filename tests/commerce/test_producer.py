"""Full runs read and converted by a child process (commerce/producer.py): the same copy and
watermarks as a run read here, and failures that say what happened."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.commerce.errors import ProducerFailed, ReplicationFailed
from seatbridge.commerce.producer import Job, Producer, ReaderSpec
from seatbridge.commerce.replication import replicate
from seatbridge.commerce.rows import Copied
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sync.models import SyncWatermark
from tests.commerce.helpers import Company, make_company
from tests.commerce.sage import SageFile
from tests.support.factories import clock


@pytest.fixture
def company(sessions: sessionmaker[Session], sage_files: dict[str, SageFile]) -> Company:
    return make_company(sessions, {"A": sage_files["A"]})


def marks(company: Company) -> dict[str, tuple[dt.datetime | None, int | None]]:
    with company.sessions() as session:
        return {
            mark.entity: (mark.modified_since, mark.max_cb_marq)
            for mark in session.scalars(
                select(SyncWatermark).where(SyncWatermark.account_id == company.account.id)
            )
        }


def lines_job(company: Company, batch_rows: int = 50) -> Job:
    with Sage100Reader(company.files["A"].url) as reader:
        reopening = reader.reopening()
    assert reopening is not None
    environment = company.environments["A"]
    return Job(ReaderSpec(*reopening), Copied.DOCUMENT_LINES, None, environment.account_id,
               environment.id, "sqlite", batch_rows)  # fmt: skip


def test_same_copy_and_marks_as_a_run_read_here(company: Company) -> None:
    outcome = company.replicate(full=True, child_min_rows=0, batch_rows=100)
    assert company.copied() == company.expected()
    assert all(entity.read > 0 for entity in outcome.entities)
    by_child = marks(company)

    company.replicate(full=True, child_min_rows=None)  # read here: nothing left to change
    assert company.copied() == company.expected()
    here = marks(company)
    for entity, (stamp, cbmarq) in here.items():
        assert by_child[entity][1] == cbmarq
        assert stamp is not None and by_child[entity][0] is not None
        assert abs(by_child[entity][0] - stamp) < dt.timedelta(seconds=30)


def test_only_large_full_runs_use_a_child(company: Company) -> None:
    """Below the threshold (and on incremental runs) everything is read here: a child would
    cost more to start than it saves."""
    company.replicate(child_min_rows=10**9)
    assert company.copied() == company.expected()
    company.files["A"].execute(
        "UPDATE F_DOCENTETE SET DO_TotalHT = 7, cbModification = ? WHERE DO_Piece = 'FA00001'",
        (company.files["A"].stamp(),),
    )
    outcome = company.replicate(child_min_rows=0)  # incremental: no child either
    assert not any(entity.full for entity in outcome.entities)
    assert company.copied() == company.expected()


def test_a_read_failing_in_the_child_is_reported_in_french(company: Company) -> None:
    company.replicate()
    sage = company.files["A"]
    with Sage100Reader(sage.url) as reader:
        reader.check()  # this process knows the columns; the child will look again
        with closing(sqlite3.connect(sage.path)) as connection, connection:
            connection.execute("ALTER TABLE F_DOCLIGNE DROP COLUMN cbModification")
        with pytest.raises(ReplicationFailed) as failure:
            replicate(company.sessions, environment=company.environments["A"], reader=reader,
                      full=True, clock=clock(), child_min_rows=0)  # fmt: skip
    message = failure.value.message("fr")
    assert "document_lines" in message and "cbModification" in message
    assert "Traceback" not in message


def test_a_child_that_dies_is_a_clear_failure(company: Company) -> None:
    with Producer(lines_job(company, batch_rows=20)) as producer:
        batches = producer.batches()
        next(batches)
        producer._process.kill()
        with pytest.raises(ProducerFailed) as failure:
            for _batch in batches:
                pass
    assert "le processus de lecture s'est arrêté" in failure.value.message("fr")
    assert "the reading process stopped" in failure.value.message("en")


def test_a_parent_that_stops_reading_stops_its_child(company: Company) -> None:
    producer = Producer(lines_job(company, batch_rows=20))
    next(producer.batches())
    producer.close()  # a write failed here, say: no one reads the child any more
    assert producer._process.returncode is not None


def test_the_watermark_is_known_only_at_the_end(company: Company) -> None:
    with Producer(lines_job(company)) as producer:
        with pytest.raises(RuntimeError):
            _ = producer.following
        rows = sum(count for _rows, count in producer.batches())
        assert producer.following.max_cbmarq > 0
    assert rows == len(company.expected()[2])
