"""The statements the reader issues, in dialect-neutral SQLAlchemy Core.

They must compile for SQL Server (``mssql+pymssql``) as well as SQLite, PostgreSQL and MariaDB:
plain SELECTs with WHERE / ORDER BY cbMarq / LIMIT (TOP on SQL Server) and MAX(). Pages follow
cbMarq (keyset pagination, never OFFSET), which SQL Server serves from the clustered primary key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Select,
    and_,
    column,
    func,
    literal,
    or_,
    select,
    table,
    type_coerce,
)
from sqlalchemy.sql.expression import ColumnClause, TableClause
from sqlalchemy.types import TypeEngine

from seatbridge.sage100.records import EntitySpec, Kind, Seen, Watermark


@dataclass(frozen=True)
class Source:
    """An entity bound to the columns this database really has."""

    spec: EntitySpec
    table: TableClause
    selected: tuple[ColumnClause[Any], ...]  # present record fields, in record order
    positions: tuple[int | None, ...]  # per record field: index in `selected`, None if absent
    cbmarq: ColumnClause[Any]
    cbmarq_at: int  # index of cbMarq in `selected`
    modified: ColumnClause[Any]
    modified_at: int  # index of cbModification in `selected`
    keys: tuple[ColumnClause[Any], ...]
    filters: tuple[ColumnElement[bool], ...]
    # An index leads with cbModification (one a DBA may add; Sage ships none): deltas then read
    # the modified rows off it instead of scanning the table (see `modified_page_query`).
    modified_indexed: bool = False


def bind_source(
    spec: EntitySpec,
    actual: dict[str, str],
    sql_type: Callable[[Kind], TypeEngine[Any]],
    *,
    modified_indexed: bool = False,
) -> Source:
    """Build the Source from `actual`: record field name -> the column's real spelling, for the
    fields present (the caller has already refused missing required ones)."""
    kinds = dict(zip(spec.fields, spec.kinds, strict=True))
    columns = {
        name: column(actual[name], sql_type(kinds.get(name, Kind.INT)))
        for name in (*spec.fields, *(f for f, _ in spec.filters))
        if name in actual
    }
    source_table = table(spec.table, *columns.values())
    selected: list[ColumnClause[Any]] = []
    positions: list[int | None] = []
    for name in spec.fields:
        if name in actual:
            positions.append(len(selected))
            selected.append(columns[name])
        else:
            positions.append(None)
    return Source(
        spec=spec,
        table=source_table,
        selected=tuple(selected),
        positions=tuple(positions),
        cbmarq=columns["cbMarq"],
        cbmarq_at=selected.index(columns["cbMarq"]),
        modified=columns["cbModification"],
        modified_at=selected.index(columns["cbModification"]),
        keys=tuple(columns[name] for name in spec.key),
        filters=tuple(columns[name] == value for name, value in spec.filters),
        modified_indexed=modified_indexed,
    )


def delta_condition(
    source: Source, since: Watermark, overlap: dt.timedelta, skip: tuple[Seen, ...] = ()
) -> ColumnElement[bool]:
    """Rows modified since the watermark (less the overlap) or added after it, less the rows
    at the stamps `skip` says were seen already."""
    added = source.cbmarq > since.max_cbmarq
    if since.modified_since is None:
        return added
    modified = source.modified >= _stamp(since.modified_since - overlap)
    if skip:
        modified = and_(modified, not_seen(source, skip))
    return or_(modified, added)


def not_seen(source: Source, seen: tuple[Seen, ...]) -> ColumnElement[bool]:
    """Not at one of the seen stamps (all their rows were seen: see `seen_query`)."""
    return source.modified.not_in([_stamp(group.stamp) for group in seen])


def seen_query(source: Source, seen: tuple[Seen, ...]) -> Select[Any]:
    """Per seen stamp: the stamp, COUNT(*), SUM(cbMarq), MAX(cbMarq) of its rows now: the
    fingerprint that must not have changed for the next delta to skip them."""
    stamp: ColumnElement[Any] = type_coerce(source.modified, DateTime())
    conditions = [*source.filters, source.modified.in_([_stamp(g.stamp) for g in seen])]
    return (
        select(stamp, func.count(), func.sum(source.cbmarq), func.max(source.cbmarq))
        .select_from(source.table)
        .where(and_(*conditions))
        .group_by(source.modified)
    )


def server_time_query() -> Select[Any]:
    """The database server's clock (the one Sage's cbModification defaults read)."""
    return select(type_coerce(func.current_timestamp(), DateTime()))


def _stamp(value: dt.datetime) -> ColumnElement[Any]:
    # Typed as DateTime even where the column is selected as raw text (SQLite): the bound value
    # is then written the way SQLAlchemy stores dates there, so the text comparison holds.
    return literal(value, DateTime())


def modified_page_query(
    source: Source,
    *,
    since: dt.datetime,
    after: tuple[Any, int] | None,
    limit: int,
    skip: tuple[Seen, ...] = (),
) -> Select[Any]:
    """One page of the rows modified since `since`, in (cbModification, cbMarq) order: the order
    of an index on cbModification (which carries the clustered key), so a page is a range of it.
    `after` is the (cbModification as selected, cbMarq) of the previous page's last row."""
    conditions = [*source.filters, source.modified >= _stamp(since)]
    if skip:  # index entries only: no row is fetched for the skipped ones
        conditions.append(not_seen(source, skip))
    if after is not None:
        stamp, cbmarq = after
        conditions.append(
            or_(source.modified > stamp, and_(source.modified == stamp, source.cbmarq > cbmarq))
        )
    statement = select(*source.selected).select_from(source.table).where(and_(*conditions))
    return statement.order_by(source.modified, source.cbmarq).limit(limit)


