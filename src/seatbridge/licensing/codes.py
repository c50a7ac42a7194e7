"""Activation codes as text: issuing (vendor side) and reading them back offline (customer side).

A code is "SB1-" then the Crockford base32 of payload + signature + checksum, in groups of five.
Reading checks, in order: something was entered, the prefix, each character, the length and the
checksum (a person's typing or copying), then the format version, the key id and the signature
(the vendor's word). The first failed check names the problem, so a typo is never called a
forgery.
"""

from __future__ import annotations

import secrets
from datetime import date

from cryptography.exceptions import InvalidSignature

from seatbridge.licensing import crockford, layout
from seatbridge.licensing.errors import (
    BadCharacter,
    CodeTooLong,
    EmptyCode,
    ExpiredCode,
    ForgedCode,
    MistypedCode,
    TruncatedCode,
    UnsupportedVersion,
    WrongPrefix,
)
from seatbridge.licensing.keyring import KeyRing
from seatbridge.licensing.keys import VendorSigningKey
from seatbridge.licensing.models import Edition, LicenseTerms
from seatbridge.licensing.validation import (
    clean_customer,
    clean_edition,
    clean_serial,
    validate_terms,
)

PREFIX = "SB1-"
_MARK = "SB"
_VERSION_SYMBOL = "1"
DEFAULT_GRACE_DAYS = 30


def issue_code(
    signing_key: VendorSigningKey,
    *,
    customer: str,
    edition: Edition | str,
    seats: int,
    max_environments: int,
    issued_on: date,
    expires_on: date,
    grace_days: int = DEFAULT_GRACE_DAYS,
    serial: str | None = None,
) -> str:
    """Sign `terms` into a code for a customer; invalid terms raise an `InvalidTerms` subclass."""
    terms = LicenseTerms(
        customer=clean_customer(customer),
        edition=clean_edition(edition),
        seats=seats,
        max_environments=max_environments,
        issued_on=issued_on,
        expires_on=expires_on,
        grace_days=grace_days,
        serial=new_serial() if serial is None else clean_serial(serial),
        key_id=signing_key.key_id,
    )
    validate_terms(terms)
    payload = layout.pack_payload(terms)
    body = payload + signing_key.sign(layout.DOMAIN + payload)
    return _format(crockford.encode(body + layout.checksum(body)))


def read_code(code: str, keyring: KeyRing) -> LicenseTerms:
    """The terms of an authentic code, whatever its dates (so that an expired code can be shown)."""
    body = _checked_bytes(_symbols(code))
    payload = body[: -layout.SIGNATURE_SIZE]
    signature = body[-layout.SIGNATURE_SIZE :]
    terms = layout.unpack_payload(payload)
    public_key = keyring.get(terms.key_id)
    try:
        public_key.verify(signature, layout.DOMAIN + payload)
    except InvalidSignature:
        raise ForgedCode() from None
    return terms


def verify_code(code: str, keyring: KeyRing, *, today: date) -> LicenseTerms:
    """The terms of a code that may be applied on `today`.

    A code past its expiry date is refused even within its grace period: grace keeps users of an
    already applied code signed in while the customer renews; entering a lapsed code would grant
    nothing but a countdown, so the customer is sent to the vendor for a new one instead.
    """
    terms = read_code(code, keyring)
    if terms.expires_on < today:
        raise ExpiredCode(expires_on=terms.expires_on)
    return terms


def normalise_code(code: str) -> str:
    """The canonical spelling of `code` ("SB1-" then groups of five), so that pastes compare equal.

    Only the characters are checked here; `read_code` checks the rest.
    """
    return _format(_symbols(code))


def new_serial() -> str:
    """A random 8-symbol serial (40 bits: collisions are negligible at any vendor's volume)."""
    return crockford.encode(secrets.token_bytes(layout.SERIAL_SIZE))


def _format(symbols: str) -> str:
    return PREFIX + crockford.group(symbols)


def _symbols(code: str) -> str:
    """The canonical symbols after the prefix, or the error describing what was typed."""
    scanned = list(crockford.scan(code))
    if not scanned:
        raise EmptyCode()
    head = "".join(symbol.canonical or symbol.typed for symbol in scanned[:3])
    if head[:2] != _MARK or len(head) < 3 or head[2] not in "0123456789":
        raise WrongPrefix(found=code.strip()[: len(PREFIX)])
    if head[2] != _VERSION_SYMBOL:
        raise UnsupportedVersion(version=head[2])
    body = scanned[3:]
    for symbol in body:
        if symbol.canonical is None:
            raise BadCharacter(character=symbol.typed, position=symbol.position)
    return "".join(symbol.canonical or "" for symbol in body)


def _checked_bytes(symbols: str) -> bytes:
    """Payload + signature, once length and checksum show the code was typed as issued."""
    data, canonical = crockford.decode(symbols)
    body, check = data[: -layout.CHECKSUM_SIZE], data[-layout.CHECKSUM_SIZE :]
    if canonical and len(data) >= layout.MIN_SIZE and layout.checksum(body) == check:
        return body
    # Tell a code cut short (or followed by other text) from a mistyped one by the size its
    # header announces; a typo in the header's length bytes is then reported as a length issue.
    size, exact = layout.expected_size(data)
    expected = crockford.encoded_length(size)
    found = len(symbols)
    if found < expected:
        raise TruncatedCode(found=found, expected=expected)
    if exact and found > expected:
        raise CodeTooLong(found=found, expected=expected)
    raise MistypedCode()
