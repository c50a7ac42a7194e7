"""Did anything change in a Sage 100 company since the last look? Far cheaper than a delta read.

Two stages (docs/sync.md, "Live sync: the change probe"):

1. `database_token`: one database-wide signal, where the database offers a reliable one to a
   read-only login. It changes whenever anything was committed (and sometimes when nothing the
   sync reads did): equal tokens mean nothing changed, without touching a table.
   * SQLite: the file's header change counter (bytes 24-27, bumped by every committed write
     transaction in rollback-journal mode) with the size and modification time of the file and
     of its `-wal` file (in WAL mode commits append to the `-wal` file). No SQL at all.
   * PostgreSQL: `pg_current_wal_insert_lsn()`: every committed change to a logged table writes
     WAL first, so an unchanged position means no change (the position also moves for other
     databases of the cluster, which only costs a stage 2).
   * SQL Server and others: none here (stage 2 every time; see docs/sync.md for the cheaper
     signals a DBA can grant).
2. `table_fingerprint`: per table the reader reads, `MAX(cbMarq)` (inserts: the clustered key,
   one seek), `COUNT(*)` (deletions) and `MAX(cbModification)` (updates, which Sage 100 stamps),
   with the reader's own filters. Issued only when stage 1 changed or does not exist.

A probe may say "changed" when nothing did; it must never say "unchanged" after a change the
sync would read. The periodic full reconciliation remains the safety net.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import text

from seatbridge.sage100.connect import open_connection, translated_errors
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sage100.records import Entity

HEADER_BYTES = 100
CHANGE_COUNTER = slice(24, 28)


def database_token(reader: Sage100Reader) -> str | None:
    """The database-wide change signal (see the module's docstring), or None where none."""
    engine = reader.engine
    backend = engine.dialect.name
    if backend == "sqlite":
        return sqlite_token(engine.url.database)
    if backend == "postgresql":
        with (
            open_connection(engine) as connection,
            translated_errors(engine, table="pg_current_wal_insert_lsn"),
        ):
            return str(connection.execute(text("SELECT pg_current_wal_insert_lsn()")).scalar())
    return None


def table_fingerprint(reader: Sage100Reader) -> dict[str, list[Any]]:
    """Per entity: [MAX(cbMarq), COUNT(*), MAX(cbModification) as ISO text or None]."""
    fingerprint: dict[str, list[Any]] = {}
    for entity in Entity:
        mark = reader.watermark(entity)
        modified = mark.modified_since.isoformat() if mark.modified_since else None
        fingerprint[entity.value] = [mark.max_cbmarq, reader.count(entity), modified]
    return fingerprint


def sqlite_token(database: str | None) -> str | None:
    """The SQLite token of a database file (no connection needed: a stat and a 100-byte read)."""
    if not database or database == ":memory:":
        return None
    path = Path(database.removeprefix("file:").split("?", 1)[0])
    parts: list[str] = []
    try:
        with path.open("rb") as handle:
            header = handle.read(HEADER_BYTES)
        parts.append(header[CHANGE_COUNTER].hex())
    except OSError:
        return None  # stage 2 then reports the failure the way a read would
    for candidate in (path, Path(f"{path}-wal")):
        try:
            stat = os.stat(candidate)
        except FileNotFoundError:
            parts.append("-")
            continue
        parts.append(f"{stat.st_size}:{stat.st_mtime_ns}")
    return "sqlite:" + "/".join(parts)
