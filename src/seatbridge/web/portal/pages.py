"""The portfolio pages (rule 15): "Mon portefeuille" (monthly net sales, customers with their
revenue), one customer with its documents, and the sales history with its filters.

Any signed-in person may open them; what they show is the viewer's scope (a rep: theirs; a
manager: their environments; an admin: the account). A customer out of that scope, another
account's included, is not found.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from starlette.requests import Request
from starlette.responses import Response

from seatbridge.auth.sessions import SignedIn
from seatbridge.commerce.queries import (
    Paging,
    Period,
    customers_revenue,
    history,
    monthly_sales,
    portfolio,
)
from seatbridge.errors import SeatbridgeError
from seatbridge.web.admin.access import PageRoute, current_user
from seatbridge.web.admin.ui import page
from seatbridge.web.pages import error_message
from seatbridge.web.portal.chart import sales_chart
from seatbridge.web.portal.filters import (
    DOCUMENT_TYPES,
    PAGE_SIZE,
    Filters,
    chart_period,
    history_period,
    read_filters,
)
from seatbridge.web.portal.views import (
    Scope,
    find_customer,
    latest_sale,
    representatives,
    revenue_of,
    scope_of,
    visible_customers,
)
from seatbridge.web.security import verify_csrf
from seatbridge.web.state import page_locale, web_state

PORTFOLIO = "/portfolio"

router = APIRouter(prefix=PORTFOLIO, route_class=PageRoute, dependencies=[Depends(verify_csrf)])
Person = Annotated[SignedIn, Depends(current_user)]


def _context(
    request: Request, scope: Scope, filters: Filters, problem: SeatbridgeError | None
) -> dict[str, Any]:
    problems = [*filters.problems, *([problem] if problem else [])]
    return {
        "scope": scope,
        "filters": filters,
        "errors": [error_message(request, found) for found in problems],
    }


def _period(period: Period) -> dict[str, Any]:
    return {"period": period, "period_last": period.end - dt.timedelta(days=1)}


def portfolio_home(request: Request, me: SignedIn) -> Response:
    """ "Mon portefeuille", also what `/` shows reps and managers: net sales per month and the
    customers with their revenue over the period (the last year of activity unless dates are
    chosen)."""
    state = web_state(request)
    today = state.clock.today()
    filters = read_filters(request.query_params)
    with state.sessions() as session:
        scope = scope_of(session, me)
        anchor = latest_sale(session, scope.viewer, today=today) or today
        period, problem = chart_period(filters, anchor=anchor, today=today)
        customers = portfolio(
            session,
            viewer=scope.viewer,
            search=filters.search or None,
            period=period,
            paging=Paging(filters.page, PAGE_SIZE),
        )
        sales = monthly_sales(session, viewer=scope.viewer, period=period)
        customers_total = customers_revenue(
            session, viewer=scope.viewer, search=filters.search or None, period=period
        )
        reps = representatives(
            session, me.account.id, ((c.environment_id, c.co_no) for c in customers.items)
        )
    context = (
        _context(request, scope, filters, problem)
        | _period(period)
        | {
            "customers": customers,
            "customers_total": customers_total,
            "chart": sales_chart(sales, page_locale(request)),
            "reps": reps,
            "me": me.user,
            "account": me.account,
            "path": PORTFOLIO,  # the page's own address, also when `/` shows it (menu, language)
        }
    )
    return page(request, "portal/portfolio.html", context)


@router.get("")
def portfolio_page(request: Request, me: Person) -> Response:
    return portfolio_home(request, me)


@router.get("/history")
def history_page(request: Request, me: Person) -> Response:
    """ "Historique": the viewer's sales documents, newest first, by type, dates, customer."""
    state = web_state(request)
    filters = read_filters(request.query_params)
    period, problem = history_period(filters)
    with state.sessions() as session:
        scope = scope_of(session, me)
        documents = history(
            session,
            viewer=scope.viewer,
            types=filters.types or None,
            period=period,
            customer=filters.customer or None,
            environment_id=filters.environment_id,
            paging=Paging(filters.page, PAGE_SIZE),
        )
        reps = representatives(
            session, me.account.id, ((d.environment_id, d.co_no) for d in documents.items)
        )
        linked = visible_customers(
            session, scope.viewer, ((d.environment_id, d.ct_num) for d in documents.items)
        )
    context = _context(request, scope, filters, problem) | {
        "documents": documents,
        "reps": reps,
        "linked": linked,
        "document_types": DOCUMENT_TYPES,
    }
    return page(request, "portal/history.html", context)


@router.get("/customers/{environment_id}/{ct_num:path}")
def customer_page(request: Request, me: Person, environment_id: int, ct_num: str) -> Response:
    """One customer: who they are, their net sales (the period, and all time), their documents."""
    state = web_state(request)
    today = state.clock.today()
    filters = read_filters(request.query_params)
    with state.sessions() as session:
        scope = scope_of(session, me)
        customer = find_customer(
            session, scope.viewer, environment_id=environment_id, ct_num=ct_num
        )
        if customer is None:
            raise HTTPException(status_code=404)
        anchor = latest_sale(session, scope.viewer, today=today) or today
        period, problem = chart_period(filters, anchor=anchor, today=today)
        documents = history(
            session,
            viewer=scope.viewer,
            customer=customer.ct_num,
            environment_id=customer.environment_id,
            paging=Paging(filters.page, PAGE_SIZE),
        )
        keys = [(customer.environment_id, customer.co_no)]
        keys += [(d.environment_id, d.co_no) for d in documents.items]
        context = (
            _context(request, scope, filters, problem)
            | _period(period)
            | {
                "customer": customer,
                "revenue": revenue_of(session, scope.viewer, customer, period),
                "lifetime": revenue_of(session, scope.viewer, customer, None),
                "documents": documents,
                "reps": representatives(session, me.account.id, keys),
            }
        )
    return page(request, "portal/customer.html", context)
