"""Collaborators (F_COLLABORATEUR) of a demo company, and helpers shared with the customers.

Rows are dicts holding the columns of both schema generations; the writer keeps the columns the
target table has. The dirt is described in docs/sage100-demo.md and in `seatbridge.sage100.demo`.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
import uuid
from dataclasses import dataclass, field
from typing import Any

from seatbridge.sage100.demo_data import (
    CITIES,
    DIRECTOR,
    FEMALE_FIRST_NAMES,
    LAST_NAMES,
    MALE_FIRST_NAMES,
    NO_DATE,
    REFERENCE_DATE,
    ROLES,
    SALES_DIRECTOR,
    Role,
)

Row = dict[str, Any]

# Each kind of collaborator dirt, in the order they are handed out (the first ones matter most),
# and whether it should land on a salesperson (the people the sync proposes to invite).
COLLABORATOR_DIRT = (
    ("email_null", False),
    ("dormant", True),
    ("email_empty", True),
    ("email_upper", True),
    ("email_spaces", True),
    ("email_shared", True),
    ("email_shared", False),
    ("email_two_addresses", True),
    ("email_invalid", False),
    ("name_spaces", True),
    ("email_null", True),
    ("email_empty", False),
    ("email_upper", False),
    ("email_spaces", False),
    ("dormant", False),
)
SWITCHBOARD = "01 42 60 12 12"


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits, as a mail admin types them: "Le Gall" -> "legall"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


@dataclass
class Staff:
    """What documents and customers need to know about the collaborators."""

    salespeople: list[int] = field(default_factory=list)
    active_salespeople: list[int] = field(default_factory=list)
    creator_guids: list[uuid.UUID] = field(default_factory=list)


def stamp_between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    seconds = max(0, int((end - start).total_seconds()))
    return start + dt.timedelta(seconds=rng.randint(0, seconds))


def phone(rng: random.Random, mobile: bool = False) -> str:
    head = rng.choice(("06", "07")) if mobile else rng.choice(("01", "02", "03", "04", "05"))
    pairs = [f"{rng.randint(0, 99):02d}" for _ in range(4)]
    # Written the way people typed them: mostly spaced, sometimes dotted.
    return head + (" " + " ".join(pairs) if rng.random() < 0.85 else "." + ".".join(pairs))


def optional_text(rng: random.Random, value: str) -> str | None:
    """A text that is often missing, as NULL or (Sage's habit) as an empty string."""
    draw = rng.random()
    if draw < 0.5:
        return value
    return "" if draw < 0.85 else None


def _pick_role(rng: random.Random) -> Role:
    roles = [role for role, _ in ROLES]
    weights = [weight for _, weight in ROLES]
    return rng.choices(roles, weights=weights)[0]


def collaborator_rows(rng: random.Random, count: int, domain: str, staff: Staff) -> list[Row]:
    """Build `count` collaborators; fills `staff` with the salespeople and creator GUIDs."""
    firsts = [(name, "f") for name in FEMALE_FIRST_NAMES] + [
        (name, "m") for name in MALE_FIRST_NAMES
    ]
    pairs = len(firsts) * len(LAST_NAMES)
    picks = rng.sample(range(pairs), min(count, pairs))
    staff.creator_guids = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(5)]
    rows: list[Row] = []
    for index in range(count):
        pick = picks[index] if index < pairs else rng.randrange(pairs)
        (first, gender), last = firsts[pick // len(LAST_NAMES)], LAST_NAMES[pick % len(LAST_NAMES)]
        if index >= pairs:
            last = f"{last} {index // pairs + 1}"  # past the name lists, keep Nom+Prénom unique
        role = DIRECTOR if index == 0 else SALES_DIRECTOR if index == 1 else _pick_role(rng)
        rows.append(_collaborator(rng, index + 1, first, gender, last, role, domain, staff))
    sales = [i for i in range(2, count) if rows[i]["CO_Vendeur"]]
    others = [i for i in range(2, count) if not rows[i]["CO_Vendeur"]]
    rng.shuffle(sales)
    rng.shuffle(others)
    for kind, on_salesperson in COLLABORATOR_DIRT:
        preferred, fallback = (sales, others) if on_salesperson else (others, sales)
        if preferred or fallback:
            _add_dirt(rows, (preferred or fallback).pop(), kind, domain)
    for row in rows:
        if row["CO_EMail"]:
            row["CO_EMail"] = row["CO_EMail"][:69]
        if row["CO_Vendeur"]:
            staff.salespeople.append(row["CO_No"])
            if not row["CO_Sommeil"]:
                staff.active_salespeople.append(row["CO_No"])
    return rows


def _collaborator(
    rng: random.Random,
    co_no: int,
    first: str,
    gender: str,
    last: str,
    role: Role,
    domain: str,
    staff: Staff,
) -> Row:
    created = stamp_between(rng, REFERENCE_DATE - dt.timedelta(days=3650), REFERENCE_DATE)
    modified = stamp_between(rng, created, REFERENCE_DATE)
    city = CITIES[0]
    shop = role.service == "Boutique"
    return {
        "CO_No": co_no,
        "CO_Nom": last.upper(),
        "CO_Prenom": first,
        "CO_Fonction": role.title_f if gender == "f" else role.title_m,
        "CO_Adresse": "12 rue de la Paix",
        "CO_Complement": optional_text(rng, "2e étage") if not shop else "",
        "CO_CodePostal": city.postcode,
        "CO_Ville": city.name,
        "CO_CodeRegion": "",
        "CO_Pays": "France",
        "CO_Service": role.service if rng.random() < 0.8 else "",
        "CO_Vendeur": role.vendeur,
        "CO_Caissier": role.caissier,
        "CO_Acheteur": role.acheteur,
        "CO_Receptionnaire": role.receptionnaire,
        "CO_ChargeRecouvr": role.recouvrement,
        "CO_Financier": role.financier,
        # Many share the switchboard number; the others have a direct line, or nothing.
        "CO_Telephone": SWITCHBOARD if rng.random() < 0.4 else optional_text(rng, phone(rng)),
        "CO_Telecopie": "" if rng.random() < 0.7 else None,
        "CO_TelPortable": (
            phone(rng, mobile=True) if role.vendeur else optional_text(rng, phone(rng, mobile=True))
        ),
        "CO_EMail": f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}",
        "CO_Matricule": f"M{co_no:05d}",
        "CO_Transmission": 0,
        "CO_Facebook": "",
        "CO_LinkedIn": f"in/{ascii_slug(first)}-{ascii_slug(last)}"[:35] if role.vendeur else "",
        "CO_Skype": "",
        "PROT_No": co_no if co_no <= 3 else None,
        "CO_Sommeil": 0,
        "CO_DateCreation": created.replace(hour=0, minute=0, second=0),
        "cbCreateur": "CSQL",
        "cbCreation": created,
        "cbCreationUser": staff.creator_guids[co_no % len(staff.creator_guids)],
        "cbModification": modified,
    }


