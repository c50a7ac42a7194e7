"""From reader records to store rows: the columns of each copied entity and their conversion.

This is the hot path of a replication (millions of lines), so a batch is converted column by
column with C-level iteration (zip, map), and the values that repeat (dates, amounts) go through
caches. SQLite gets what SQLAlchemy itself would store (ISO text for times), so that rows written
here and rows read through the ORM agree.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum
from itertools import repeat
from typing import Any, Final

from seatbridge.commerce.models import (
    CommerceCustomer,
    CommerceDocument,
    CommerceDocumentLine,
)
from seatbridge.db.money import to_micros
from seatbridge.sage100.records import Entity, Record

CopyModel = CommerceCustomer | CommerceDocument | CommerceDocumentLine
_CACHE_LIMIT: Final = 50_000

StoreRow = tuple[Any, ...]


class Copied(StrEnum):
    """The copied entities, in replication order; the value is their watermark's entity name."""

    CUSTOMERS = "customers"
    DOCUMENT_HEADERS = "document_headers"
    DOCUMENT_LINES = "document_lines"

    @property
    def source(self) -> Entity:
        return _SOURCES[self]


_SOURCES = {
    Copied.CUSTOMERS: Entity.CUSTOMERS,
    Copied.DOCUMENT_HEADERS: Entity.DOCUMENT_HEADERS,
    Copied.DOCUMENT_LINES: Entity.DOCUMENT_LINES,
}


@dataclass(frozen=True)
class CopySpec:
    """Where an entity is copied and how its rows are keyed."""

    copied: Copied
    model: type[CopyModel]
    key: tuple[str, ...]  # the business key after (account_id, environment_id)

    @property
    def table(self) -> str:
        return self.model.__tablename__

    @property
    def columns(self) -> tuple[str, ...]:
        """The table's columns in order (account_id, environment_id first)."""
        return tuple(column.name for column in self.model.__table__.columns)

    @property
    def conflict(self) -> tuple[str, ...]:
        return ("account_id", "environment_id", *self.key)

    @property
    def updated(self) -> tuple[str, ...]:
        return tuple(name for name in self.columns if name not in self.conflict)


SPECS: Final = {
    Copied.CUSTOMERS: CopySpec(Copied.CUSTOMERS, CommerceCustomer, ("ct_num",)),
    Copied.DOCUMENT_HEADERS: CopySpec(
        Copied.DOCUMENT_HEADERS, CommerceDocument, ("do_type", "do_piece")
    ),
    Copied.DOCUMENT_LINES: CopySpec(Copied.DOCUMENT_LINES, CommerceDocumentLine, ("cb_marq",)),
}


def fold(text: str) -> str:
    """Lower case without accents: how customers are searched ("Écrin" finds "ecrin")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _Cache(dict[Any, Any]):
    """Converted values by source value: `map(cache.__getitem__, column)` runs at C speed on the
    values seen before (dates and amounts repeat a lot) and calls `convert` on the others."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__()
        self.convert = convert
        self[None] = None

    def __missing__(self, value: Any) -> Any:
        converted = self[value] = self.convert(value)
        return converted

    def bounded(self) -> _Cache:
        """Itself, emptied first when it has grown too big (constant memory)."""
        if len(self) > _CACHE_LIMIT:
            self.clear()
            self[None] = None
        return self


def _iso(value: dt.datetime) -> str:
    # SQLAlchemy's own text form of a DateTime on SQLite (always with microseconds).
    return value.isoformat(" ", "microseconds")


class Conversion(Enum):
    SAME = "same"
    MONEY = "money"  # Decimal -> integer millionths
    STAMP = "stamp"  # datetime -> SQLAlchemy's ISO text on SQLite
    SEARCH = "search"  # several text fields -> one folded search text
    ABSENT = "absent"  # whether the field is None (a header without totals)


