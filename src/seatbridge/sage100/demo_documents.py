"""Sales documents (F_DOCENTETE headers and F_DOCLIGNE lines) of a demo company, streamed.

Rows are tuples in the order of `HEADER_COLUMNS` / `LINE_COLUMNS` (the recent generation's columns;
the writer projects them onto older tables). Values go through a `Codec`, so that the SQLite fast
path gets what the driver stores (ISO text, floats) without a second pass over a million rows.
This loop is the hot path of `make-demo`: it avoids per-row dicts and function layers on purpose.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import uuid
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from seatbridge.sage100.demo_customers import CustomerPlan
from seatbridge.sage100.demo_data import (
    ARTICLES,
    COMMENT_LINES,
    DOCUMENT_PREFIXES,
    HISTORY_DAYS,
    NO_DATE,
    OLD_TYPE_WEIGHTS,
    RECENT_DAYS,
    RECENT_TYPE_WEIGHTS,
    REFERENCE_DATE,
    VAT_RATE_PERCENT,
)
from seatbridge.sage100.demo_people import Staff

HEADER_COLUMNS = (
    "DO_Domaine", "DO_Type", "DO_Piece", "DO_Date", "DO_Ref", "DO_Tiers", "CT_NumPayeur", "CO_No",
    "CO_NoCaissier", "DO_Statut", "DO_Souche", "DE_No", "LI_No", "DO_DateLivr", "DO_Heure",
    "DO_TotalHT", "DO_TotalHTNet", "DO_TotalTTC", "DO_NetAPayer", "DO_MontantRegle", "DO_Reliquat",
    "DO_Cloture", "DO_Valide", "DO_Transfere", "DO_Imprim", "DO_Provenance", "DO_Guid",
    "DO_PieceOrig", "cbProt", "cbCreateur", "cbModification", "cbReplication", "cbFlag",
    "cbCreation", "cbCreationUser", "cbHash", "cbHashVersion", "cbHashDate", "cbHashOrder",
)  # fmt: skip
LINE_COLUMNS = (
    "DO_Domaine", "DO_Type", "DO_Piece", "CT_Num", "DL_No", "DL_Ligne", "AR_Ref", "DL_Design",
    "DL_Qte", "DL_PrixUnitaire", "DL_PUTTC", "DL_MontantHT", "DL_MontantTTC",
    "DL_Remise01REM_Valeur", "DL_Remise01REM_Type", "CO_No", "DE_No", "DL_PieceBC", "DL_PieceBL",
    "DL_PiecePL", "DL_PieceDE", "DL_DateBC", "DL_DateBL", "DL_DatePL", "DL_DateDE", "DL_QteBC",
    "DL_QteBL", "DL_QtePL", "DL_QteDE", "DL_NoLink", "DO_Date", "cbProt", "cbCreateur",
    "cbModification", "cbReplication", "cbFlag", "cbCreation", "cbCreationUser", "cbHash",
    "cbHashVersion", "cbHashDate", "cbHashOrder",
)  # fmt: skip
# Position of the document's own stage among DL_Piece{BC,BL,PL,DE}, per DO_Type.
_STAGE = {1: 0, 3: 1, 2: 2, 0: 3}
# Every this many documents one has CO_No 0 for sure (besides the random ones).
_NO_REP_EVERY = 50

Batch = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], int]


class Codec(NamedTuple):
    """How values are handed to the database driver."""

    stamp: Callable[[dt.datetime], Any]
    money: Callable[[int], Any]  # from hundredths (cents; 1/100 of a quantity)
    guid: Callable[[uuid.UUID], Any]


def document_batches(
    rng: random.Random,
    count: int,
    customers: list[CustomerPlan],
    staff: Staff,
    codec: Codec,
    *,
    minute_stamps: bool,
    batch_lines: int,
) -> Iterator[Batch]:
    """Yield (headers, lines, documents done so far) in batches of about `batch_lines` lines."""
    active = [c for c in customers if not c.prospect and not c.dormant]
    prospects = [c for c in customers if c.prospect]
    dormant = [c for c in customers if c.dormant]
    salespeople = staff.salespeople
    guids = [codec.guid(g) for g in staff.creator_guids] or [None]
    cum_old = list(itertools.accumulate(OLD_TYPE_WEIGHTS))
    cum_recent = list(itertools.accumulate(RECENT_TYPE_WEIGHTS))
    start = REFERENCE_DATE.replace(hour=0, minute=0) - dt.timedelta(days=HISTORY_DAYS)
    counters = dict.fromkeys(DOCUMENT_PREFIXES, 0)
    money, stamp, randbytes = codec.money, codec.stamp, rng.randbytes
    random_, randrange = rng.random, rng.randrange
    zero, no_date = money(0), stamp(NO_DATE)
    articles = [
        (a.ref, a.design, a.max_qty, a.price_cents, money(a.price_cents),
         money((a.price_cents * (100 + VAT_RATE_PERCENT) + 50) // 100))
        for a in ARTICLES
    ]  # fmt: skip
    dl_no = hash_order = 0
    headers: list[tuple[Any, ...]] = []
    lines: list[tuple[Any, ...]] = []
    for index in range(count):
        offset = index * HISTORY_DAYS // count  # chronological, like cbMarq in a real company
        age = HISTORY_DAYS - offset
        if index < len(DOCUMENT_PREFIXES):
            do_type = index  # every type exists, whatever the seed
        else:
            cum = cum_recent if age <= RECENT_DAYS else cum_old
            do_type = bisect.bisect(cum, random_() * cum[-1])
        if do_type == 0 and prospects and random_() < 0.2:
            customer = prospects[randrange(len(prospects))]
        elif dormant and age > 365 and random_() < 0.05:
            customer = dormant[randrange(len(dormant))]
        else:
            customer = active[int(len(active) * random_() ** 2)]  # a few big customers
        draw = random_()
        if draw < 0.07 or index % _NO_REP_EVERY == 8:
            co_no = 0  # no representative: the customer's representative owns the document
        elif draw < 0.12 and salespeople:
            co_no = salespeople[randrange(len(salespeople))]
        else:
            co_no = customer.co_no
        hour, minute, second = rng.randint(8, 18), randrange(60), randrange(60)
        day = start + dt.timedelta(days=offset)
        created = day.replace(hour=hour, minute=minute, second=0 if minute_stamps else second)
        modified = created
        if random_() < 0.4:
            modified = min(REFERENCE_DATE, created + dt.timedelta(seconds=rng.randint(60, 1728000)))
            if minute_stamps:
                modified = modified.replace(second=0)
        prefix = DOCUMENT_PREFIXES[do_type]
        counters[prefix] += 1
        piece = f"{prefix}{counters[prefix]:05d}"
        tiers = customer.ct_num
        day_v, created_v, modified_v = stamp(day), stamp(created), stamp(modified)
        creator = guids[randrange(len(guids))]
        hashed = do_type >= 6
        stage = _STAGE.get(do_type)
        pieces = ["", "", "", ""]
        dates = [no_date, no_date, no_date, no_date]
        if stage is not None:
            pieces[stage], dates[stage] = piece, day_v
        total = 0
        for position in range(1, 2 + randrange(9)):
            dl_no += 1
            if random_() < 0.04:
                ar_ref, design, qty, price_v, puttc_v = "", rng.choice(COMMENT_LINES), 0, zero, zero
                amount = remise = 0
            else:
                ar_ref, design, max_qty, price, price_v, puttc_v = articles[
                    randrange(len(articles))
                ]
                qty = 1 + randrange(max_qty)
                remise = 0 if random_() < 0.85 else 5 if random_() < 0.6 else 10
                amount = (qty * price * (100 - remise) + 50) // 100
            total += amount
            qty_v = money(qty * 100)
            quantities = [zero, zero, zero, zero]
            if stage is not None:
                quantities[stage] = qty_v
            if hashed:
                hash_order += 1
            lines.append((
                0, do_type, piece, tiers, dl_no, position * 1000, ar_ref, design, qty_v, price_v,
                puttc_v, money(amount), money((amount * (100 + VAT_RATE_PERCENT) + 50) // 100),
                money(remise * 100), 1 if remise else 0, co_no, 1, *pieces, *dates, *quantities,
                0, day_v, 0, "CSQL", modified_v, 0, 0, created_v, creator,
                randbytes(32) if hashed else None, 1 if hashed else None,
                modified_v if hashed else None, hash_order if hashed else None,
            ))  # fmt: skip
        total_ttc = (total * (100 + VAT_RATE_PERCENT) + 50) // 100
        if do_type == 0:
            status = randrange(3) if age <= RECENT_DAYS else 2 + randrange(3)
        else:
            status = randrange(3) if age <= RECENT_DAYS else 2
        delivery = day + dt.timedelta(days=rng.randint(2, 10)) if do_type in (1, 2, 3) else None
        if hashed:
            hash_order += 1
        headers.append((
            0, do_type, piece, day_v, f"CDE{rng.randint(1000, 99999)}" if random_() < 0.3 else "",
            tiers, tiers, co_no, 0, status, 0, 1, 0,
            stamp(delivery) if delivery else no_date, f"000{hour:02d}{minute:02d}{second:02d}",
            money(total), money(total), money(total_ttc), money(total_ttc),
            money(total_ttc if do_type == 7 else 0), 0, 0, 1 if do_type == 7 else 0, 0,
            1 if age > 2 else 0, 0, codec.guid(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "", 0, "CSQL", modified_v, 0, 0, created_v, creator,
            randbytes(32) if hashed else None, 1 if hashed else None,
            modified_v if hashed else None, hash_order if hashed else None,
        ))  # fmt: skip
        if len(lines) >= batch_lines:
            yield headers, lines, index + 1
            headers, lines = [], []
    if headers:
        yield headers, lines, count