def _add_dirt(rows: list[Row], position: int, kind: str, domain: str) -> None:
    row = rows[position]
    email: str = row["CO_EMail"]
    local = email.split("@", 1)[0]
    if kind == "email_null":
        row["CO_EMail"] = None
    elif kind == "email_empty":
        row["CO_EMail"] = ""
    elif kind == "email_upper":
        first, _, last = local.partition(".")
        row["CO_EMail"] = f"{first.capitalize()}.{last.upper()}@{domain.capitalize()}"
    elif kind == "email_spaces":
        row["CO_EMail"] = f"  {email} " if position % 2 else f"{email}   "
    elif kind == "email_shared":
        row["CO_EMail"] = f"boutique@{domain}"
    elif kind == "email_two_addresses":
        row["CO_EMail"] = f"{email};{local.replace('.', '')}@gmail.com"
    elif kind == "email_invalid":
        row["CO_EMail"] = f"{local}@{domain.replace('.', ',')}"
    elif kind == "dormant":
        row["CO_Sommeil"] = 1
    elif kind == "name_spaces":
        row["CO_Nom"] = f"{row['CO_Nom']}   "
        row["CO_Prenom"] = f" {row['CO_Prenom']}"
    # Older versions stored "no date" as 1753-01-01; give the dirty rows that too.
    row["CO_DateCreation"] = NO_DATE
