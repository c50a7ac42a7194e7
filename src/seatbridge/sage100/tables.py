"""SQLAlchemy Core definitions of the Sage 100 tables we read, in their two schema generations.

They reproduce the real column names (exact spelling: ``CO_EMail``), types and technical ``cb*``
columns given by the Sage 100 schema reference (``sage100-schema.md``), so that demo companies can
be created on SQLite, PostgreSQL, MariaDB and SQL Server. The computed ``cb<COL>`` varbinary
columns are left out.

- ``recent`` (v8+ / 100cloud): ``cbCreation``/``cbCreationUser``, ``cbHash*`` on documents, document
  totals, ``CO_Matricule``/``CO_Financier``/social columns, ``DO_Piece`` varchar(13),
  ``CT_Intitule`` varchar(69); our recent variant also has ``CO_Sommeil``.
- ``older`` (i7): none of the above, ``CO_DateCreation`` instead, ``smalldatetime`` stamps,
  ``DO_Piece`` varchar(9), ``CT_Intitule`` varchar(35).

No schema is set: on SQL Server the tables resolve to the login's default schema (``dbo``).
The metadata is separate from the store's: these tables belong to a Sage 100 company database.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from sqlalchemy import (
    CHAR,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects import mssql
from sqlalchemy.types import VARBINARY, TypeEngine

from seatbridge.sage100.errors import UnknownSchemaGeneration

SchemaGeneration = Literal["recent", "older"]
GENERATIONS: Final = ("recent", "older")

COLLABORATORS: Final = "F_COLLABORATEUR"
THIRD_PARTIES: Final = "F_COMPTET"
DOCUMENT_HEADERS: Final = "F_DOCENTETE"
DOCUMENT_LINES: Final = "F_DOCLIGNE"
TABLE_NAMES: Final = (COLLABORATORS, THIRD_PARTIES, DOCUMENT_HEADERS, DOCUMENT_LINES)


def check_generation(schema: str) -> SchemaGeneration:
    """Return `schema` as a generation name, or raise UnknownSchemaGeneration."""
    if schema == "recent":
        return "recent"
    if schema == "older":
        return "older"
    raise UnknownSchemaGeneration(schema=schema, expected=" | ".join(GENERATIONS))


def sage100_metadata(schema: str = "recent") -> MetaData:
    """Build the four tables of one schema generation on a new MetaData."""
    generation = check_generation(schema)
    metadata = MetaData()
    _Builder(metadata, recent=generation == "recent").build()
    return metadata


def _varchar(length: int) -> String:
    return String(length)


def _money() -> Numeric[Any]:
    return Numeric(24, 6)


def _hash() -> TypeEngine[bytes]:
    return LargeBinary().with_variant(VARBINARY(32), "mssql", "mysql", "mariadb")


class _Builder:
    """Builds the tables for one generation (the differences are a handful of `if recent`)."""

    def __init__(self, metadata: MetaData, *, recent: bool) -> None:
        self.metadata = metadata
        self.recent = recent
        # Older versions store dates as smalldatetime (minute precision) on SQL Server.
        self.stamp: TypeEngine[Any] = (
            DateTime() if recent else DateTime().with_variant(mssql.SMALLDATETIME(), "mssql")
        )
        self.piece = 13 if recent else 9

    def build(self) -> None:
        self._collaborators()
        self._third_parties()
        self._headers()
        self._lines()

    def _flags(self, *names: str) -> list[Column[Any]]:
        return [Column(name, SmallInteger) for name in names]

    def _technical(self, *, hashed: bool = False) -> list[Column[Any]]:
        columns: list[Column[Any]] = [
            Column("cbMarq", Integer, nullable=False, autoincrement=True),
            Column("cbProt", SmallInteger, server_default=text("0")),
            Column("cbCreateur", CHAR(4), server_default="CSQL"),
            Column("cbModification", self.stamp, server_default=func.current_timestamp()),
            Column("cbReplication", Integer, server_default=text("0")),
            Column("cbFlag", SmallInteger, server_default=text("0")),
        ]
        if self.recent:
            columns += [
                Column("cbCreation", DateTime, server_default=func.current_timestamp()),
                Column("cbCreationUser", Uuid),
            ]
            if hashed:
                columns += [
                    Column("cbHash", _hash()),
                    Column("cbHashVersion", SmallInteger),
                    Column("cbHashDate", DateTime),
                    Column("cbHashOrder", Integer),
                ]
        return columns

    def _table(self, name: str, *items: Any) -> Table:
        # AUTOINCREMENT on SQLite: like an IDENTITY, a deleted cbMarq is never handed out again.
        return Table(
            name,
            self.metadata,
            *items,
            PrimaryKeyConstraint("cbMarq", name=f"PK_CBMARQ_{name}"),
            sqlite_autoincrement=True,
        )

    def _collaborators(self) -> None:
        recent = self.recent
        columns: list[Column[Any]] = [
            Column("CO_No", Integer),
            Column("CO_Nom", _varchar(35)),
            Column("CO_Prenom", _varchar(35)),
            Column("CO_Fonction", _varchar(35)),
            Column("CO_Adresse", _varchar(35)),
            Column("CO_Complement", _varchar(35)),
            Column("CO_CodePostal", _varchar(9)),
            Column("CO_Ville", _varchar(35)),
            Column("CO_CodeRegion", _varchar(25)),
            Column("CO_Pays", _varchar(35)),
            Column("CO_Service", _varchar(35)),
            *self._flags("CO_Vendeur", "CO_Caissier", "CO_Acheteur", "CO_Receptionnaire"),
            *self._flags("CO_ChargeRecouvr"),
            *(self._flags("CO_Financier") if recent else []),
            Column("CO_Telephone", _varchar(21)),
            Column("CO_Telecopie", _varchar(21)),
            Column("CO_TelPortable", _varchar(21)),
            Column("CO_EMail", _varchar(69)),
        ]
        if recent:
            columns += [
                Column("CO_Matricule", _varchar(11)),
                Column("CO_Transmission", SmallInteger),
                Column("CO_Facebook", _varchar(35)),
                Column("CO_LinkedIn", _varchar(35)),
                Column("CO_Skype", _varchar(35)),
            ]
        columns.append(Column("PROT_No", Integer))
        if recent:
            columns.append(Column("CO_Sommeil", SmallInteger))
        else:
            columns.append(Column("CO_DateCreation", self.stamp))
        self._table(
            COLLABORATORS,
            *columns,
            *self._technical(),
            Index("ICO_CONO", "CO_No", unique=True),
            Index("ICO_NOM", "CO_Nom", "CO_Prenom", unique=True),
        )

    def _third_parties(self) -> None:
        recent = self.recent
        columns: list[Column[Any]] = [
            Column("CT_Num", _varchar(17), nullable=False),
            Column("CT_Intitule", _varchar(69 if recent else 35)),
            Column("CT_Type", SmallInteger),
            *(self._flags("CT_Prospect") if recent else []),
            Column("CG_NumPrinc", _varchar(13)),
            Column("CT_Qualite", _varchar(17)),
            Column("CT_Classement", _varchar(17)),
            Column("CT_Contact", _varchar(35)),
            Column("CT_Adresse", _varchar(35)),
            Column("CT_Complement", _varchar(35)),
            Column("CT_CodePostal", _varchar(9)),
            Column("CT_Ville", _varchar(35)),
            Column("CT_CodeRegion", _varchar(25)),
            Column("CT_Pays", _varchar(35)),
            Column("CT_Raccourci", _varchar(7)),
            Column("CT_Ape", _varchar(7)),
            Column("CT_Identifiant", _varchar(25)),
            Column("CT_Siret", _varchar(15)),
            Column("CT_Telephone", _varchar(21)),
            Column("CT_Telecopie", _varchar(21)),
            Column("CT_EMail", _varchar(69)),
            Column("CT_Site", _varchar(69)),
            Column("CT_Commentaire", _varchar(35)),
            Column("CO_No", Integer),
            Column("CT_NumPayeur", _varchar(17)),
            Column("CT_NumCentrale", _varchar(17)),
            *self._flags("N_CatTarif", "N_CatCompta", "N_Risque", "N_Period"),
            *self._flags("N_Expedition", "N_Condition", "N_Devise"),
            Column("CT_Encours", _money()),
            Column("CT_Assurance", _money()),
            Column("CT_Sommeil", SmallInteger),
            Column("DE_No", Integer),
            Column("CT_Surveillance", SmallInteger),
        ]
        if recent:
            columns += [
                Column("CT_Facebook", _varchar(35)),
                Column("CT_LinkedIn", _varchar(35)),
                *self._flags("CT_GDPR", "CT_ExclureTrait"),
                Column("CT_DateMAJ", DateTime),
            ]
        self._table(
            THIRD_PARTIES,
            *columns,
            *self._technical(),
            Index("UKA_F_COMPTET_CT_Num", "CT_Num", unique=True),
            Index("ICT_CONO", "CO_No"),
        )

    def _headers(self) -> None:
        columns: list[Column[Any]] = [
            *self._flags("DO_Domaine", "DO_Type"),
            Column("DO_Piece", _varchar(self.piece)),
            Column("DO_Date", self.stamp),
            Column("DO_Ref", _varchar(17)),
            Column("DO_Tiers", _varchar(17)),
            Column("CT_NumPayeur", _varchar(17)),
            Column("CO_No", Integer),
            Column("CO_NoCaissier", Integer),
            *self._flags("DO_Statut", "DO_Souche"),
            Column("DE_No", Integer),
            Column("LI_No", Integer),
            Column("DO_DateLivr", self.stamp),
            Column("DO_Heure", CHAR(9)),
        ]
        if self.recent:
            columns += [
                Column(name, _money())
                for name in (
                    "DO_TotalHT",
                    "DO_TotalHTNet",
                    "DO_TotalTTC",
                    "DO_NetAPayer",
                    "DO_MontantRegle",
                )
            ]
        columns += self._flags(
            "DO_Reliquat", "DO_Cloture", "DO_Valide", "DO_Transfere", "DO_Imprim", "DO_Provenance"
        )
        if self.recent:
            columns.append(Column("DO_Guid", Uuid))
        columns.append(Column("DO_PieceOrig", _varchar(self.piece)))
        self._table(
            DOCUMENT_HEADERS,
            *columns,
            *self._technical(hashed=True),
            Index("UKA_F_DOCENTETE_DO_Piece", "DO_Domaine", "DO_Type", "DO_Piece", unique=True),
        )

    def _lines(self) -> None:
        stages = ("BC", "BL", "PL", "DE")
        self._table(
            DOCUMENT_LINES,
            *self._flags("DO_Domaine", "DO_Type"),
            Column("DO_Piece", _varchar(self.piece)),
            Column("CT_Num", _varchar(17)),
            Column("DL_No", Integer),
            Column("DL_Ligne", Integer),
            Column("AR_Ref", _varchar(19)),
            Column("DL_Design", _varchar(69)),
            Column("DL_Qte", _money()),
            Column("DL_PrixUnitaire", _money()),
            Column("DL_PUTTC", _money()),
            Column("DL_MontantHT", _money()),
            Column("DL_MontantTTC", _money()),
            Column("DL_Remise01REM_Valeur", _money()),
            Column("DL_Remise01REM_Type", SmallInteger),
            Column("CO_No", Integer),
            Column("DE_No", Integer),
            *[Column(f"DL_Piece{stage}", _varchar(self.piece)) for stage in stages],
            *[Column(f"DL_Date{stage}", self.stamp) for stage in stages],
            *[Column(f"DL_Qte{stage}", _money()) for stage in stages],
            Column("DL_NoLink", Integer),
            Column("DO_Date", self.stamp),
            *self._technical(hashed=True),
            Index("IDL_PIECE", "DO_Domaine", "DO_Type", "DO_Piece"),
        )
