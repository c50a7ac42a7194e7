"""Typing and cleaning of Sage 100 values, a whole column of a batch at a time.

Sage leaves '' where NULL is meant, pads and mis-trims text, writes 1753-01-01 for "no date" and
0 for "no collaborator". Working column by column (one comprehension per column instead of a
function call per value) is what keeps the reader close to a bare cursor loop.

SQL Server, PostgreSQL and MariaDB drivers return datetimes and Decimals themselves. SQLite returns
ISO text and floats, which SQLAlchemy converts value by value (about 1 µs per Decimal); there we
select the raw values and convert them here, through small caches, because dates and amounts
repeat a lot (every line of a document has the same dates, articles have a few prices).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import DateTime, Integer, Numeric, SmallInteger, String
from sqlalchemy.types import TypeEngine

from seatbridge.sage100.records import Kind

# 1753-01-01 at any time of day, or earlier, means "no date".
FIRST_REAL_DATE: Final = dt.datetime(1753, 1, 2)
_CACHE_LIMIT: Final = 50_000
_MISSING: Final = object()


def clean_text(value: str | None) -> str | None:
    """Trim; an empty or blank text is None."""
    return (value.strip() or None) if value else None


def clean_stamp(value: dt.datetime | None) -> dt.datetime | None:
    return value if value is not None and value >= FIRST_REAL_DATE else None


def _stamp_from_text(value: str | dt.datetime) -> dt.datetime | None:
    parsed = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return clean_stamp(parsed)


def _decimal_from_number(value: float | int | Decimal) -> Decimal:
    # The text SQLAlchemy would build for numeric(24,6): same Decimal (and scale) as elsewhere.
    return value if isinstance(value, Decimal) else Decimal(f"{value:.6f}")


class Cleaner:
    """Column types to select and cleaning to apply, for one SQL dialect."""

    def __init__(self, dialect_name: str) -> None:
        self.raw_values = dialect_name == "sqlite"
        self._stamps: dict[Any, dt.datetime | None] = {None: None}
        self._amounts: dict[Any, Decimal | None] = {None: None}

    def sql_type(self, kind: Kind) -> TypeEngine[Any]:
        if kind is Kind.STAMP:
            return String() if self.raw_values else DateTime()
        if kind is Kind.MONEY:
            # Raw floats on SQLite (converted by `clean`), Decimals from the driver elsewhere.
            return Numeric(24, 6, asdecimal=False) if self.raw_values else Numeric(24, 6)
        if kind is Kind.TEXT:
            return String()
        if kind is Kind.FLAG:
            return SmallInteger()
        return Integer()

    def clean(self, kind: Kind, values: Sequence[Any]) -> Sequence[Any]:
        """Clean one column of a batch."""
        if kind is Kind.TEXT:
            return [(v.strip() or None) if v else None for v in values]
        if kind is Kind.REF:
            return [v or None for v in values]
        if kind is Kind.FLAG:
            return list(map(bool, values))
        if kind is Kind.STAMP:
            if self.raw_values:
                return _through_cache(values, self._stamps, _stamp_from_text)
            limit = FIRST_REAL_DATE
            return [v if v is not None and v >= limit else None for v in values]
        if kind is Kind.MONEY and self.raw_values:
            return _through_cache(values, self._amounts, _decimal_from_number)
        return values


def _through_cache(
    values: Sequence[Any], cache: dict[Any, Any], convert: Callable[[Any], Any]
) -> list[Any]:
    if len(cache) > _CACHE_LIMIT:  # keep memory constant on columns with many distinct values
        cache.clear()
        cache[None] = None
    get, missing = cache.get, _MISSING

    def miss(value: Any) -> Any:
        cache[value] = converted = convert(value)
        return converted

    return [hit if (hit := get(v, missing)) is not missing else miss(v) for v in values]
