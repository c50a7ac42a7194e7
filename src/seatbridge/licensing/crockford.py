"""Crockford base32: digits and letters a person can read aloud, type and paste.

Decoding is forgiving about what people do to a code (case, O for 0, I or L for 1, spaces, dashes,
line breaks, the non-breaking spaces and typographic dashes that mail clients insert) and strict
about everything else, so that each code has exactly one canonical spelling.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
_CONFUSABLES = {"O": "0", "I": "1", "L": "1"}
# Zero-width characters and the minus sign arrive with copies from web pages and documents.
_INVISIBLE_OR_DASH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u2212")


@dataclass(frozen=True)
class Symbol:
    """A significant character of a pasted text: as typed, its symbol or None, its position."""

    typed: str
    canonical: str | None
    position: int


def symbol_for(character: str) -> str | None:
    """The alphabet symbol a typed character stands for, or None if it stands for none."""
    upper = character.upper()
    upper = _CONFUSABLES.get(upper, upper)
    return upper if upper in _VALUES else None


def is_separator(character: str) -> bool:
    """Whether people may put `character` between symbols (it carries no data)."""
    return (
        character.isspace()
        or unicodedata.category(character) == "Pd"
        or character in _INVISIBLE_OR_DASH
    )


def scan(text: str) -> Iterator[Symbol]:
    """The significant characters of `text`, with their positions in the text as typed."""
    for position, typed in enumerate(text, start=1):
        # NFKC turns full-width letters and digits (Asian keyboards) into ASCII ones.
        for character in unicodedata.normalize("NFKC", typed):
            if not is_separator(character):
                yield Symbol(typed=typed, canonical=symbol_for(character), position=position)


def encode(data: bytes) -> str:
    """Base32 of `data`, most significant bit first, the last symbol zero-padded."""
    padding = -8 * len(data) % 5
    value = int.from_bytes(data, "big") << padding
    count = encoded_length(len(data))
    return "".join(ALPHABET[(value >> (5 * (count - 1 - i))) & 31] for i in range(count))


def encoded_length(size: int) -> int:
    """How many symbols encode `size` bytes."""
    return (8 * size + 4) // 5


def decode(symbols: str) -> tuple[bytes, bool]:
    """The bytes in canonical `symbols`, and whether they are the canonical encoding of them.

    A symbol count that no byte count produces, or non-zero padding bits, means a symbol was
    added, lost or changed: the bytes are still returned so that the caller can say which.
    """
    total_bits = 5 * len(symbols)
    size, extra_bits = divmod(total_bits, 8)
    value = 0
    for symbol in symbols:
        value = (value << 5) | _VALUES[symbol]
    canonical = extra_bits < 5 and value & ((1 << extra_bits) - 1) == 0
    return (value >> extra_bits).to_bytes(size, "big"), canonical


def group(symbols: str, size: int = 5) -> str:
    """`symbols` in dash-separated groups, the form people read and compare."""
    return "-".join(symbols[i : i + size] for i in range(0, len(symbols), size))
