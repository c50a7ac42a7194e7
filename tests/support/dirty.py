"""A company of a real layout (tests.support.sage_layouts) holding one of each kind of bad row,
written by hand, and what the run report must say about each."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.support.sage_layouts import Layout, SageCompany


@dataclass
class Dirty:
    company: SageCompany
    # (table, cbMarq, column, reason) the report must list; set aside or cleaned.
    set_aside: set[tuple[str, int, str, str]] = field(default_factory=set)
    cleaned: set[tuple[str, int, str, str]] = field(default_factory=set)
    good_collaborators: set[int] = field(default_factory=set)
    good_customers: set[str] = field(default_factory=set)
    good_documents: set[tuple[int, str]] = field(default_factory=set)


def dirty_company(path: Path, layout: Layout = "recent") -> Dirty:
    sage = SageCompany(path, layout)
    dirty = Dirty(sage)
    co, ct, do, dl = "F_COLLABORATEUR", "F_COMPTET", "F_DOCENTETE", "F_DOCLIGNE"

    # Collaborators
    for number, (nom, prenom) in enumerate([("DUPONT", "Jean"), ("MARTIN", "Claire")], 1):
        sage.collaborator(number, nom, prenom, f"{prenom.lower()}.{nom.lower()}@bijou-sa.fr")
        dirty.good_collaborators.add(number)
    marq = sage.collaborator(None, "SANSNUMERO", "Paul", "paul@bijou-sa.fr")
    dirty.set_aside.add((co, marq, "CO_No", "empty_key"))
    marq = sage.collaborator(3, "LE\x00ROUX", "Anne", "anne.leroux@bijou-sa.fr")
    dirty.cleaned.add((co, marq, "CO_Nom", "nul_removed"))
    dirty.good_collaborators.add(3)
    marq = sage.collaborator(
        4,
        "BERNARD",
        "Luc",
        "luc@bijou-sa.fr",
        CO_Fonction="Responsable des grands comptes joaillerie Nord-Est",
    )
    dirty.cleaned.add((co, marq, "CO_Fonction", "trimmed"))
    dirty.good_collaborators.add(4)
    marq = sage.collaborator(5, "PETIT", "<script>alert(1)</script>", "petit@bijou-sa.fr")
    dirty.cleaned.add((co, marq, "CO_Prenom", "markup"))
    dirty.good_collaborators.add(5)
    first = sage.collaborator(7, "ROBERT", "Marc", "marc.robert@bijou-sa.fr")
    sage.collaborator(7, "RICHARD", "Marc", "marc.richard@bijou-sa.fr")
    dirty.set_aside.add((co, first, "CO_No", "duplicate_key"))
    dirty.good_collaborators.add(7)
    if layout != "older":
        marq = sage.collaborator(8, "DURAND", "Eve", "eve@bijou-sa.fr", cbCreation="hier")
        dirty.set_aside.add((co, marq, "cbCreation", "unreadable"))

    # Customers
    for num, name in (("CARAT", "Bijouterie Carat"), ("ECRIN", "L'Écrin")):
        sage.customer(num, name, 1)
        dirty.good_customers.add(num)
    marq = sage.customer("   ", "Sans code", 1)
    dirty.set_aside.add((ct, marq, "CT_Num", "empty_key"))
    marq = sage.customer("CLIENTAUCODETROPLONG", "Code trop long", 1)
    dirty.set_aside.add((ct, marq, "CT_Num", "key_too_long"))
    marq = sage.customer("PERLE", "Perle\x00 d'or", 2)
    dirty.cleaned.add((ct, marq, "CT_Intitule", "nul_removed"))
    dirty.good_customers.add("PERLE")
    first = sage.customer("SAPHIR", "Saphir (ancien)", 2)
    sage.customer("SAPHIR ", "Saphir", 2)  # another cbCT_Num for Sage; one key once trimmed
    dirty.set_aside.add((ct, first, "CT_Num", "duplicate_key"))
    dirty.good_customers.add("SAPHIR")

    # Documents: FA00001..3 are good, with one line each.
    for index, (tiers, rep, amount) in enumerate(
        [("CARAT", 1, 100.0), ("ECRIN", 2, 250.0), ("PERLE", None, 40.0)], 1
    ):
        piece = f"FA{index:05}"
        sage.document(6, piece, tiers, rep)
        sage.line(6, piece, tiers, amount, CO_No=rep)
        dirty.good_documents.add((6, piece))
    marq = sage.document(6, None, "CARAT", 1)
    dirty.set_aside.add((do, marq, "DO_Piece", "empty_key"))
    marq = sage.document(6, "", "CARAT", 1)
    dirty.set_aside.add((do, marq, "DO_Piece", "empty_key"))
    marq = sage.document(6, "FA00009", "CARAT", 1, date="le 3 mars")
    dirty.set_aside.add((do, marq, "DO_Date", "unreadable"))
    marq = sage.document(6, "FA00010", "ECRIN", 2, DO_Ref="COMMANDE-CLIENT-2026-0042")
    dirty.cleaned.add((do, marq, "DO_Ref", "trimmed"))
    dirty.good_documents.add((6, "FA00010"))
    marq = sage.line(6, "", "CARAT", 10.0)
    dirty.set_aside.add((dl, marq, "DO_Piece", "empty_key"))
    marq = sage.line(6, "FA00010", "ECRIN", 12.0, date="trente-et-un")
    dirty.set_aside.add((dl, marq, "DO_Date", "unreadable"))
    return dirty


def listed(report: dict, *, set_aside: bool) -> set[tuple[str, int, str, str]]:  # type: ignore[type-arg]
    """(table, cbMarq, column, reason) of a run report's rows."""
    return {
        (table, row["cbMarq"], row["column"], row["reason"])
        for table, part in report.items()
        for row in part["rows"]
        if row["set_aside"] is set_aside
    }
