"""The bounds on what a vendor may put in a code, checked before anything is signed.

The bounds are commercial sanity (a typo of 100000 seats must not become a signed code) and what
the byte layout can hold; docs/licensing.md lists them.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from seatbridge.licensing import crockford
from seatbridge.licensing.errors import (
    DateOutOfRange,
    InvalidCustomer,
    InvalidEdition,
    InvalidEnvironments,
    InvalidGraceDays,
    InvalidKeyId,
    InvalidSeats,
    InvalidSerial,
    InvalidValidity,
    StarterEnvironments,
)
from seatbridge.licensing.layout import EPOCH, LAST_DATE
from seatbridge.licensing.models import Edition, LicenseTerms

MAX_SEATS = 10_000
MAX_ENVIRONMENTS = 100
MAX_GRACE_DAYS = 180
# 60 characters of at most 4 UTF-8 bytes each fit the 1-byte length prefix.
MAX_CUSTOMER_LENGTH = 60
SERIAL_LENGTH = 8
KEY_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,16}")


def validate_terms(terms: LicenseTerms) -> None:
    """Raise the `InvalidTerms` subclass naming the first term no code may carry."""
    if not 1 <= terms.seats <= MAX_SEATS:
        raise InvalidSeats(seats=terms.seats, maximum=MAX_SEATS)
    if terms.edition is Edition.STARTER and terms.max_environments != 1:
        raise StarterEnvironments(max_environments=terms.max_environments)
    if not 1 <= terms.max_environments <= MAX_ENVIRONMENTS:
        raise InvalidEnvironments(max_environments=terms.max_environments, maximum=MAX_ENVIRONMENTS)
    check_date(terms.issued_on)
    check_date(terms.expires_on)
    if terms.expires_on <= terms.issued_on:
        raise InvalidValidity(issued_on=terms.issued_on, expires_on=terms.expires_on)
    if not 0 <= terms.grace_days <= MAX_GRACE_DAYS:
        raise InvalidGraceDays(grace_days=terms.grace_days, maximum=MAX_GRACE_DAYS)
    check_key_id(terms.key_id)


def clean_customer(customer: str) -> str:
    """The customer name as it will be signed: trimmed, NFC, printable, within the limit."""
    cleaned = unicodedata.normalize("NFC", customer.strip())
    printable = all(unicodedata.category(c)[0] != "C" for c in cleaned)
    if not cleaned or len(cleaned) > MAX_CUSTOMER_LENGTH or not printable:
        raise InvalidCustomer(customer=customer, maximum=MAX_CUSTOMER_LENGTH)
    return cleaned


def clean_edition(edition: Edition | str) -> Edition:
    """The edition named by `edition`, case-insensitively."""
    try:
        return Edition(str(edition).strip().lower())
    except ValueError:
        raise InvalidEdition(edition=edition) from None


def clean_serial(serial: str) -> str:
    """A vendor-chosen serial in canonical form: 8 symbols, typed as loosely as a code."""
    symbols = [symbol.canonical for symbol in crockford.scan(serial)]
    if len(symbols) != SERIAL_LENGTH or None in symbols:
        raise InvalidSerial(serial=serial)
    return "".join(s for s in symbols if s is not None)


def check_key_id(key_id: str) -> str:
    """`key_id` if it can name a key in a code, a keys file and an environment variable."""
    if not KEY_ID_PATTERN.fullmatch(key_id):
        raise InvalidKeyId(key_id=key_id)
    return key_id


def check_date(value: date) -> date:
    """`value` if a code can carry it."""
    if not EPOCH <= value <= LAST_DATE:
        raise DateOutOfRange(value=value, earliest=EPOCH, latest=LAST_DATE)
    return value
