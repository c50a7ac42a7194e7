"""The direct CollaboratorSource: reads the Sage 100 database with seatbridge.sage100's reader.

Both sources of collaborators (this one and a connector's staged push) build their change set
with `screened_change_set`: rows that cannot be used are set aside with a reason
(seatbridge.sage100.screening) and the others are synced.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from seatbridge.accounts.models import Environment, SourceMode
from seatbridge.accounts.sources import DirectSources, open_direct_reader
from seatbridge.config import Settings
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sage100.records import Collaborator, Entity, Record
from seatbridge.sage100.screening import RowReport, Screen
from seatbridge.sync.errors import SourceNotDirect
from seatbridge.sync.records import ChangeSet, CollaboratorRecord, Watermark


class Sage100Source:
    """Collaborators of one company, read directly (the demo, or a server on the same network)."""

    def __init__(self, reader: Sage100Reader) -> None:
        self.reader = reader

    def read_collaborators(self, *, since: Watermark | None) -> ChangeSet:
        watermark = self.reader.watermark(Entity.COLLABORATORS)
        batches = self.reader.read_batches(Entity.COLLABORATORS, since)
        return screened_change_set(
            batches,
            full=since is None,
            watermark=watermark,
            missing=self.reader.missing_columns(Entity.COLLABORATORS),
        )


def screened_change_set(
    batches: Iterable[Sequence[Record]],
    *,
    full: bool,
    watermark: Watermark,
    missing: Iterable[str] = (),
) -> ChangeSet:
    """The change set of these collaborator batches, the unusable rows set aside (for a key read
    twice, the last row read wins)."""
    report = RowReport()
    screen = Screen(Entity.COLLABORATORS, report)
    screen.missing(missing)
    latest: dict[int, CollaboratorRecord] = {}
    for batch in batches:
        for row in screen.batch(batch):
            record = to_record(row)  # type: ignore[arg-type]
            latest.pop(record.co_no, None)  # keep read order
            latest[record.co_no] = record
    return ChangeSet(records=tuple(latest.values()), full=full, watermark=watermark, report=report)


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
        is_salesperson=bool(row.CO_Vendeur),
        dormant=row.CO_Sommeil,
        modified_at=row.cbModification,
    )
