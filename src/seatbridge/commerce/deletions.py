"""Deletion detection: an anti-join of the source's key scan against the copy, chunk by chunk.

Sage deletes rows physically. The reader's key scan streams (business key, cbMarq) in cbMarq
order; each chunk of it covers a cbMarq range, and the copy's rows in that range whose (key,
cbMarq) the chunk lacks are gone from Sage (or were re-keyed in place, e.g. an invoice posted as
type 7: same cbMarq, new key). Memory holds one chunk; each chunk is its own transaction.
Copy rows above the last scanned cbMarq go only once the scan has ended normally, so a failed
scan never looks like "everything was deleted".
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any, Final

from sqlalchemy.orm import Session, sessionmaker

from seatbridge.commerce.writers import CopyWriter
from seatbridge.sage100.records import RowKey

DEFAULT_CHUNK: Final = 50_000


def delete_missing(
    sessions: sessionmaker[Session],
    writer: CopyWriter,
    keys: Iterator[RowKey],
    *,
    account_id: int,
    environment_id: int,
    chunk_size: int = DEFAULT_CHUNK,
    apply: bool = True,
) -> int:
    """Delete the copied rows of one environment that the scanned source no longer has (with
    `apply=False`, only count them: the safety brake's look before deleting)."""
    composite = len(writer.spec.key) > 1
    deleted = 0
    after: int | None = None
    args = (sessions, writer, account_id, environment_id)
    while chunk := list(islice(keys, chunk_size)):
        upto = chunk[-1].cbMarq
        # Shaped like the copy's rows: (key columns..., cb_marq).
        present = {(*key, marq) for key, marq in chunk} if composite else set(chunk)
        deleted += _delete_stale(*args, after, upto, present, apply=apply)
        after = upto
    return deleted + _delete_stale(*args, after, None, set(), apply=apply)


def _delete_stale(
    sessions: sessionmaker[Session],
    writer: CopyWriter,
    account_id: int,
    environment_id: int,
    after: int | None,
    upto: int | None,
    present: set[Any],
    *,
    apply: bool = True,
) -> int:
    """Delete the copied rows with after < cb_marq <= upto that are not `present`."""
    with sessions.begin() as session:
        connection = session.connection()
        copied = writer.keys(connection, account_id, environment_id, after, upto)
        stale = set(copied).difference(present)
        if not stale or not apply:
            return len(stale)
        keys = [row[0] if len(row) == 2 else row[:-1] for row in stale]
        return writer.delete(connection, account_id, environment_id, keys)
