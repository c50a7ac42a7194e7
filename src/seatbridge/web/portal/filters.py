"""The portfolio pages' query string: search, period, document types, customer and page.

Everything here is read leniently (a page never fails on a bad link): unknown values are
dropped, and a mistyped date is reported on the page, which then shows its default period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from starlette.datastructures import QueryParams

from seatbridge.commerce.errors import InvalidPeriod
from seatbridge.commerce.queries import CREDIT_NOTE_TYPE, INVOICE_TYPES, Period
from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_

PAGE_SIZE = 25
CHART_MONTHS = 12  # the default period: a year of months
MAX_MONTHS = 60  # the longest period a chart draws
DOCUMENT_TYPES = tuple(range(8))  # DO_Type of sales documents: 0 quote ... 7 posted invoice
SALES_TYPES = (*INVOICE_TYPES, CREDIT_NOTE_TYPE)  # what net sales are made of
MAX_TEXT = 100


class InvalidDate(SeatbridgeError):
    code = "web.portal_invalid_date"
    template = N_("Date illisible : « {value} ». Écrivez-la AAAA-MM-JJ, par exemple 2025-01-31.")


class PeriodTooLong(SeatbridgeError):
    code = "web.portal_period_too_long"
    template = N_("La période choisie dépasse {months} mois : choisissez-en une plus courte.")


@dataclass(frozen=True)
class Filters:
    search: str = ""
    since: dt.date | None = None
    until: dt.date | None = None  # included
    types: tuple[int, ...] = ()
    customer: str = ""
    environment_id: int | None = None
    page: int = 1
    problems: tuple[SeatbridgeError, ...] = field(default=(), compare=False)

    def period_query(self) -> list[tuple[str, str]]:
        """The chosen dates, carried by the links to a customer's page."""
        return [
            (name, day.isoformat())
            for name, day in (("from", self.since), ("to", self.until))
            if day is not None
        ]

    def query(self) -> list[tuple[str, str]]:
        """Every filter but the page (the pager adds it)."""
        pairs = [("q", self.search)] if self.search else []
        pairs += self.period_query()
        pairs += [("type", str(kind)) for kind in self.types]
        if self.customer:
            pairs.append(("customer", self.customer))
        if self.environment_id is not None:
            pairs.append(("environment", str(self.environment_id)))
        return pairs

    @property
    def any(self) -> bool:
        return bool(self.query())


def read_filters(params: QueryParams) -> Filters:
    problems: list[SeatbridgeError] = []
    types = {int(v) for v in params.getlist("type") if v.isdigit() and int(v) in DOCUMENT_TYPES}
    environment = params.get("environment", "")
    page = params.get("page", "")
    return Filters(
        search=params.get("q", "").strip()[:MAX_TEXT],
        since=_day(params.get("from", ""), problems),
        until=_day(params.get("to", ""), problems),
        types=tuple(sorted(types)),
        customer=params.get("customer", "").strip()[:MAX_TEXT],
        environment_id=int(environment) if environment.isdigit() else None,
        page=int(page) if page.isdigit() and 0 < int(page) < 1_000_000 else 1,
        problems=tuple(problems),
    )


def _day(value: str, problems: list[SeatbridgeError]) -> dt.date | None:
    value = value.strip()[:MAX_TEXT]
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(InvalidDate(value=value))
        return None


def months_ending(last_month: dt.date, count: int = CHART_MONTHS) -> Period:
    """The `count` whole months ending with the month of `last_month`."""
    first = last_month.replace(day=1)
    for _ in range(count - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return Period(first, _next_month(last_month))


def chart_period(
    filters: Filters, *, anchor: dt.date, today: dt.date
) -> tuple[Period, SeatbridgeError | None]:
    """The period of the sales chart and of the customers' revenue: the dates chosen (a start
    alone runs to today, an end alone goes back a year), else the year of months ending with
    `anchor` (the month of the latest sale)."""
    default = months_ending(anchor)
    if filters.since is None and filters.until is None:
        return default, None
    until = filters.until or today
    since = filters.since or months_ending(until).start
    if since > until:
        return default, _invalid(since, until)
    period = Period(since, until + dt.timedelta(days=1))
    if _month_count(period) > MAX_MONTHS:
        return default, PeriodTooLong(months=MAX_MONTHS)
    return period, None


def history_period(filters: Filters) -> tuple[Period | None, SeatbridgeError | None]:
    """The history's period: none (everything), or the dates chosen, open at either end."""
    if filters.since is None and filters.until is None:
        return None, None
    since = filters.since or dt.date.min
    until = filters.until or dt.date.max - dt.timedelta(days=1)
    if since > until:
        return None, _invalid(since, until)
    return Period(since, until + dt.timedelta(days=1)), None


def _invalid(since: dt.date, until: dt.date) -> SeatbridgeError:
    return InvalidPeriod(start=since.isoformat(), end=until.isoformat())


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _month_count(period: Period) -> int:
    last = period.end - dt.timedelta(days=1)
    return (last.year - period.start.year) * 12 + last.month - period.start.month + 1
