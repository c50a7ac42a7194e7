"""The bytes of an activation code, format 1 (the table is in docs/licensing.md).

    payload   = header (fixed size, with the two lengths first), key id (ASCII), customer (UTF-8)
    code body = payload + Ed25519 signature (64 bytes) + CRC-16 of both (2 bytes)

The signature covers DOMAIN + payload, so that no other kind of seatbridge signature (a future
format, another product of the vendor) can pass for an activation code.
"""

from __future__ import annotations

import binascii
import struct
from datetime import date, timedelta

from seatbridge.licensing import crockford
from seatbridge.licensing.errors import ForgedCode, UnsupportedVersion
from seatbridge.licensing.models import Edition, LicenseTerms

FORMAT_VERSION = 1
DOMAIN = b"seatbridge/activation-code/v1\x00"
EPOCH = date(2020, 1, 1)
LAST_DATE = EPOCH + timedelta(days=0xFFFF)
SERIAL_SIZE = 5
SIGNATURE_SIZE = 64
CHECKSUM_SIZE = 2
# version, key id length, customer length, edition, seats, max environments, issued and expires
# (days since EPOCH), grace days, serial. The lengths come first so that a symbol lost or added
# anywhere after the first few still leaves them readable, to report the right length.
HEADER = struct.Struct(">BBBBHBHHB5s")
_EDITIONS = (Edition.STARTER, Edition.ADVANCED)
_TRAILER_SIZE = SIGNATURE_SIZE + CHECKSUM_SIZE
_LENGTHS_END = 3
# A header, a 1-character key id and a 1-byte customer name.
MIN_SIZE = HEADER.size + 2 + _TRAILER_SIZE


def pack_payload(terms: LicenseTerms) -> bytes:
    """The signed bytes for `terms` (already validated, see `validation.validate_terms`)."""
    key_id = terms.key_id.encode("ascii")
    customer = terms.customer.encode("utf-8")
    header = HEADER.pack(
        FORMAT_VERSION,
        len(key_id),
        len(customer),
        _EDITIONS.index(terms.edition),
        terms.seats,
        terms.max_environments,
        _days(terms.issued_on),
        _days(terms.expires_on),
        terms.grace_days,
        serial_bytes(terms.serial),
    )
    return header + key_id + customer


def unpack_payload(payload: bytes) -> LicenseTerms:
    """The terms in a payload whose checksum matched; anything inconsistent was tampered with."""
    if payload and payload[0] != FORMAT_VERSION:
        raise UnsupportedVersion(version=payload[0])
    if len(payload) < HEADER.size:
        raise ForgedCode()
    (
        _,
        key_id_size,
        customer_size,
        edition,
        seats,
        environments,
        issued,
        expires,
        grace,
        serial,
    ) = HEADER.unpack_from(payload)
    key_id_end = HEADER.size + key_id_size
    key_id, customer = payload[HEADER.size : key_id_end], payload[key_id_end:]
    sizes_hold = key_id_size > 0 and customer_size > 0 and len(customer) == customer_size
    if not sizes_hold or edition >= len(_EDITIONS):
        raise ForgedCode()
    try:
        return LicenseTerms(
            customer=customer.decode("utf-8"),
            edition=_EDITIONS[edition],
            seats=seats,
            max_environments=environments,
            issued_on=EPOCH + timedelta(days=issued),
            expires_on=EPOCH + timedelta(days=expires),
            grace_days=grace,
            serial=crockford.encode(serial),
            key_id=key_id.decode("ascii"),
        )
    except UnicodeDecodeError:
        raise ForgedCode() from None


def expected_size(data: bytes) -> tuple[int, bool]:
    """The code size announced by the header of `data`: (size, exact) or a lower bound.

    Used only when the checksum failed, to tell a cut-off code from a mistyped one.
    """
    if len(data) < _LENGTHS_END:
        return MIN_SIZE, False
    return HEADER.size + data[1] + data[2] + _TRAILER_SIZE, True


def checksum(data: bytes) -> bytes:
    """CRC-16/GENIBUS of `data`.

    A CRC catches every error confined to 16 consecutive bits, so any one mistyped symbol (5 bits)
    is caught for certain, before the signature is even looked at. The final XOR matters: without
    it, a code followed by a zero byte would still check out.
    """
    return (binascii.crc_hqx(data, 0xFFFF) ^ 0xFFFF).to_bytes(CHECKSUM_SIZE, "big")


def serial_bytes(serial: str) -> bytes:
    """The 5 bytes behind an 8-symbol canonical serial."""
    data, _ = crockford.decode(serial)
    return data


def _days(day: date) -> int:
    return (day - EPOCH).days
