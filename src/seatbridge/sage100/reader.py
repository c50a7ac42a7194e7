"""Read-only, streaming access to one Sage 100 company database.

`Sage100Reader` discovers the columns at run time (``INFORMATION_SCHEMA`` on SQL Server, through
`sqlalchemy.inspect`), so one reader serves old and recent Sage versions. It streams typed,
cleaned records in batches with constant memory (keyset pages on cbMarq, each streamed with
``stream_results``/``yield_per``), reads deltas from a `Watermark` (off an index on cbModification
when the database has one, else in one scan), and scans keys for deletions.
Every failure is a `Sage100Error`; a failed read never looks like an empty table.

Production: ``Sage100Reader("mssql+pymssql://reader:pw@sqlhost:1433/BIJOU")`` (pip extra
``seatbridge[mssql]``); the SQL login only needs SELECT on the four tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from itertools import chain, repeat
from typing import Any, Final, cast

from sqlalchemy import Connection, Engine, Row, Select, inspect
from sqlalchemy.engine import URL
from sqlalchemy.exc import NoSuchTableError, SQLAlchemyError

from seatbridge.sage100.changes import Changes
from seatbridge.sage100.cleaning import Cleaner, clean_text
from seatbridge.sage100.connect import (
    DEFAULT_CONNECT_TIMEOUT,
    create_sage100_engine,
    location_of,
    open_connection,
    translated_errors,
)
from seatbridge.sage100.errors import (
    Sage100ColumnMissing,
    Sage100ReadFailed,
    Sage100TableMissing,
)
from seatbridge.sage100.queries import (
    Source,
    added_page_query,
    bind_source,
    count_query,
    keys_query,
    modified_page_query,
    page_query,
    seen_query,
    server_time_query,
    watermark_query,
)
from seatbridge.sage100.records import (
    SPECS,
    UNKNOWN_WHEN_MISSING,
    Collaborator,
    Customer,
    DocumentHeader,
    DocumentLine,
    Entity,
    Kind,
    Record,
    RowKey,
    Seen,
    Watermark,
)
from seatbridge.sage100.screening import Unreadable

DEFAULT_OVERLAP: Final = dt.timedelta(hours=1)
# Small enough for a batch's objects to die young: with 10,000-row batches the records outlive
# CPython's young GC generations and the full collections that follow double the read time.
DEFAULT_BATCH_SIZE: Final = 500
# One query per page; bounds memory even where a driver buffers a whole result.
DEFAULT_PAGE_SIZE: Final = 50_000
DEFAULT_STATEMENT_TIMEOUT: Final = 600.0


class Sage100Reader:
    """Reads collaborators, customers and sales documents of one company (never writes)."""

    def __init__(
        self,
        source: Engine | URL | str,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        page_size: int = DEFAULT_PAGE_SIZE,
        overlap: dt.timedelta = DEFAULT_OVERLAP,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        statement_timeout: float | None = DEFAULT_STATEMENT_TIMEOUT,
    ) -> None:
        """`source` is an engine (its own timeouts apply) or a URL / SQLite path (opened read-only
        with `connect_timeout` and `statement_timeout`, in seconds)."""
        self._target: str | URL | None = None  # what another process opens (see `reopening`)
        if isinstance(source, Engine):
            self.engine, self._owns_engine = source, False
            statement_timeout = None  # the engine's own setting, unknown here
        else:
            self._target = source
            self.engine = create_sage100_engine(
                source,
                connect_timeout=connect_timeout,
                statement_timeout=statement_timeout,
                read_only=True,
            )
            self._owns_engine = True
        self.batch_size = max(1, batch_size)
        self.page_size = max(self.batch_size, page_size)
        self.overlap = overlap
        self.statement_timeout = statement_timeout
        self.connect_timeout = connect_timeout
        self.location = location_of(self.engine)
        self._cleaner = Cleaner(self.engine.dialect.name)
        self._columns: dict[str, dict[str, str]] = {}
        self._indexed: dict[str, bool] = {}
        self._sources: dict[Entity, Source] = {}

    def reopening(self) -> tuple[str, dict[str, Any]] | None:
        """The URL (password included: for our own child processes, never to be logged) and
        options with which another process reads the same database the same way; None for a
        reader made from an engine or an in-memory database."""
        if self._target is None or self.engine.url.database in (None, "", ":memory:"):
            return None
        url = self._target
        text = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
        options = {
            "batch_size": self.batch_size,
            "page_size": self.page_size,
            "overlap": self.overlap,
            "connect_timeout": self.connect_timeout,
            "statement_timeout": self.statement_timeout,
        }
        return text, options

    def close(self) -> None:
        if self._owns_engine:
            self.engine.dispose()

    def __enter__(self) -> Sage100Reader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # Discovery

    def columns(self, table: str) -> tuple[str, ...]:
        """The columns `table` really has, as spelled in the database."""
        return tuple(self._discover(table).values())

    def has_column(self, table: str, column: str) -> bool:
        return column.lower() in self._discover(table)

    def column_name(self, table: str, column: str) -> str:
        """`column` as the database spells it (raises if `table` lacks it)."""
        found = self._discover(table).get(column.lower())
        if found is None:
            raise Sage100ColumnMissing(location=self.location, table=table, column=column)
        return found

    def has_modified_index(self, entity: Entity | str) -> bool:
        """Whether an index of the entity's table starts with cbModification: its deltas are then
        read off the index rather than by scanning the table."""
        return self._source(entity).modified_indexed

    def check(self) -> None:
        """Discover every entity now, raising on a missing table or required column."""
        for entity in Entity:
            self._source(entity)

    def _discover(self, table: str) -> dict[str, str]:
        if table not in self._columns:
            with (
                translated_errors(self.engine, table=table, timeout=self.statement_timeout),
                open_connection(self.engine) as connection,
            ):
                try:
                    inspector = inspect(connection)
                    found = inspector.get_columns(table)
                except NoSuchTableError:
                    raise Sage100TableMissing(location=self.location, table=table) from None
                indexes = _indexes(inspector, table) if found else []
            if not found:
                raise Sage100TableMissing(location=self.location, table=table)
            # Lower-case keys: SQL Server's usual collation ignores case (CO_EMail = CO_Email).
            self._columns[table] = {info["name"].lower(): info["name"] for info in found}
            self._indexed[table] = any(map(_leads_with_modified, indexes))
        return self._columns[table]

    def _source(self, entity: Entity | str) -> Source:
        entity = Entity(entity)
        if entity not in self._sources:
            spec = SPECS[entity]
            available = self._discover(spec.table)
            actual: dict[str, str] = {}
            for name in spec.fields:
                if name.lower() in available:
                    actual[name] = available[name.lower()]
                elif name not in spec.optional:
                    raise Sage100ColumnMissing(
                        location=self.location, table=spec.table, column=name
                    )
            self._sources[entity] = bind_source(
                spec, actual, self._cleaner.sql_type, modified_indexed=self._indexed[spec.table]
            )
        return self._sources[entity]

    # Reading

    def watermark(self, entity: Entity | str) -> Watermark:
        """The watermark of the rows as they are now (take it before reading, as synchroData)."""
        source = self._source(entity)
        with self._connection(source) as connection:
            try:
                modified, max_cbmarq = connection.execute(watermark_query(source)).one()
            except (ValueError, TypeError) as error:  # the newest cbModification is no date
                raise Sage100ReadFailed(
                    location=self.location,
                    table=source.spec.table,
                    detail=f"la plus récente valeur de cbModification est illisible ({error})",
                ) from None
        return Watermark(modified_since=modified, max_cbmarq=max_cbmarq or 0)

    def count(self, entity: Entity | str) -> int:
        """How many rows the entity has now (with MAX(cbModification): cheap change detection)."""
        source = self._source(entity)
        with self._connection(source) as connection:
            return int(connection.execute(count_query(source)).scalar_one())

    def changes(
        self, entity: Entity | str, since: Watermark | None
    ) -> tuple[Watermark, Iterator[Record]]:
        """The next watermark (taken first) and the rows changed since `since` (all if None)."""
        following = self.watermark(entity)
        return following, self.read(entity, since=since)

    def read_changes(self, entity: Entity | str, since: Watermark | None = None) -> Changes:
        """The rows modified since `since` (all if None) in batches, and once they are read, the
        watermark that follows (derived from the rows: no extra scan; see `Changes`)."""
        source = self._source(entity)
        server_now = self._server_time(source)
        skip = self._skippable(source, since)
        return Changes.derived(self._batches(source, since, skip), source.spec, since,
                               server_now=server_now, skipped=skip)  # fmt: skip

    def _server_time(self, source: Source) -> dt.datetime | None:
        """The database's clock now (None if it cannot say: nothing is then recorded as seen)."""
        with self._connection(source) as connection:
            try:
                value = connection.execute(server_time_query()).scalar_one()
            except (ValueError, TypeError, SQLAlchemyError):
                return None
        if not isinstance(value, dt.datetime):
            return None
        # SQL Server's getdate() is naive (server-local, as cbModification); PostgreSQL gives
        # an aware time: compared in UTC, the zone dropped.
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value

    def _skippable(self, source: Source, since: Watermark | None) -> tuple[Seen, ...]:
        """The groups of `since.seen` whose stamp holds exactly the rows seen (see `changes`)."""
        if since is None or not since.seen or since.modified_since is None:
            return ()
        wanted = {group.stamp: group for group in since.seen}
        with self._connection(source) as connection:
            rows = connection.execute(seen_query(source, since.seen)).all()
        matched = []
        for stamp, count, total, highest in rows:
            group = wanted.get(stamp)
            if group is not None and (count, total, highest) == (
                group.count,
                group.total,
                group.cbmarq,
            ):
                matched.append(group)
        return tuple(matched)

    def read(self, entity: Entity | str, since: Watermark | None = None) -> Iterator[Record]:
        """Every record (or, with `since`, those modified since / added after the watermark)."""
        return chain.from_iterable(self.read_batches(entity, since=since))

    def read_batches(
        self, entity: Entity | str, since: Watermark | None = None
    ) -> Iterator[list[Record]]:
        """Like `read`, in lists of up to `batch_size` records (the cheapest way to consume).

        A missing table or column raises here, at the call; database failures while reading
        raise from the iteration."""
        return self._batches(self._source(entity), since)

    def _batches(
        self, source: Source, since: Watermark | None, skip: tuple[Seen, ...] = ()
    ) -> Iterator[list[Record]]:
        make = cast(Any, partial(tuple.__new__, source.spec.record))
        kinds = source.spec.kinds
        plan = [(kinds[field], position) for field, position in enumerate(source.positions)]
        absent = [
            False if kind is Kind.FLAG and name not in UNKNOWN_WHEN_MISSING else None
            for name, kind in zip(source.spec.fields, kinds, strict=True)
        ]
        clean = self._cleaner.clean
        for rows in self._pages(source, since, skip=skip):
            values = list(zip(*rows, strict=True))
            try:
                columns = [
                    repeat(absent[field]) if position is None else clean(kind, values[position])
                    for field, (kind, position) in enumerate(plan)
                ]
            except (ValueError, TypeError, ArithmeticError):
                # A value of an unexpected shape (a date that is not a date...): value by
                # value, the bad ones become Unreadable and their rows are set aside later.
                columns = [
                    repeat(absent[field])
                    if position is None
                    else self._clean_each(kind, values[position])
                    for field, (kind, position) in enumerate(plan)
                ]
            # repeat() columns are endless: the real ones end the zip.
            yield list(map(make, zip(*columns, strict=False)))

    def _clean_each(self, kind: Kind, values: Sequence[Any]) -> list[Any]:
        cleaned: list[Any] = []
        for value in values:
            try:
                cleaned.extend(self._cleaner.clean(kind, [value]))
            except (ValueError, TypeError, ArithmeticError):
                cleaned.append(Unreadable(str(value)))
        return cleaned

    def missing_columns(self, entity: Entity | str) -> tuple[str, ...]:
        """The optional columns the entity's table lacks here (they read as None)."""
        source = self._source(entity)
        return tuple(
            name
            for name, position in zip(source.spec.fields, source.positions, strict=True)
            if position is None
        )

    def read_collaborators(self, since: Watermark | None = None) -> Iterator[Collaborator]:
        return cast(Iterator[Collaborator], self.read(Entity.COLLABORATORS, since))

    def read_customers(self, since: Watermark | None = None) -> Iterator[Customer]:
        return cast(Iterator[Customer], self.read(Entity.CUSTOMERS, since))

    def read_document_headers(self, since: Watermark | None = None) -> Iterator[DocumentHeader]:
        return cast(Iterator[DocumentHeader], self.read(Entity.DOCUMENT_HEADERS, since))

    def read_document_lines(self, since: Watermark | None = None) -> Iterator[DocumentLine]:
        return cast(Iterator[DocumentLine], self.read(Entity.DOCUMENT_LINES, since))

    def scan_keys(self, entity: Entity | str) -> Iterator[RowKey]:
        """Stream just (business key, cbMarq) of every row, to find deleted rows cheaply."""
        return self._keys(self._source(entity))

    def _keys(self, source: Source) -> Iterator[RowKey]:
        spec = source.spec
        width = len(spec.key)
        texts = [i for i, k in enumerate(spec.key) if spec.kinds[spec.fields.index(k)] is Kind.TEXT]
        for rows in self._pages(source, None, keys=True):
            for row in rows:
                values: list[Any] = list(row)
                for index in texts:
                    values[index] = clean_text(values[index])
                cbmarq = values[-1]
                key = values[0] if width == 1 else tuple(values[:-1]) if width else cbmarq
                yield RowKey(key, cbmarq)

    @contextmanager
    def _connection(self, source: Source) -> Iterator[Connection]:
        """A connection whose driver errors come out as Sage100Error naming the table."""
        with (
            translated_errors(self.engine, table=source.spec.table, timeout=self.statement_timeout),
            open_connection(self.engine) as connection,
        ):
            yield connection

    def _pages(
        self,
        source: Source,
        since: Watermark | None,
        *,
        keys: bool = False,
        skip: tuple[Seen, ...] = (),
    ) -> Iterator[Sequence[Row[Any]]]:
        """Raw rows in batches, page after page (keyset pagination)."""
        limit = self.page_size
        if keys:
            yield from self._paged(
                source, lambda after: keys_query(source, after=after, limit=limit), _last(-1)
            )
        elif since is None or since.modified_since is None or not source.modified_indexed:
            # One pass along the primary key (a scan of the table for a delta).
            yield from self._paged(
                source,
                lambda after: page_query(
                    source, after=after, limit=limit, since=since, overlap=self.overlap, skip=skip
                ),
                _last(source.cbmarq_at),
            )
        else:
            # Off the cbModification index, then the rows added since (a primary key range).
            bound = since.modified_since - self.overlap
            yield from self._paged(
                source,
                lambda after: modified_page_query(
                    source, since=bound, after=after, limit=limit, skip=skip
                ),
                _last(source.modified_at, source.cbmarq_at),
            )
            yield from self._paged(
                source,
                lambda after: added_page_query(
                    source, since=bound, max_cbmarq=since.max_cbmarq, after=after, limit=limit
                ),
                _last(source.cbmarq_at),
            )

    def _paged(
        self,
        source: Source,
        page: Callable[[Any], Select[Any]],
        last: Callable[[Sequence[Row[Any]]], Any],
    ) -> Iterator[Sequence[Row[Any]]]:
        """Each `page(after)` in turn on one streaming connection, `after` being the key of the
        previous page's last row (None first), until a page comes back short."""
        options = {"stream_results": True, "yield_per": self.batch_size}
        after: Any = None
        with self._connection(source) as connection:
            while True:
                fetched = 0
                with connection.execute(page(after), execution_options=options) as result:
                    for rows in result.partitions():
                        fetched += len(rows)
                        after = last(rows)
                        yield rows
                if fetched < self.page_size:
                    return


def _indexes(inspector: Any, table: str) -> list[Any]:
    """The table's indexes; none when the login may not see them (deltas then scan, as Sage
    ships them)."""
    try:
        return list(inspector.get_indexes(table))
    except SQLAlchemyError:
        return []


def _leads_with_modified(index: Any) -> bool:
    """Whether an index (as `Inspector.get_indexes` describes it) starts with cbModification."""
    first = (index.get("column_names") or [None])[0]
    return isinstance(first, str) and first.lower() == "cbmodification"


def _last(*positions: int) -> Callable[[Sequence[Row[Any]]], Any]:
    """The key of a page's last row: one column, or a tuple of several."""
    if len(positions) == 1:
        (position,) = positions
        return lambda rows: rows[-1][position]
    return lambda rows: tuple(rows[-1][position] for position in positions)
