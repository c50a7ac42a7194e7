"""Replication of one environment's customers, sales documents and lines into the store.

Per entity (customers, then headers, then lines): stream the rows (all of them on a full run,
else those modified since the stored watermark less the reader's overlap, or added after its
cbMarq), upsert them batch by batch, each batch its own transaction, then find deletions, and
only then advance the entity's watermark to the one the read leads to (derived from the rows
read, `seatbridge.sage100.changes`: one scan of the source per run, not two). A replication
killed at any point therefore leaves a copy made of whole batches, and the next run (which reads
again from the old watermark) completes it; rerunning changes nothing.

Deletions: a full run anti-joins the source's key scan against the copy. An incremental run
compares row counts of customers and headers (cheap) and runs the same anti-join when they
differ: a document transformation (BC -> BL) deletes its source header in Sage, and the copy
should not show both for a day. Lines' deletions wait for the next full run.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Final, Protocol

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment
from seatbridge.clock import Clock
from seatbridge.commerce.deletions import delete_missing
from seatbridge.commerce.errors import ReplicationBlocked, ReplicationFailed
from seatbridge.commerce.pipeline import (
    Write,
    deduplicator,
    fewer_collections,
    groups,
    sink_for,
)
from seatbridge.commerce.producer import Job, Producer, ReaderSpec
from seatbridge.commerce.rows import SPECS, Copied, CopySpec, RowConverter, StoreRow
from seatbridge.commerce.totals import compute_totals
from seatbridge.commerce.writers import CopyWriter, bulk_writer
from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_, _
from seatbridge.sage100.changes import Changes
from seatbridge.sage100.records import Entity, RowKey, Seen, Watermark
from seatbridge.sage100.screening import RowReport, Screen, merged_reports
from seatbridge.sync.models import SyncWatermark

DEFAULT_BATCH_ROWS: Final = 10_000
# From how many source rows a full run reads and converts in a child process (`producer.py`):
# the child costs about half a second to start and pays off from some tens of thousands of rows.
DEFAULT_CHILD_MIN_ROWS: Final = 100_000

# (entity, rows read so far, rows expected or None when unknown)
Progress = Callable[[str, int, int | None], None]


class CommerceSource(Protocol):
    """What replication needs from Sage 100 (`seatbridge.sage100.Sage100Reader` has it)."""

    def count(self, entity: Entity) -> int: ...

    def read_changes(self, entity: Entity, since: Watermark | None = None) -> Changes: ...

    def scan_keys(self, entity: Entity) -> Iterator[RowKey]: ...

    def reopening(self) -> tuple[str, dict[str, Any]] | None:
        """How another process opens the same source (URL, reader options), if it can."""
        ...


@dataclass(frozen=True)
class EntityOutcome:
    entity: str
    full: bool
    read: int
    upserted: int  # rows inserted or changed (unchanged rows read again are not counted)
    deleted: int
    seconds: float
    set_aside: int = 0  # rows that could not be used (listed in the outcome's report)


@dataclass(frozen=True)
class ReplicationOutcome:
    account_id: int
    environment_id: int
    entities: tuple[EntityOutcome, ...]
    report: RowReport = field(default_factory=RowReport)  # rows set aside or cleaned

    @property
    def seconds(self) -> float:
        return round(sum(entity.seconds for entity in self.entities), 3)

    def entity(self, name: str) -> EntityOutcome:
        return next(outcome for outcome in self.entities if outcome.entity == name)

    def as_dict(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "environment_id": self.environment_id,
            "seconds": self.seconds,
            "entities": {outcome.entity: asdict(outcome) for outcome in self.entities},
            "rows_set_aside": self.report.set_aside,
            "rows_report": self.report.as_dict(),
        }


def replicate(
    sessions: sessionmaker[Session],
    *,
    environment: Environment,
    reader: CommerceSource,
    full: bool = False,
    clock: Clock,
    progress: Progress | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    child_min_rows: int | None = DEFAULT_CHILD_MIN_ROWS,
    confirm: bool = False,
) -> ReplicationOutcome:
    """Bring the environment's copy in step with its Sage 100 company.

    A full run of an entity of at least `child_min_rows` rows reads and converts in a child
    process (None: never) while this one writes. Before anything is written, the safety brake
    looks at what would be deleted: more than 20 % (and at least 50) of an entity's copy, or
    all of it when the Sage table is empty, raises `ReplicationBlocked` unless `confirm`."""
    with sessions() as session:
        bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    job = _Job(sessions, environment, reader, clock, progress, max(1, batch_rows), engine)
    job.child_min_rows = child_min_rows  # None: never
    if not confirm:
        for copied in Copied:
            job.brake(copied, full)
    with fewer_collections():
        outcomes = tuple(job.run(copied, full) for copied in Copied)
    job.complete_totals(any(outcome.full for outcome in outcomes[1:]))
    return ReplicationOutcome(environment.account_id, environment.id, outcomes, job.report)


# The brake (like rule 21's on collaborators): more than this share, and at least this many rows.
BRAKE_SHARE: Final = 0.20
BRAKE_MIN_ROWS: Final = 50
_WHAT: Final = {
    Copied.CUSTOMERS: N_("clients"),
    Copied.DOCUMENT_HEADERS: N_("documents"),
    Copied.DOCUMENT_LINES: N_("lignes de documents"),
}


def brakes(missing: int, copied: int) -> bool:
    """Whether deleting `missing` of `copied` rows engages the safety brake."""
    return missing >= BRAKE_MIN_ROWS and missing > BRAKE_SHARE * copied


def screen_for(copied: Copied, report: RowReport) -> Screen:
    """The screen of one copied entity's read (keys remembered over the whole read for
    customers; within a batch for documents and lines, which are millions)."""
    return Screen(copied.source, report, across_batches=copied is Copied.CUSTOMERS)


class _Job:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        environment: Environment,
        source: CommerceSource,
        clock: Clock,
        progress: Progress | None,
        batch_rows: int,
        engine: Engine,
    ) -> None:
        self.sessions = sessions
        self.account_id = environment.account_id
        self.environment_id = environment.id
        self.environment_name = environment.name
        self.full_interval = dt.timedelta(hours=environment.full_sync_interval_hours)
        self.source = source
        self.clock = clock
        self.say: Progress = progress or (lambda _entity, _done, _total: None)
        self.watched = progress is not None
        self.batch_rows = batch_rows
        self.engine = engine
        self.dialect = engine.dialect.name
        self.converter = RowConverter(
            account_id=self.account_id, environment_id=self.environment_id, dialect=self.dialect
        )
        self.child_min_rows: int | None = DEFAULT_CHILD_MIN_ROWS
        self.report = RowReport()
        # Documents whose header without totals, or one of whose lines, this run read.
        self.touched: set[tuple[int, str]] = set()
        self.source_counts: dict[Copied, int] = {}

    def brake(self, copied: Copied, full_requested: bool) -> None:
        """Refuse (ReplicationBlocked) a run that would delete too much of this entity's copy;
        counts first, the exact anti-join only where they point to deletions (customers on a
        full run: always, they are few)."""
        _since, full = self._start(copied, full_requested)
        if copied is Copied.DOCUMENT_LINES and not full:
            return  # an incremental run never deletes lines
        spec = SPECS[copied]
        copied_count = self._copied_count(spec)
        if copied_count == 0:
            return
        try:
            source_count = self._source_count(copied)
            missing = copied_count - source_count
            if source_count and (
                (full and copied is Copied.CUSTOMERS) or brakes(missing, copied_count)
            ):
                missing = delete_missing(
                    self.sessions,
                    bulk_writer(spec, self.dialect),
                    self.source.scan_keys(copied.source),
                    account_id=self.account_id,
                    environment_id=self.environment_id,
                    apply=False,
                )
        except SeatbridgeError as error:
            raise ReplicationFailed(
                environment=self.environment_name, entity=copied.value, reason=error.message("fr")
            ) from error
        if source_count == 0 or brakes(missing, copied_count):
            raise ReplicationBlocked(
                environment=self.environment_name,
                entity=copied.value,
                reason="",
                missing=copied_count if source_count == 0 else missing,
                copied=copied_count,
                percent=100 if source_count == 0 else round(100 * missing / copied_count),
                what=_(_WHAT[copied]),
                table=copied.source.value,
                empty=_(" : la table est vide dans Sage 100") if source_count == 0 else "",
            )

    def _copied_count(self, spec: CopySpec) -> int:
        model = spec.model
        with self.sessions() as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(model)
                    .where(
                        model.account_id == self.account_id,
                        model.environment_id == self.environment_id,
                    )
                )
                or 0
            )

    def _source_count(self, copied: Copied) -> int:
        """The source's row count, once per run (the brake's and the deletions' look)."""
        if copied not in self.source_counts:
            self.source_counts[copied] = self.source.count(copied.source)
        return self.source_counts[copied]

    def complete_totals(self, full: bool) -> None:
        """Headers without totals in Sage get those of their lines (`commerce.totals`)."""
        if not full and not self.touched:
            return
        with self.sessions.begin() as session:
            compute_totals(
                session.connection(),
                account_id=self.account_id,
                environment_id=self.environment_id,
                documents=None if full else self.touched,
            )

    def run(self, copied: Copied, full_requested: bool) -> EntityOutcome:
        started = time.perf_counter()
        writer = bulk_writer(SPECS[copied], self.dialect)
        since, full = self._start(copied, full_requested)
        aside_before = self.report.table(copied.source.value).set_aside
        try:
            missing = getattr(self.source, "missing_columns", None)
            if missing is not None:
                self.report.note_missing(copied.source.value, missing(copied.source))
            threshold = self.child_min_rows
            reopening = self.source.reopening() if full and threshold is not None else None
            # A count costs a scan: for a full run that may go to a child, or for someone
            # watching its progress.
            counted = full and (self.watched or reopening is not None)
            total = self.source.count(copied.source) if counted else None
            self.say(copied.value, 0, total)
            with self.sessions() as session:
                empty = not writer.has_rows(
                    session.connection(), self.account_id, self.environment_id
                )
            if reopening and threshold is not None and total is not None and total >= threshold:
                job = Job(ReaderSpec(*reopening), copied, since, self.account_id,
                          self.environment_id, self.dialect, self.batch_rows)  # fmt: skip
                read, upserted, following = self._copy_from_child(job, writer, total, append=empty)
            else:
                changes = self.source.read_changes(copied.source, since)
                read, upserted = self._copy(copied, writer, changes, total, append=empty)
                following = changes.following
            deleted = self._deletions(copied, writer, anti_join=full and not empty)
        except SeatbridgeError as error:
            raise ReplicationFailed(
                environment=self.environment_name, entity=copied.value, reason=error.message("fr")
            ) from error
        self._advance(copied, following, full, self._entity_report(copied))
        set_aside = self.report.table(copied.source.value).set_aside - aside_before
        seconds = round(time.perf_counter() - started, 3)
        return EntityOutcome(copied.value, full, read, upserted, deleted, seconds, set_aside)

    def _start(self, copied: Copied, full_requested: bool) -> tuple[Watermark | None, bool]:
        """Where to read from: None (everything) on a full run."""
        with self.sessions() as session:
            mark = self._watermark(session, copied)
        if mark is None or mark.last_full_at is None or full_requested:
            return None, True
        if self.clock.now() - mark.last_full_at >= self.full_interval:
            return None, True
        seen = tuple(Seen.from_dict(group) for group in mark.seen or ())
        return Watermark(mark.modified_since, mark.max_cb_marq, seen), False

    def _copy(
        self,
        copied: Copied,
        writer: CopyWriter,
        changes: Changes,
        total: int | None,
        *,
        append: bool,
    ) -> tuple[int, int]:
        """Stream the rows into the copy; (rows read, rows inserted or changed)."""
        read = 0
        unique = deduplicator(writer.spec)
        screen = screen_for(copied, self.report)
        with sink_for(self.engine, self._writing(writer, append=append)) as sink:
            for group in groups(changes, self.batch_rows):
                kept = screen.batch(group)
                self._touch(copied, kept)
                sink.put(unique(self.converter.convert(copied, kept)))
                read += len(group)
                self.say(copied.value, read, total)
        return read, sink.written

    def _touch(self, copied: Copied, records: Sequence[Any]) -> None:
        if copied is Copied.DOCUMENT_LINES:
            self.touched.update((r.DO_Type, r.DO_Piece) for r in records)
        elif copied is Copied.DOCUMENT_HEADERS:
            self.touched.update((r.DO_Type, r.DO_Piece) for r in records if r.DO_TotalHT is None)

    def _copy_from_child(
        self, job: Job, writer: CopyWriter, total: int | None, *, append: bool
    ) -> tuple[int, int, Watermark]:
        """Like `_copy`, the reading and converting done by a child process."""
        read = 0
        with (
            Producer(job) as producer,
            sink_for(self.engine, self._writing(writer, append=append)) as sink,
        ):
            for rows, count in producer.batches():
                sink.put(rows)
                read += count
                self.say(job.copied.value, read, total)
        self.report.merge(producer.report)
        return read, sink.written, producer.following

    def _writing(self, writer: CopyWriter, *, append: bool) -> Write:
        """One batch, one transaction: appended while the copy was empty, else merged."""
        appending = append
        # The writers use the raw driver: its own IntegrityError, not SQLAlchemy's.
        dbapi = self.engine.dialect.dbapi
        conflicts = (IntegrityError, getattr(dbapi, "IntegrityError", IntegrityError))

        def write(rows: Sequence[StoreRow]) -> int:
            nonlocal appending
            if appending:
                try:
                    with self.sessions.begin() as session:
                        return writer.append(session.connection(), rows)
                except conflicts:
                    # A key is there already (re-created in Sage during the read): merge.
                    appending = False
            with self.sessions.begin() as session:
                return writer.upsert(session.connection(), rows)

        return write

    def _deletions(self, copied: Copied, writer: CopyWriter, *, anti_join: bool) -> int:
        """Anti-join on a full run over a filled copy; otherwise only when the counts differ
        (lines excepted: counting millions of lines on every run is not cheap)."""
        if not anti_join and (copied is Copied.DOCUMENT_LINES or self._counts_agree(writer.spec)):
            return 0
        return delete_missing(
            self.sessions,
            writer,
            self.source.scan_keys(copied.source),
            account_id=self.account_id,
            environment_id=self.environment_id,
        )

    def _counts_agree(self, spec: CopySpec) -> bool:
        # The source's count taken by the brake, before the read: a row added since makes the
        # counts differ (an anti-join for nothing), never agree falsely on a deletion.
        return self._copied_count(spec) == self._source_count(spec.copied)

    def _entity_report(self, copied: Copied) -> dict[str, Any]:
        table = copied.source.value
        return {table: self.report.table(table).as_dict()}

    def _advance(
        self, copied: Copied, following: Watermark, full: bool, report: dict[str, Any]
    ) -> None:
        now = self.clock.now()
        with self.sessions.begin() as session:
            mark = self._watermark(session, copied)
            if mark is None:
                mark = SyncWatermark(
                    account_id=self.account_id,
                    environment_id=self.environment_id,
                    entity=copied.value,
                )
                session.add(mark)
            if full:
                # Exactly the source's marks: a restored (older) company must not leave them ahead.
                mark.modified_since = following.modified_since
                mark.max_cb_marq = following.max_cbmarq
                mark.last_full_at = now
            else:
                if following.modified_since is not None:
                    mark.modified_since = following.modified_since
                mark.max_cb_marq = max(mark.max_cb_marq or 0, following.max_cbmarq)
            mark.updated_at = now
            mark.seen = [group.as_dict() for group in following.seen] or None
            # A full run says what is wrong now; an incremental one adds what it met (a row
            # fixed in Sage leaves the list at the next full run).
            mark.rows_report = report if full else merged_reports(mark.rows_report, report)

    def _watermark(self, session: Session, copied: Copied) -> SyncWatermark | None:
        return session.scalar(
            select(SyncWatermark).where(
                SyncWatermark.account_id == self.account_id,
                SyncWatermark.environment_id == self.environment_id,
                SyncWatermark.entity == copied.value,
            )
        )
