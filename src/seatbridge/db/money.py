"""Exact amounts in the store: a Sage amount as an integer number of millionths.

numeric(24,6) without floats: SQLite has no decimal type, and sums must be exact on both backends.
It lives in `db` (not `commerce`) so that migrations import nothing but `seatbridge.db`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, TypeDecorator
from sqlalchemy.engine import Dialect

MICROS = 1_000_000

__all__ = ["MICROS", "Money", "from_micros", "to_micros"]


class Money(TypeDecorator[Decimal]):
    """A Sage amount stored as an exact integer number of millionths."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        return None if value is None else to_micros(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else from_micros(value)


def to_micros(value: Decimal) -> int:
    return int(value.scaleb(6).to_integral_value())


def from_micros(value: int | Decimal) -> Decimal:
    return Decimal(int(value)).scaleb(-6)
