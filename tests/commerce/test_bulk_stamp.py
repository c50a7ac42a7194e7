"""After a Sage bulk operation stamps many rows at once, the next incremental run reads only
what changed (the watermark remembers the rows seen at settled stamps)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from seatbridge.commerce.replication import ReplicationOutcome, replicate
from seatbridge.sage100.reader import Sage100Reader
from tests.support.factories import clock, make_account, make_environment
from tests.support.sage_layouts import SageCompany

BULK = "2026-11-20 18:00:00.000000"  # a settled stamp: before the server's clock


def test_a_bulk_stamp_is_read_once(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    sage = SageCompany(tmp_path / "company.db")
    sage.customer("CARAT", "Bijouterie Carat", 1)
    for number in range(300):
        piece = f"FA{number // 3:05}"
        if number % 3 == 0:
            sage.document(6, piece, "CARAT", 1)
        sage.line(6, piece, "CARAT", 10.0)
    with sessions.begin() as session:
        environment = make_environment(session, make_account(session), "BULK")
        session.expunge(environment)

    def run() -> ReplicationOutcome:
        with Sage100Reader(sage.url) as reader:
            return replicate(sessions, environment=environment, reader=reader, clock=clock(),
                             child_min_rows=None)  # fmt: skip

    run()  # full
    sage.execute('UPDATE "F_DOCLIGNE" SET "cbModification" = ?', (BULK,))  # the bulk operation
    assert run().entity("document_lines").read == 300  # the changed rows
    assert run().entity("document_lines").read == 0  # was 300 on every run (the overlap)
    sage.execute('UPDATE "F_DOCLIGNE" SET "DL_Design" = \'Changé\', "cbModification" = ? '
                 'WHERE "cbMarq" = 5', ("2026-11-20 18:30:00.000000",))  # fmt: skip
    again = run().entity("document_lines")
    assert 1 <= again.read <= 300 and again.upserted == 1
    assert run().entity("document_lines").read == 1  # the overlap: the one row changed since
