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
        self._stamps = _Converted(_stamp_from_text)
        self._amounts = _Converted(_decimal_from_number)

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
                return self._stamps.column(values)
            limit = FIRST_REAL_DATE
            return [v if v is not None and v >= limit else None for v in values]
        if kind is Kind.MONEY and self.raw_values:
            return self._amounts.column(values)
        return values


class _Converted(dict[Any, Any]):
    """Converted values by raw value. `map(self.__getitem__, column)` runs at C speed for the
    values seen before and calls `convert` (through `__missing__`) for the others."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__({None: None})
        self.convert = convert

    def __missing__(self, value: Any) -> Any:
        converted = self[value] = self.convert(value)
        return converted

    def column(self, values: Sequence[Any]) -> list[Any]:
        if len(self) > _CACHE_LIMIT:  # constant memory on columns with many distinct values
            self.clear()
            self[None] = None
        return list(map(self.__getitem__, values))