# Per copied entity, in the copy's column order after (account_id, environment_id): the reader
# record's field(s) each column comes from, and how it is converted.
_S, _M, _T = Conversion.SAME, Conversion.MONEY, Conversion.STAMP
PLANS: Final[dict[Copied, tuple[tuple[str, Conversion], ...]]] = {
    Copied.CUSTOMERS: (
        ("CT_Num", _S), ("CT_Intitule", _S), ("CT_Prospect", _S), ("CO_No", _S),
        ("CT_Sommeil", _S), ("CT_EMail", _S), ("CT_Telephone", _S), ("CT_CodePostal", _S),
        ("CT_Ville", _S), ("CT_Pays", _S), ("CT_Num CT_Intitule CT_Ville", Conversion.SEARCH),
        ("cbMarq", _S), ("cbModification", _T),
    ),
    Copied.DOCUMENT_HEADERS: (
        ("DO_Type", _S), ("DO_Piece", _S), ("DO_Date", _T), ("DO_Ref", _S), ("DO_Tiers", _S),
        ("CO_No", _S), ("DO_Statut", _S), ("DO_TotalHT", _M), ("DO_TotalTTC", _M),
        ("cbMarq", _S), ("cbModification", _T), ("DO_TotalHT", Conversion.ABSENT),
    ),
    Copied.DOCUMENT_LINES: (
        ("cbMarq", _S), ("DO_Type", _S), ("DO_Piece", _S), ("CT_Num", _S), ("DL_No", _S),
        ("DL_Ligne", _S), ("AR_Ref", _S), ("DL_Design", _S), ("DL_Qte", _M),
        ("DL_PrixUnitaire", _M), ("DL_MontantHT", _M), ("CO_No", _S), ("DO_Date", _T),
        ("cbModification", _T), ("DL_MontantTTC", _M),
    ),
}  # fmt: skip
# The field without which a row cannot be keyed (it is dropped).
_KEY_FIELD: Final = {
    Copied.CUSTOMERS: "CT_Num",
    Copied.DOCUMENT_HEADERS: "DO_Piece",
    Copied.DOCUMENT_LINES: "DO_Piece",
}


class RowConverter:
    """Turns reader batches into store rows of one environment, for one store dialect."""

    def __init__(self, *, account_id: int, environment_id: int, dialect: str) -> None:
        self.account_id = account_id
        self.environment_id = environment_id
        self._money = _Cache(to_micros)
        # PostgreSQL takes datetimes as they are; SQLite gets SQLAlchemy's text.
        self._stamps = _Cache(_iso) if dialect == "sqlite" else None

    def convert(self, copied: Copied, batch: Sequence[Record]) -> list[StoreRow]:
        """Store rows of `batch`, in the copy's column order; rows without a key are dropped."""
        if not batch:
            return []
        fields: tuple[str, ...] = type(batch[0])._fields
        columns = dict(zip(fields, zip(*batch, strict=True), strict=True))
        key = _KEY_FIELD[copied]
        if None in columns[key]:
            keyed = zip(batch, columns[key], strict=True)
            batch = [record for record, value in keyed if value is not None]
            if not batch:
                return []
            columns = dict(zip(fields, zip(*batch, strict=True), strict=True))
        count = len(batch)
        produced = [self._column(columns, field, how) for field, how in PLANS[copied]]
        tenant = (repeat(self.account_id, count), repeat(self.environment_id, count))
        return list(zip(*tenant, *produced, strict=True))

    def _column(self, columns: dict[str, tuple[Any, ...]], field: str, how: Conversion) -> Any:
        if how is Conversion.SAME:
            return columns[field]
        if how is Conversion.MONEY:
            return map(self._money.bounded().__getitem__, columns[field])
        if how is Conversion.STAMP:
            values = columns[field]
            return (
                values if self._stamps is None else map(self._stamps.bounded().__getitem__, values)
            )
        if how is Conversion.ABSENT:
            return [value is None for value in columns[field]]
        parts = zip(*(columns[name] for name in field.split()), strict=True)
        return [fold(" ".join(filter(None, texts))) for texts in parts]
