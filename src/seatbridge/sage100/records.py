"""Typed, cleaned rows read from Sage 100, and what the reader needs to know to build them.

Field names are the Sage column names (``CO_EMail``, ``cbMarq``), so that a field can always be
traced back to its column. Values are cleaned (see `seatbridge.sage100.cleaning`); a column that
this Sage version lacks (``CO_Sommeil``, ``cbCreation``, ``DO_TotalHT``...) reads as None.
Records are NamedTuples: immutable, slotted, and cheap to build from a database row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any, Final, NamedTuple

from seatbridge.sage100.tables import COLLABORATORS, DOCUMENT_HEADERS, DOCUMENT_LINES, THIRD_PARTIES


class Entity(StrEnum):
    """What the reader reads; the value is the table it reads it from."""

    COLLABORATORS = COLLABORATORS
    CUSTOMERS = THIRD_PARTIES
    DOCUMENT_HEADERS = DOCUMENT_HEADERS
    DOCUMENT_LINES = DOCUMENT_LINES


class Collaborator(NamedTuple):
    CO_No: int
    CO_Nom: str | None
    CO_Prenom: str | None
    CO_Fonction: str | None
    CO_Service: str | None
    CO_Telephone: str | None
    CO_TelPortable: str | None
    CO_EMail: str | None  # raw text, only trimmed: e-mail normalisation happens downstream
    CO_Vendeur: bool
    CO_Caissier: bool
    CO_Acheteur: bool
    CO_Sommeil: bool | None  # None where the column does not exist (older versions)
    CO_Matricule: str | None
    cbMarq: int
    cbModification: dt.datetime | None
    cbCreation: dt.datetime | None


class Customer(NamedTuple):
    CT_Num: str
    CT_Intitule: str | None
    CT_Type: int
    CT_Prospect: bool | None
    CO_No: int | None  # representative; Sage's 0 ("none") reads as None
    CT_Sommeil: bool
    CT_EMail: str | None
    CT_Telephone: str | None
    CT_CodePostal: str | None
    CT_Ville: str | None
    CT_Pays: str | None
    cbMarq: int
    cbModification: dt.datetime | None


class DocumentHeader(NamedTuple):
    DO_Domaine: int
    DO_Type: int
    DO_Piece: str
    DO_Date: dt.datetime | None
    DO_Ref: str | None
    DO_Tiers: str | None
    CO_No: int | None  # None: the document belongs to its customer's representative
    DO_Statut: int | None
    DO_TotalHT: Decimal | None
    DO_TotalTTC: Decimal | None
    cbMarq: int
    cbModification: dt.datetime | None


class DocumentLine(NamedTuple):
    cbMarq: int
    DO_Domaine: int
    DO_Type: int
    DO_Piece: str
    CT_Num: str | None
    DL_No: int | None
    DL_Ligne: int | None
    AR_Ref: str | None
    DL_Design: str | None
    DL_Qte: Decimal | None
    DL_PrixUnitaire: Decimal | None
    DL_MontantHT: Decimal | None
    CO_No: int | None
    DO_Date: dt.datetime | None
    cbModification: dt.datetime | None
    DL_MontantTTC: Decimal | None = None  # totals of headers that have none (older versions)


Record = Collaborator | Customer | DocumentHeader | DocumentLine


class RowKey(NamedTuple):
    """A row's business key and cbMarq, for deletion detection.

    The key is CO_No (collaborators), CT_Num (customers), (DO_Type, DO_Piece) (document headers)
    or cbMarq itself (lines: their document key changes when a document is transformed).
    """

    key: Any
    cbMarq: int


@dataclass(frozen=True, slots=True)
class Seen:
    """The rows a delta read saw with one settled stamp S (a Sage bulk operation stamps many
    rows with one cbModification): how many, the sum and the highest of their cbMarq. The next
    delta skips the rows at S if the table still holds exactly those (see
    `seatbridge.sage100.changes`)."""

    stamp: dt.datetime
    cbmarq: int  # the highest
    count: int
    total: int

    def as_dict(self) -> dict[str, Any]:
        return {"stamp": self.stamp.isoformat(), "cbmarq": self.cbmarq, "count": self.count,
                "total": self.total}  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Seen:
        return cls(dt.datetime.fromisoformat(data["stamp"]), int(data["cbmarq"]),
                   int(data["count"]), int(data["total"]))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Watermark:
    """Where a delta read starts: rows modified since `modified_since` or added after it, less
    the rows already `seen` at settled stamps (a bulk stamp is not read again)."""

    modified_since: dt.datetime | None
    max_cbmarq: int
    seen: tuple[Seen, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        since = self.modified_since.isoformat() if self.modified_since else None
        return {"modified_since": since, "max_cbmarq": self.max_cbmarq}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Watermark:
        since = data.get("modified_since")
        return cls(dt.datetime.fromisoformat(since) if since else None, int(data["max_cbmarq"]))


# Flags whose absence means "unknown" (None); any other absent flag reads as False (0).
UNKNOWN_WHEN_MISSING: Final = frozenset({"CO_Sommeil", "CT_Prospect"})


class Kind(Enum):
    """How a column is typed and cleaned."""

    TEXT = "text"  # trimmed, '' -> None
    INT = "int"
    FLAG = "flag"  # smallint 0/1 -> bool (NULL -> False)
    REF = "ref"  # collaborator number, 0 -> None
    STAMP = "stamp"  # datetime, 1753-01-01 or earlier -> None
    MONEY = "money"  # numeric(24,6) -> Decimal


@dataclass(frozen=True, slots=True)
class EntitySpec:
    entity: Entity
    record: type[tuple[Any, ...]]
    kinds: tuple[Kind, ...]  # one per record field
    # Columns the product uses when present (read as None, flags as False, when absent); every
    # other field (business key, cbMarq, cbModification, names, e-mail, filters) is required.
    optional: frozenset[str]
    key: tuple[str, ...]
    filters: tuple[tuple[str, int], ...]  # column = value, e.g. DO_Domaine = 0 (sales)

    @property
    def table(self) -> str:
        return self.entity.value

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(getattr(self.record, "_fields", ()))


_T, _I, _F, _R, _S, _M = Kind.TEXT, Kind.INT, Kind.FLAG, Kind.REF, Kind.STAMP, Kind.MONEY

SPECS: dict[Entity, EntitySpec] = {
    spec.entity: spec
    for spec in (
        EntitySpec(
            Entity.COLLABORATORS,
            Collaborator,
            (_I, _T, _T, _T, _T, _T, _T, _T, _F, _F, _F, _F, _T, _I, _S, _S),
            frozenset(
                {
                    "CO_Fonction",
                    "CO_Service",
                    "CO_Telephone",
                    "CO_TelPortable",
                    "CO_Vendeur",
                    "CO_Caissier",
                    "CO_Acheteur",
                    "CO_Sommeil",
                    "CO_Matricule",
                    "cbCreation",
                }
            ),
            key=("CO_No",),
            filters=(),
        ),
        EntitySpec(
            Entity.CUSTOMERS,
            Customer,
            (_T, _T, _I, _F, _R, _F, _T, _T, _T, _T, _T, _I, _S),
            frozenset(
                {
                    "CT_Prospect",
                    "CO_No",
                    "CT_Sommeil",
                    "CT_EMail",
                    "CT_Telephone",
                    "CT_CodePostal",
                    "CT_Ville",
                    "CT_Pays",
                }
            ),
            key=("CT_Num",),
            filters=(("CT_Type", 0),),
        ),
        EntitySpec(
            Entity.DOCUMENT_HEADERS,
            DocumentHeader,
            (_I, _I, _T, _S, _T, _T, _R, _I, _M, _M, _I, _S),
            frozenset(
                {"DO_Date", "DO_Ref", "DO_Tiers", "CO_No", "DO_Statut", "DO_TotalHT", "DO_TotalTTC"}
            ),
            key=("DO_Type", "DO_Piece"),
            filters=(("DO_Domaine", 0),),
        ),
        EntitySpec(
            Entity.DOCUMENT_LINES,
            DocumentLine,
            (_I, _I, _I, _T, _T, _I, _I, _T, _T, _M, _M, _M, _R, _S, _S, _M),
            frozenset(
                {
                    "CT_Num",
                    "DL_No",
                    "DL_Ligne",
                    "AR_Ref",
                    "DL_Design",
                    "DL_Qte",
                    "DL_PrixUnitaire",
                    "DL_MontantHT",
                    "CO_No",
                    "DO_Date",
                    "DL_MontantTTC",
                }
            ),
            key=(),
            filters=(("DO_Domaine", 0),),
        ),
    )
}
