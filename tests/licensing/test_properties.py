"""Properties: any valid terms round-trip; no one-character change yields another valid code."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from seatbridge.licensing import (
    MAX_CUSTOMER_LENGTH,
    MAX_ENVIRONMENTS,
    MAX_GRACE_DAYS,
    MAX_SEATS,
    Edition,
    KeyRing,
    LicenseError,
    LicenseTerms,
    generate_signing_key,
    issue_code,
    normalise_code,
    read_code,
)
from seatbridge.licensing.crockford import ALPHABET
from seatbridge.licensing.layout import EPOCH, LAST_DATE

KEY = generate_signing_key("prop-1")
KEYRING = KeyRing({KEY.key_id: KEY.public_key})
FAST = settings(max_examples=150, deadline=None)

customers = (
    st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), min_size=1, max_size=70)
    .map(lambda name: unicodedata.normalize("NFC", name).strip())
    .filter(lambda name: 0 < len(name) <= MAX_CUSTOMER_LENGTH)
)


@st.composite
def valid_terms(draw: st.DrawFn) -> LicenseTerms:
    edition = draw(st.sampled_from(Edition))
    issued_on = draw(st.dates(EPOCH, LAST_DATE - timedelta(days=1)))
    environments = st.just(1) if edition is Edition.STARTER else st.integers(1, MAX_ENVIRONMENTS)
    return LicenseTerms(
        customer=draw(customers),
        edition=edition,
        seats=draw(st.integers(1, MAX_SEATS)),
        max_environments=draw(environments),
        issued_on=issued_on,
        expires_on=draw(st.dates(issued_on + timedelta(days=1), LAST_DATE)),
        grace_days=draw(st.integers(0, MAX_GRACE_DAYS)),
        serial=draw(st.text(st.sampled_from(ALPHABET), min_size=8, max_size=8)),
        key_id=KEY.key_id,
    )


def issue(terms: LicenseTerms) -> str:
    return issue_code(
        KEY,
        customer=terms.customer,
        edition=terms.edition,
        seats=terms.seats,
        max_environments=terms.max_environments,
        issued_on=terms.issued_on,
        expires_on=terms.expires_on,
        grace_days=terms.grace_days,
        serial=terms.serial,
    )


@FAST
@given(valid_terms())
def test_any_valid_terms_round_trip(terms: LicenseTerms) -> None:
    assert read_code(issue(terms), KEYRING) == terms


FIXED_CODE = issue(
    LicenseTerms(
        customer="Bijouterie Émeraude",
        edition=Edition.ADVANCED,
        seats=12,
        max_environments=2,
        issued_on=date(2025, 6, 1),
        expires_on=date(2026, 6, 1),
        grace_days=30,
        serial="ABCDEFGH",
        key_id=KEY.key_id,
    )
)
FIXED_TERMS = read_code(FIXED_CODE, KEYRING)
# Alphabet symbols, their look-alikes, separators and characters that belong in no code.
REPLACEMENTS = ALPHABET + ALPHABET.lower() + "OIL-  U*é"


@FAST
@given(st.integers(0, len(FIXED_CODE) - 1), st.sampled_from(REPLACEMENTS))
def test_no_single_character_change_is_accepted_as_another_code(
    position: int, replacement: str
) -> None:
    changed = FIXED_CODE[:position] + replacement + FIXED_CODE[position + 1 :]
    try:
        terms = read_code(changed, KEYRING)
    except LicenseError:
        return
    # Accepted only when the change is one that people make to the same code (case, O for 0...).
    assert normalise_code(changed) == FIXED_CODE
    assert terms == FIXED_TERMS
