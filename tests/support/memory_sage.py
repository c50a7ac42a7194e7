"""An in-memory Sage 100 collaborator table: the test double of the CollaboratorSource protocol.

It follows the same rules as the real reader (cbModification watermark with an overlap, cbMarq
for new rows, full reads hold every row) so engine tests can script Sage-side changes quickly.
The real reader is exercised against real databases in tests/sync/test_sage_source.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from seatbridge.sync.records import ChangeSet, CollaboratorRecord, Watermark

START = dt.datetime(2026, 1, 1, 8, 0)


class MemorySage:
    def __init__(self) -> None:
        self.rows: dict[int, CollaboratorRecord] = {}
        self.clock = START
        self.next_marq = 1

    def tick(self) -> dt.datetime:
        self.clock += dt.timedelta(minutes=5)
        return self.clock

    def add(self, co_no: int, email: str | None, **fields: Any) -> CollaboratorRecord:
        fields.setdefault("last_name", f"NOM{co_no}")
        fields.setdefault("first_name", f"Prénom{co_no}")
        fields.setdefault("is_salesperson", True)
        fields.setdefault("dormant", False)
        record = CollaboratorRecord(
            co_no=co_no, cb_marq=self.next_marq, email=email, modified_at=self.tick(), **fields
        )
        self.next_marq += 1
        self.rows[co_no] = record
        return record

    def edit(self, co_no: int, **fields: Any) -> None:
        self.rows[co_no] = dataclasses.replace(self.rows[co_no], modified_at=self.tick(), **fields)

    def delete(self, co_no: int) -> None:
        del self.rows[co_no]

    def read_collaborators(self, *, since: Watermark | None) -> ChangeSet:
        mark = Watermark(
            modified_since=max(
                (r.modified_at for r in self.rows.values() if r.modified_at), default=None
            ),
            max_cbmarq=max((r.cb_marq for r in self.rows.values()), default=0),
        )
        if since is None:
            return ChangeSet(tuple(self.rows.values()), full=True, watermark=mark)
        overlap = (since.modified_since or START) - dt.timedelta(hours=1)
        changed = tuple(
            r
            for r in self.rows.values()
            if (r.modified_at and r.modified_at >= overlap) or r.cb_marq > since.max_cbmarq
        )
        return ChangeSet(changed, full=False, watermark=mark)
