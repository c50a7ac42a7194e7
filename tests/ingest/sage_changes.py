"""Changes made in a generated Sage 100 company the way Sage makes them: plain SQL, where
cbModification moves and cbMarq only grows."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

LATER = dt.datetime(2026, 1, 5, 10, 0)


def change_sage(path: Path) -> dict[str, Any]:
    """Update, insert and delete rows of every table; returns what was done."""
    stamp = LATER.isoformat(" ", "microseconds")
    with _sqlite(path) as db:
        first_collaborator = db.execute("SELECT MIN(CO_No) FROM F_COLLABORATEUR").fetchone()[0]
        db.execute(
            "UPDATE F_COLLABORATEUR SET CO_Fonction = 'Directeur', CO_Telephone = '0102030405', "
            "cbModification = ? WHERE CO_No = ?",
            (stamp, first_collaborator),
        )
        new_co_no = db.execute("SELECT MAX(CO_No) + 1 FROM F_COLLABORATEUR").fetchone()[0]
        _copy_row(db, "F_COLLABORATEUR", "CO_No = ?", (first_collaborator,),
                  CO_No=new_co_no, CO_Nom="NOUVEAU", CO_EMail=f"nouveau{new_co_no}@bijou-sa.fr",
                  cbModification=stamp)  # fmt: skip
        customer = db.execute(
            "SELECT CT_Num FROM F_COMPTET WHERE CT_Type = 0 ORDER BY cbMarq LIMIT 1 OFFSET 3"
        ).fetchone()[0]
        db.execute(
            "UPDATE F_COMPTET SET CT_Intitule = 'Bijouterie renommée', CT_Ville = 'Lyon', "
            "cbModification = ? WHERE CT_Num = ?",
            (stamp, customer),
        )
        _copy_row(db, "F_COMPTET", "CT_Num = ?", (customer,), CT_Num="ZNOUVEAU",
                  cbModification=stamp)  # fmt: skip
        # A customer without documents is deleted.
        gone = db.execute(
            "SELECT CT_Num FROM F_COMPTET c WHERE CT_Type = 0 AND NOT EXISTS "
            "(SELECT 1 FROM F_DOCENTETE d WHERE d.DO_Tiers = c.CT_Num) ORDER BY cbMarq LIMIT 1"
        ).fetchone()
        gone_customer = gone[0] if gone else None
        if gone_customer:
            db.execute("DELETE FROM F_COMPTET WHERE CT_Num = ?", (gone_customer,))
        # An order becomes a delivery note (same cbMarq, new key), its lines follow.
        do_type, piece = db.execute(
            "SELECT DO_Type, DO_Piece FROM F_DOCENTETE WHERE DO_Domaine = 0 AND DO_Type = 1 "
            "ORDER BY cbMarq LIMIT 1"
        ).fetchone()
        db.execute(
            "UPDATE F_DOCENTETE SET DO_Type = 3, DO_Piece = ?, cbModification = ? "
            "WHERE DO_Type = ? AND DO_Piece = ?",
            (f"BLT{piece[2:]}", stamp, do_type, piece),
        )
        db.execute(
            "UPDATE F_DOCLIGNE SET DO_Type = 3, DO_Piece = ?, cbModification = ? "
            "WHERE DO_Type = ? AND DO_Piece = ?",
            (f"BLT{piece[2:]}", stamp, do_type, piece),
        )
        # A quote and its lines are deleted.
        quote = db.execute(
            "SELECT DO_Piece FROM F_DOCENTETE WHERE DO_Domaine = 0 AND DO_Type = 0 "
            "ORDER BY cbMarq DESC LIMIT 1"
        ).fetchone()[0]
        db.execute("DELETE FROM F_DOCENTETE WHERE DO_Type = 0 AND DO_Piece = ?", (quote,))
        deleted_lines = db.execute(
            "DELETE FROM F_DOCLIGNE WHERE DO_Type = 0 AND DO_Piece = ?", (quote,)
        ).rowcount
        # A new line on an existing document.
        line = db.execute("SELECT MAX(cbMarq) FROM F_DOCLIGNE").fetchone()[0]
        _copy_row(db, "F_DOCLIGNE", "cbMarq = ?", (line,), DL_Design="Ajout",
                  cbModification=stamp)  # fmt: skip
    return {
        "collaborator": first_collaborator,
        "new_collaborator": new_co_no,
        "customer": customer,
        "deleted_customer": gone_customer,
        "transformed": piece,
        "deleted_quote": quote,
        "deleted_lines": deleted_lines,
    }


@contextmanager
def _sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(path)
    try:
        with db:
            yield db
    finally:
        db.close()


def _copy_row(
    db: sqlite3.Connection, table: str, where: str, params: tuple[Any, ...], **values: Any
) -> None:
    columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})") if row[1] != "cbMarq"]
    selected = ", ".join("?" if name in values else f'"{name}"' for name in columns)
    db.execute(
        f"INSERT INTO {table} ({', '.join(f'{chr(34)}{c}{chr(34)}' for c in columns)}) "
        f"SELECT {selected} FROM {table} WHERE {where}",
        (*[values[name] for name in columns if name in values], *params),
    )
