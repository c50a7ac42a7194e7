"""Activation codes with sensible defaults, and byte-level surgery for tampering tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from seatbridge.licensing import VendorSigningKey, crockford, issue_code, layout, normalise_code
from seatbridge.licensing.codes import PREFIX

ISSUED_ON = date(2025, 1, 15)
EXPIRES_ON = date(2026, 1, 15)
CUSTOMER = "Bijouterie Émeraude"


def make_code(key: VendorSigningKey, **overrides: Any) -> str:
    """A valid advanced-edition code; any term can be overridden."""
    terms: dict[str, Any] = {
        "customer": CUSTOMER,
        "edition": "advanced",
        "seats": 10,
        "max_environments": 3,
        "issued_on": ISSUED_ON,
        "expires_on": EXPIRES_ON,
    }
    terms.update(overrides)
    return issue_code(key, **terms)


def code_bytes(code: str) -> bytes:
    """Payload + signature + checksum of a (well-formed) code."""
    symbols = normalise_code(code)[len(PREFIX) :].replace("-", "")
    data, canonical = crockford.decode(symbols)
    assert canonical
    return data


def code_from_bytes(data: bytes, *, fix_checksum: bool = True) -> str:
    """A code for `data`, its checksum recomputed so that only the signature can object."""
    if fix_checksum:
        body = data[: -layout.CHECKSUM_SIZE]
        data = body + layout.checksum(body)
    return PREFIX + crockford.group(crockford.encode(data))


def body_symbols(code: str) -> str:
    return normalise_code(code)[len(PREFIX) :].replace("-", "")


def with_body(symbols: str) -> str:
    return PREFIX + crockford.group(symbols)
