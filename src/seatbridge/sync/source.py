"""The direct CollaboratorSource: reads the Sage 100 database with seatbridge.sage100's reader."""

from __future__ import annotations

from seatbridge.accounts.models import Environment, SourceMode
from seatbridge.accounts.sources import DirectSources, open_direct_reader
from seatbridge.config import Settings
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sage100.records import Collaborator, Entity
from seatbridge.sync.errors import SourceNotDirect
from seatbridge.sync.records import ChangeSet, CollaboratorRecord, Watermark


class Sage100Source:
    """Collaborators of one company, read directly (the demo, or a server on the same network)."""

    def __init__(self, reader: Sage100Reader) -> None:
        self.reader = reader

    def read_collaborators(self, *, since: Watermark | None) -> ChangeSet:
        watermark, rows = self.reader.changes(Entity.COLLABORATORS, since)
        records = tuple(to_record(row) for row in rows)  # type: ignore[arg-type]
        return ChangeSet(records=records, full=since is None, watermark=watermark)


def open_reader(environment: Environment, settings: Settings) -> Sage100Reader:
    """The one place a sync opens an environment's Sage 100 database for a direct read.

    Refuses an environment fed by its connector, and a source outside the operator's allow-list
    (`seatbridge.accounts.sources`, SourceNotAllowed). Reads get the configured connect and
    statement timeouts (`SEATBRIDGE_JOBS__SOURCE_*_TIMEOUT_SECONDS`), so a hung database fails
    the run with a clear message instead of hanging it."""
    if environment.mode != SourceMode.DIRECT.value or not environment.source_url:
        raise SourceNotDirect(environment=environment.name)
    return open_direct_reader(  # the operator's allow-list, checked at every read
        environment.source_url,
        DirectSources.from_settings(settings),
        connect_timeout=settings.jobs.source_connect_timeout_seconds,
        statement_timeout=settings.jobs.source_statement_timeout_seconds,
    )


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
