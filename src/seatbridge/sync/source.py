"""The direct CollaboratorSource: reads the Sage 100 database with seatbridge.sage100's reader."""

from __future__ import annotations

from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sage100.records import Collaborator, Entity
from seatbridge.sync.records import ChangeSet, CollaboratorRecord, Watermark


class Sage100Source:
    """Collaborators of one company, read directly (the demo, or a server on the same network)."""

    def __init__(self, reader: Sage100Reader) -> None:
        self.reader = reader

    def read_collaborators(self, *, since: Watermark | None) -> ChangeSet:
        watermark, rows = self.reader.changes(Entity.COLLABORATORS, since)
        records = tuple(to_record(row) for row in rows)  # type: ignore[arg-type]
        return ChangeSet(records=records, full=since is None, watermark=watermark)


def to_record(row: Collaborator) -> CollaboratorRecord:
    return CollaboratorRecord(
        co_no=row.CO_No,
        cb_marq=row.cbMarq,
        last_name=row.CO_Nom,
        first_name=row.CO_Prenom,
        function=row.CO_Fonction,
        phone=row.CO_Telephone,
        mobile=row.CO_TelPortable,
        email=row.CO_EMail,
        is_salesperson=row.CO_Vendeur,
        dormant=row.CO_Sommeil,
        modified_at=row.cbModification,
    )
