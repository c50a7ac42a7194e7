"""A Sage 100 demo company file that tests edit with plain SQL, and what its copy should be.

The expected copy is computed here from the raw Sage rows with plain sqlite3 and the cleaning
rules written out again (trim, '' -> None, CO_No 0 -> None, 1753-01-01 -> None, amounts in
millionths), independently of the reader and of the replication code under test.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

FIRST_REAL_DATE = dt.datetime(1753, 1, 2)

CUSTOMER_SQL = (
    "SELECT CT_Num, CT_Intitule, CT_Prospect, CO_No, CT_Sommeil, CT_EMail, CT_Telephone, "
    "CT_CodePostal, CT_Ville, CT_Pays, cbMarq, cbModification FROM F_COMPTET WHERE CT_Type = 0"
)
HEADER_SQL = (
    "SELECT DO_Type, DO_Piece, DO_Date, DO_Ref, DO_Tiers, CO_No, DO_Statut, DO_TotalHT, "
    "DO_TotalTTC, cbMarq, cbModification FROM F_DOCENTETE WHERE DO_Domaine = 0"
)
LINE_SQL = (
    "SELECT cbMarq, DO_Type, DO_Piece, CT_Num, DL_No, DL_Ligne, AR_Ref, DL_Design, DL_Qte, "
    "DL_PrixUnitaire, DL_MontantHT, CO_No, DO_Date, cbModification FROM F_DOCLIGNE "
    "WHERE DO_Domaine = 0"
)


def text(value: str | None) -> str | None:
    return (value.strip() or None) if value else None


def stamp(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed >= FIRST_REAL_DATE else None


def micros(value: float | None) -> int | None:
    return None if value is None else round(value * 1_000_000)


class SageFile:
    """One company file; every edit bumps cbModification like Sage's triggers do."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"
        self._tick = dt.datetime(2030, 1, 1)

    def stamp(self) -> str:
        """A fresh cbModification, later than anything in the file."""
        self._tick += dt.timedelta(minutes=1)
        return self._tick.isoformat(" ", "microseconds")

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(self.path)) as connection:
            return connection.execute(sql, params).fetchall()

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        with closing(sqlite3.connect(self.path)) as connection, connection:
            return connection.execute(sql, params).rowcount

    def insert(self, table: str, values: dict[str, Any]) -> int:
        names = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        with closing(sqlite3.connect(self.path)) as connection, connection:
            cursor = connection.execute(
                f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(values.values())
            )
            return int(cursor.lastrowid or 0)

    # The copy as it should be, keyed like the store.

    def expected_customers(self) -> dict[str, tuple[Any, ...]]:
        return {
            text(num) or "": (
                text(name),
                None if prospect is None else bool(prospect),
                rep or None,
                bool(dormant),
                text(email),
                text(phone),
                text(postcode),
                text(city),
                text(country),
                marq,
                stamp(modified),
            )
            for (
                num,
                name,
                prospect,
                rep,
                dormant,
                email,
                phone,
                postcode,
                city,
                country,
                marq,
                modified,
            ) in self.rows(CUSTOMER_SQL)
        }

    def expected_headers(self) -> dict[tuple[int, str], tuple[Any, ...]]:
        return {
            (kind, text(piece) or ""): (
                stamp(date),
                text(ref),
                text(tiers),
                rep or None,
                status,
                micros(total_ht),
                micros(total_ttc),
                marq,
                stamp(modified),
            )
            for (
                kind,
                piece,
                date,
                ref,
                tiers,
                rep,
                status,
                total_ht,
                total_ttc,
                marq,
                modified,
            ) in self.rows(HEADER_SQL)
        }

    def expected_lines(self) -> dict[int, tuple[Any, ...]]:
        return {
            marq: (
                kind,
                text(piece),
                text(ct_num),
                dl_no,
                position,
                text(ar_ref),
                text(design),
                micros(qty),
                micros(price),
                micros(amount),
                rep or None,
                stamp(date),
                stamp(modified),
            )
            for (
                marq,
                kind,
                piece,
                ct_num,
                dl_no,
                position,
                ar_ref,
                design,
                qty,
                price,
                amount,
                rep,
                date,
                modified,
            ) in self.rows(LINE_SQL)
        }

    def documents(self) -> Iterator[tuple[int, str, str | None, int | None, float | None, str]]:
        """(DO_Type, DO_Piece, DO_Tiers, CO_No, DO_TotalHT, DO_Date) of every sales document."""
        sql = (
            "SELECT DO_Type, trim(DO_Piece), trim(DO_Tiers), CO_No, DO_TotalHT, DO_Date "
            "FROM F_DOCENTETE WHERE DO_Domaine = 0"
        )
        yield from self.rows(sql)
