"""Whether each table the replication reads has an index on cbModification, and the statement a
DBA runs to add the missing ones (`seatbridge sage100 indexes`).

Sage 100 ships no such index, so every delta read scans its table: about 2 s per run on
5,000,000 lines. With the index the reader reads the changed rows off it instead (see
`Sage100Reader` and docs/performance.md). The reader's login cannot create it (it only has
SELECT); the DBA can, and the reader finds it by itself on its next start.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Final

from sqlalchemy import Column, DateTime, Index, MetaData, Table
from sqlalchemy.engine import Dialect
from sqlalchemy.schema import CreateIndex

from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sage100.records import SPECS, Entity

# The tables whose deltas are read on every run, and the name given to each index.
INDEX_NAMES: Final = {
    Entity.COLLABORATORS: "IX_SEATBRIDGE_CO_MOD",
    Entity.CUSTOMERS: "IX_SEATBRIDGE_CT_MOD",
    Entity.DOCUMENT_HEADERS: "IX_SEATBRIDGE_DO_MOD",
    Entity.DOCUMENT_LINES: "IX_SEATBRIDGE_DL_MOD",
}


@dataclass(frozen=True)
class IndexAdvice:
    table: str
    rows: int
    indexed: bool
    create: str | None  # the statement to run when there is no index yet

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def modified_indexes(reader: Sage100Reader) -> list[IndexAdvice]:
    """One line per table: its rows, whether deltas can use an index, and what to run if not."""
    advice = []
    for entity, name in INDEX_NAMES.items():
        indexed = reader.has_modified_index(entity)
        create = None if indexed else create_statement(reader, entity, name)
        advice.append(IndexAdvice(entity.value, reader.count(entity), indexed, create))
    return advice


def create_statement(reader: Sage100Reader, entity: Entity, name: str) -> str:
    table = SPECS[entity].table
    column = reader.column_name(table, "cbModification")
    return index_ddl(reader.engine.dialect, table, column, name)


def index_ddl(dialect: Dialect, table: str, column: str, name: str) -> str:
    """CREATE INDEX in the database's own dialect (SQL Server: bracket-quoted)."""
    target = Table(table, MetaData(), Column(column, DateTime))
    statement = CreateIndex(Index(name, target.c[column]))
    return str(statement.compile(dialect=dialect)).strip() + ";"
