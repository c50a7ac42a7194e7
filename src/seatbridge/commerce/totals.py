"""Totals of document headers that Sage 100 does not give, computed from their lines.

Older Sage versions have no ``DO_TotalHT`` / ``DO_TotalTTC`` on F_DOCENTETE, and a recent one
may leave them NULL: the copy of such a header is flagged ``totals_from_lines`` and its totals are
the sums of its copied lines' ``DL_MontantHT`` / ``DL_MontantTTC`` (Sage's own total is the sum of
the lines' net HT amounts). They are computed by the replication, after the lines, in the store:
one ``UPDATE ... FROM (SELECT ... GROUP BY)`` for a full run, the same restricted to the documents
a run touched (their header or one of their lines was read) for an incremental one. A header
read again writes NULL totals back, and the same run computes them again; portfolio, history and
monthly sales then read real amounts on both stores.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Final, cast

from sqlalchemy import ColumnElement, Connection, Table, func, or_, select, tuple_, update

from seatbridge.commerce.models import CommerceDocument, CommerceDocumentLine

CHUNK: Final = 500
# Past this many touched documents, recomputing every flagged one is cheaper than the IN lists.
FULL_ABOVE: Final = 20_000

DocumentKey = tuple[int, str]


def compute_totals(
    connection: Connection,
    *,
    account_id: int,
    environment_id: int,
    documents: Iterable[DocumentKey] | None = None,
) -> int:
    """Set the totals of the environment's flagged headers from their lines (only of
    `documents` when given); how many headers were updated."""
    if documents is None:
        return _update(connection, account_id, environment_id, None)
    keys = sorted(set(documents))
    if len(keys) > FULL_ABOVE:
        return _update(connection, account_id, environment_id, None)
    updated = 0
    iterator = iter(keys)
    while chunk := list(islice(iterator, CHUNK)):
        updated += _update(connection, account_id, environment_id, chunk)
    return updated


def _update(
    connection: Connection, account_id: int, environment_id: int, keys: list[DocumentKey] | None
) -> int:
    lines = cast(Table, CommerceDocumentLine.__table__).c
    table = cast(Table, CommerceDocument.__table__)
    documents = table.c
    line_scope: list[ColumnElement[bool]] = [
        lines.account_id == account_id,
        lines.environment_id == environment_id,
    ]
    document_scope: list[ColumnElement[bool]] = [
        documents.account_id == account_id,
        documents.environment_id == environment_id,
        documents.totals_from_lines.is_(True),
    ]
    if keys is not None:
        # Row-value IN: portable to PostgreSQL and SQLite (3.15+) alike.
        line_scope.append(tuple_(lines.do_type, lines.do_piece).in_(keys))
        document_scope.append(tuple_(documents.do_type, documents.do_piece).in_(keys))
    sums = (
        select(
            lines.do_type.label("do_type"),
            lines.do_piece.label("do_piece"),
            func.sum(lines.amount_ht).label("ht"),
            func.sum(lines.amount_ttc).label("ttc"),
        )
        .where(*line_scope)
        .group_by(lines.do_type, lines.do_piece)
        .subquery("sums")
    )
    statement = (
        update(table)
        .where(*document_scope)
        .where(documents.do_type == sums.c.do_type, documents.do_piece == sums.c.do_piece)
        .where(
            or_(
                documents.total_ht.is_distinct_from(sums.c.ht),
                documents.total_ttc.is_distinct_from(sums.c.ttc),
            )
        )
        .values(total_ht=sums.c.ht, total_ttc=sums.c.ttc)
    )
    return int(connection.execute(statement).rowcount or 0)
