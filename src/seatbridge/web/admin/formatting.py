"""Numbers, amounts and dates written the way the page's language writes them (Babel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent

CURRENCY = "EUR"  # Sage 100 FR keeps its amounts in euros


def first_of_month(text: str, day: dt.date, locale: str) -> str:
    """French writes the first day of a month as an ordinal: « 1er juillet », never « 1 juillet »
    (CLDR's patterns leave it to us)."""
    if locale.startswith("fr") and day.day == 1 and text.startswith("1 "):
        return "1er " + text[2:]
    return text


class Formatter:
    """Bound to one locale and the installation's time zone; templates call it as `fmt`."""

    def __init__(self, locale: str, timezone: str) -> None:
        self.locale = locale
        self.zone = ZoneInfo(timezone)

    def number(self, value: int | float | Decimal | None) -> str:
        return "" if value is None else format_decimal(value, locale=self.locale)

    def money(self, value: Decimal | int | None) -> str:
        return "" if value is None else format_currency(value, CURRENCY, locale=self.locale)

    def percent(self, value: float | None) -> str:
        return "" if value is None else format_percent(value, locale=self.locale)

    def date(self, value: dt.date | dt.datetime | None) -> str:
        if value is None:
            return ""
        day = value.date() if isinstance(value, dt.datetime) else value
        return first_of_month(format_date(day, "medium", locale=self.locale), day, self.locale)

    def moment(self, value: dt.datetime | None) -> str:
        """A stored instant (UTC, naive from SQLite) in the installation's time zone."""
        if value is None:
            return ""
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return format_datetime(aware.astimezone(self.zone), "short", locale=self.locale)

    def iso(self, value: dt.datetime | None) -> str:
        """The machine-readable form for <time datetime="...">."""
        if value is None:
            return ""
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.isoformat(timespec="seconds")