def added_page_query(
    source: Source, *, since: dt.datetime, max_cbmarq: int, after: int | None, limit: int
) -> Select[Any]:
    """One page of the rows added after `max_cbmarq` that `modified_page_query` does not read
    (stamped before `since`, or not at all): a range of the primary key."""
    bound = _stamp(since)
    conditions = [
        *source.filters,
        source.cbmarq > max(max_cbmarq, after if after is not None else max_cbmarq),
        or_(source.modified < bound, source.modified.is_(None)),
    ]
    statement = select(*source.selected).select_from(source.table).where(and_(*conditions))
    return statement.order_by(source.cbmarq).limit(limit)


def page_query(
    source: Source,
    *,
    after: int | None,
    limit: int,
    since: Watermark | None = None,
    overlap: dt.timedelta = dt.timedelta(0),
    skip: tuple[Seen, ...] = (),
) -> Select[Any]:
    """One page of records: the next `limit` rows after cbMarq `after`."""
    conditions = list(source.filters)
    if after is not None:
        conditions.append(source.cbmarq > after)
    if since is not None:
        conditions.append(delta_condition(source, since, overlap, skip))
    statement = select(*source.selected).select_from(source.table)
    if conditions:
        statement = statement.where(and_(*conditions))
    return statement.order_by(source.cbmarq).limit(limit)


def keys_query(source: Source, *, after: int | None, limit: int) -> Select[Any]:
    """One page of (business key..., cbMarq)."""
    conditions = list(source.filters)
    if after is not None:
        conditions.append(source.cbmarq > after)
    statement = select(*source.keys, source.cbmarq).select_from(source.table)
    if conditions:
        statement = statement.where(and_(*conditions))
    return statement.order_by(source.cbmarq).limit(limit)


def watermark_query(source: Source) -> Select[Any, Any]:
    """MAX(cbModification), MAX(cbMarq): taken before a read, they start the next delta."""
    # DateTime whatever the column is selected as (raw text on SQLite), to get a datetime back.
    latest: ColumnElement[Any] = type_coerce(func.max(source.modified), DateTime())
    statement = select(latest, func.max(source.cbmarq)).select_from(source.table)
    return statement.where(and_(*source.filters)) if source.filters else statement


def count_query(source: Source) -> Select[Any]:
    statement = select(func.count()).select_from(source.table)
    return statement.where(and_(*source.filters)) if source.filters else statement
