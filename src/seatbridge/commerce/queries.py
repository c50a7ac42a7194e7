"""Portfolio, sales history and monthly net sales, seen through a `Viewer` (see `scope`).

Sales are amounts excluding tax (DO_TotalHT). Net sales = invoices (DO_Type 6 and 7: an invoice
and the same invoice once posted to accounting) minus credit notes (DO_Type 5, whose totals
Sage stores positive). Returns (DO_Type 4) are goods coming back, not money: left out, as are
quotes, orders and delivery notes (0-3), which would count the same sale several times.
Periods are half-open: start <= DO_Date < end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Final, Generic, TypeVar

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.orm import Session

from seatbridge.commerce.errors import InvalidPage, InvalidPeriod
from seatbridge.commerce.models import CommerceCustomer, CommerceDocument
from seatbridge.commerce.rows import fold
from seatbridge.commerce.scope import Viewer, customer_filter, document_filter
from seatbridge.db.money import from_micros

INVOICE_TYPES: Final = (6, 7)
CREDIT_NOTE_TYPE: Final = 5
MAX_PAGE_SIZE: Final = 200

T = TypeVar("T")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # excluded

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise InvalidPeriod(start=self.start.isoformat(), end=self.end.isoformat())

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return _midnight(self.start), _midnight(self.end)


@dataclass(frozen=True)
class Paging:
    page: int = 1
    size: int = 50

    def __post_init__(self) -> None:
        if self.page < 1 or not 1 <= self.size <= MAX_PAGE_SIZE:
            raise InvalidPage(page=self.page, size=self.size, max_size=MAX_PAGE_SIZE)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


@dataclass(frozen=True)
class PortfolioCustomer:
    environment_id: int
    ct_num: str
    name: str | None
    city: str | None
    postcode: str | None
    co_no: int | None
    prospect: bool | None
    dormant: bool
    revenue: Decimal  # net sales over the period asked (all time without one)


@dataclass(frozen=True)
class HistoryDocument:
    environment_id: int
    do_type: int
    do_piece: str
    do_date: dt.datetime | None
    ct_num: str | None
    customer_name: str | None
    co_no: int | None
    status: int | None
    total_ht: Decimal | None
    total_ttc: Decimal | None


@dataclass(frozen=True)
class MonthlySales:
    month: dt.date  # first day of the month
    invoiced: Decimal
    credited: Decimal

    @property
    def net(self) -> Decimal:
        return self.invoiced - self.credited


def portfolio(
    session: Session,
    *,
    viewer: Viewer,
    search: str | None = None,
    period: Period | None = None,
    paging: Paging = Paging(),
) -> Page[PortfolioCustomer]:
    """The viewer's customers, by name, with each one's net sales over `period`."""
    customer = CommerceCustomer
    conditions = [customer_filter(viewer)]
    if search and (folded := fold(search.strip())):
        conditions.append(customer.search_text.contains(folded, autoescape=True))
    total = session.scalar(select(func.count()).select_from(customer).where(*conditions)) or 0
    rows = session.execute(
        select(customer)
        .where(*conditions)
        .order_by(customer.name.nulls_last(), customer.ct_num, customer.environment_id)
        .offset(paging.offset)
        .limit(paging.size)
    ).scalars()
    customers = list(rows)
    revenue = _revenue(session, viewer.account_id, customers, period)
    items = [
        PortfolioCustomer(
            c.environment_id,
            c.ct_num,
            c.name,
            c.city,
            c.postcode,
            c.co_no,
            c.prospect,
            c.dormant,
            revenue.get((c.environment_id, c.ct_num), Decimal(0)),
        )
        for c in customers
    ]
    return Page(items, paging.page, paging.size, total)


def customers_revenue(
    session: Session, *, viewer: Viewer, search: str | None = None, period: Period | None = None
) -> Decimal:
    """The net sales of all the viewer's customers (the `portfolio` rows' basis: every document
    of each customer, whoever its representative), summed over every page of the list."""
    customer, document = CommerceCustomer, CommerceDocument
    conditions = [customer_filter(viewer)]
    if search and (folded := fold(search.strip())):
        conditions.append(customer.search_text.contains(folded, autoescape=True))
    statement = (
        select(_net_micros())
        .select_from(document)
        .join(
            customer,
            and_(
                customer.account_id == document.account_id,
                customer.environment_id == document.environment_id,
                customer.ct_num == document.ct_num,
            ),
        )
        .where(
            document.account_id == viewer.account_id,
            document.do_type.in_((*INVOICE_TYPES, CREDIT_NOTE_TYPE)),
            *conditions,
            *_in_period(period),
        )
    )
    return from_micros(session.scalar(statement) or 0)


def _revenue(
    session: Session,
    account_id: int,
    customers: list[CommerceCustomer],
    period: Period | None,
) -> dict[tuple[int, str], Decimal]:
    """Net sales of these customers (all their documents: a customer's revenue is theirs)."""
    if not customers:
        return {}
    document = CommerceDocument
    keys = [(c.environment_id, c.ct_num) for c in customers]
    statement = (
        select(document.environment_id, document.ct_num, _net_micros())
        .where(
            document.account_id == account_id,
            tuple_(document.environment_id, document.ct_num).in_(keys),
            document.do_type.in_((*INVOICE_TYPES, CREDIT_NOTE_TYPE)),
            *_in_period(period),
        )
        .group_by(document.environment_id, document.ct_num)
    )
    return {(env, str(num)): from_micros(net or 0) for env, num, net in session.execute(statement)}


def history(
    session: Session,
    *,
    viewer: Viewer,
    types: Collection[int] | None = None,
    period: Period | None = None,
    customer: str | None = None,
    environment_id: int | None = None,
    paging: Paging = Paging(),
) -> Page[HistoryDocument]:
    """The viewer's sales documents, newest first, filtered by type, period and customer."""
    document, name = CommerceDocument, CommerceCustomer.name
    conditions = [document_filter(viewer), *_in_period(period)]
    if types:
        conditions.append(document.do_type.in_(sorted(set(types))))
    if customer:
        conditions.append(document.ct_num == customer.strip())
    if environment_id is not None:
        conditions.append(document.environment_id == environment_id)
    total = session.scalar(select(func.count()).select_from(document).where(*conditions)) or 0
    statement = _with_customer_name(select(document, name).where(*conditions))
    rows = session.execute(
        statement.order_by(
            document.do_date.desc(),
            document.do_piece.desc(),
            document.environment_id.desc(),
            document.do_type.desc(),
        )
        .offset(paging.offset)
        .limit(paging.size)
    ).all()
    items = [
        HistoryDocument(
            d.environment_id,
            d.do_type,
            d.do_piece,
            d.do_date,
            d.ct_num,
            customer_name,
            d.co_no,
            d.status,
            d.total_ht,
            d.total_ttc,
        )
        for d, customer_name in rows
    ]
    return Page(items, paging.page, paging.size, total)


def _with_customer_name(
    statement: Select[CommerceDocument, str | None],
) -> Select[CommerceDocument, str | None]:
    document, customer = CommerceDocument, CommerceCustomer
    return statement.outerjoin(
        customer,
        and_(
            customer.account_id == document.account_id,
            customer.environment_id == document.environment_id,
            customer.ct_num == document.ct_num,
        ),
    )


def monthly_sales(session: Session, *, viewer: Viewer, period: Period) -> list[MonthlySales]:
    """Invoiced and credited amounts per month of `period` (every month, zeros included)."""
    document = CommerceDocument
    month = _month(session)
    amount = _micros()
    invoiced = func.sum(case((document.do_type.in_(INVOICE_TYPES), amount), else_=literal(0)))
    credited = func.sum(case((document.do_type == CREDIT_NOTE_TYPE, amount), else_=literal(0)))
    statement = (
        select(month, invoiced, credited)
        .where(
            document_filter(viewer),
            document.do_type.in_((*INVOICE_TYPES, CREDIT_NOTE_TYPE)),
            *_in_period(period),
        )
        .group_by(month)
    )
    found = {key: (inv or 0, cred or 0) for key, inv, cred in session.execute(statement)}
    result = []
    for first in _months(period):
        inv, cred = found.get(first.strftime("%Y-%m"), (0, 0))
        result.append(MonthlySales(first, from_micros(inv), from_micros(cred)))
    return result


def _micros() -> ColumnElement[int]:
    """DO_TotalHT as the integer it is stored as: sums stay exact on every backend."""
    return type_coerce(CommerceDocument.total_ht, BigInteger())


def _net_micros() -> ColumnElement[int]:
    amount = _micros()
    return func.sum(case((CommerceDocument.do_type == CREDIT_NOTE_TYPE, -amount), else_=amount))


def _in_period(period: Period | None) -> list[ColumnElement[bool]]:
    if period is None:
        return []
    start, end = period.bounds
    return [CommerceDocument.do_date >= start, CommerceDocument.do_date < end]


def _month(session: Session) -> ColumnElement[str]:
    """'YYYY-MM' of the document date (SQLite keeps timestamps as ISO text)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(CommerceDocument.do_date, "YYYY-MM")
    return func.substr(CommerceDocument.do_date, 1, 7)


def _months(period: Period) -> list[dt.date]:
    first = period.start.replace(day=1)
    months = []
    while first < period.end:
        months.append(first)
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return months


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)
