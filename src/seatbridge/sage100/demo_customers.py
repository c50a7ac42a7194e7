"""Third parties (F_COMPTET) of a demo company: customers (CARAT first) and a few suppliers."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from seatbridge.sage100.demo_data import (
    CITIES,
    FEMALE_FIRST_NAMES,
    LAST_NAMES,
    LEGAL_FORMS,
    MALE_FIRST_NAMES,
    REFERENCE_DATE,
    SHOP_KINDS,
    STREETS,
)
from seatbridge.sage100.demo_people import (
    Row,
    Staff,
    ascii_slug,
    optional_text,
    phone,
    stamp_between,
)

ALL_FIRST_NAMES = FEMALE_FIRST_NAMES + MALE_FIRST_NAMES
SUPPLIERS = (
    ("BRELO", "Brelo Métaux Précieux"),
    ("ORFEO", "Orféo Apprêts"),
    ("ECRINPACK", "Écrin Pack"),
)


@dataclass(frozen=True, slots=True)
class CustomerPlan:
    ct_num: str
    co_no: int
    prospect: bool
    dormant: bool


def customer_rows(
    rng: random.Random, count: int, staff: Staff
) -> tuple[list[Row], list[CustomerPlan]]:
    """Build `count` customers (CT_Type 0, CARAT first) plus a few suppliers."""
    rows: list[Row] = []
    plans: list[CustomerPlan] = []
    used = {code for code, _ in SUPPLIERS}
    for index in range(count):
        if index == 0:
            code, name = "CARAT", "Carat Joaillerie"
        else:
            last = rng.choice(LAST_NAMES)
            kind = rng.choice(SHOP_KINDS)
            joiner = " de " if kind == "L'Écrin" else " "
            name = f"{kind}{joiner}{last}{rng.choice(LEGAL_FORMS)}"
            code = _unique_code(ascii_slug(last).upper()[:12], used)
        used.add(code)
        # The second customer is a prospect and the third is dormant, so both always exist.
        prospect = index == 1 or (index > 2 and rng.random() < 0.08)
        dormant = index == 2 or (index > 2 and not prospect and rng.random() < 0.05)
        reps = staff.active_salespeople
        co_no = rng.choice(reps) if reps and (index == 0 or rng.random() < 0.95) else 0
        row = _third_party(rng, code, name, 0, co_no, staff)
        row["CT_Prospect"] = int(prospect)
        row["CT_Sommeil"] = int(dormant)
        rows.append(row)
        plans.append(CustomerPlan(code, co_no, prospect, dormant))
    for position in rng.sample(range(1, count), min(2, max(0, count - 1))):
        # Pasted from a spreadsheet: stray quotes and spaces around the name and city.
        rows[position]["CT_Intitule"] = f'"{rows[position]["CT_Intitule"][:31]}" '
        rows[position]["CT_Ville"] = f"{rows[position]['CT_Ville']}  "
    for code, name in SUPPLIERS:
        rows.append(_third_party(rng, code, name, 1, 0, staff))
    return rows, plans


def _unique_code(base: str, used: set[str]) -> str:
    code, suffix = base, 1
    while code in used:
        code = f"{base}{suffix}"
        suffix += 1
    return code


def _third_party(
    rng: random.Random, code: str, name: str, ct_type: int, co_no: int, staff: Staff
) -> Row:
    city = rng.choice(CITIES)
    created = stamp_between(rng, REFERENCE_DATE - dt.timedelta(days=4000), REFERENCE_DATE)
    modified = stamp_between(rng, created, REFERENCE_DATE)
    slug = ascii_slug(name)[:20]
    email_draw = rng.random()
    email = f"contact@{slug}.fr" if email_draw < 0.75 else "" if email_draw < 0.9 else None
    return {
        "CT_Num": code,
        "CT_Intitule": name[:35],
        "CT_Type": ct_type,
        "CT_Prospect": 0,
        "CG_NumPrinc": "4110000" if ct_type == 0 else "4010000",
        "CT_Qualite": "",
        "CT_Classement": name.upper()[:17],
        "CT_Contact": f"{rng.choice(ALL_FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        "CT_Adresse": f"{rng.randint(1, 120)} {rng.choice(STREETS)}"[:35],
        "CT_Complement": optional_text(rng, "Centre commercial"),
        "CT_CodePostal": city.postcode,
        "CT_Ville": city.name,
        "CT_CodeRegion": city.region[:25] if rng.random() < 0.5 else "",
        "CT_Pays": "France" if rng.random() < 0.9 else "",
        "CT_Raccourci": "",
        "CT_Ape": "4777Z",
        "CT_Identifiant": f"FR{rng.randint(10**10, 10**11 - 1)}",
        "CT_Siret": f"{rng.randint(10**13, 10**14 - 1)}",
        "CT_Telephone": phone(rng),
        "CT_Telecopie": "",
        "CT_EMail": email,
        "CT_Site": f"www.{slug}.fr" if rng.random() < 0.4 else "",
        "CT_Commentaire": "",
        "CO_No": co_no,
        "CT_NumPayeur": code,
        "CT_NumCentrale": "",
        "N_CatTarif": 1,
        "N_CatCompta": 1,
        "N_Risque": 1,
        "N_Period": 1,
        "N_Expedition": 1,
        "N_Condition": 1,
        "N_Devise": 0,
        "CT_Encours": Decimal(rng.choice((0, 5000, 10000, 20000))),
        "CT_Assurance": Decimal(0),
        "CT_Sommeil": 0,
        "DE_No": 1,
        "CT_Surveillance": 0,
        "CT_Facebook": "",
        "CT_LinkedIn": "",
        "CT_GDPR": 0,
        "CT_ExclureTrait": 0,
        "CT_DateMAJ": modified,
        "cbCreateur": "CSQL",
        "cbCreation": created,
        "cbCreationUser": rng.choice(staff.creator_guids) if staff.creator_guids else None,
        "cbModification": modified,
    }
