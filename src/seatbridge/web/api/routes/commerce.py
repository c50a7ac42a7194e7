"""A user's portfolio and sales history, as that user sees them in SSM (their role's reach).

Both lists come from seatbridge.commerce's queries, which page by position: the cursor carries
the next page's number (still opaque to clients).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request

from seatbridge.commerce import queries as commerce
from seatbridge.commerce.scope import viewer_for
from seatbridge.web.api import pagination
from seatbridge.web.api.auth import MAX_ID, ItemId, Reader
from seatbridge.web.api.errors import InvalidCursor
from seatbridge.web.api.problems import problem_responses
from seatbridge.web.api.schemas.commerce import (
    HistoryDocumentRead,
    HistoryPage,
    PortfolioCustomerRead,
    PortfolioPage,
)
from seatbridge.web.api.schemas.common import PRINTABLE
from seatbridge.web.state import web_state

router = APIRouter(tags=["portfolio and history"])
Since = Annotated[
    dt.date | None, Query(ge=dt.date(1900, 1, 1), le=dt.date(2999, 12, 31), description="From.")
]
Until = Annotated[
    dt.date | None,
    Query(ge=dt.date(1900, 1, 1), le=dt.date(2999, 12, 31), description="Until (excluded)."),
]
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(3000, 1, 1)
MAX_PAGE = 1_000_000


@router.get("/users/{user_id}/portfolio", responses=problem_responses(404, 422))
def user_portfolio(
    request: Request,
    user_id: ItemId,
    caller: Reader,
    q: Annotated[str | None, Query(max_length=100, pattern=PRINTABLE)] = None,
    since: Since = None,
    until: Until = None,
    limit: pagination.Limit = pagination.DEFAULT_LIMIT,
    cursor: pagination.Cursor = None,
) -> PortfolioPage:
    """The customers whose representative is one of the user's collaborators (all of an
    environment for a manager, of the account for an admin), with net sales over the period."""
    page_number = _page(cursor)
    with web_state(request).sessions.begin() as session:
        viewer = viewer_for(session, account_id=caller.account_id, user_id=user_id)
        found = commerce.portfolio(
            session,
            viewer=viewer,
            search=q,
            period=_period(since, until),
            paging=commerce.Paging(page=page_number, size=limit),
        )
    return PortfolioPage(
        items=[PortfolioCustomerRead.model_validate(item) for item in found.items],
        limit=limit,
        total=found.total,
        next_cursor=_next(found.page, found.pages),
    )


@router.get("/users/{user_id}/history", responses=problem_responses(404, 422))
def user_history(
    request: Request,
    user_id: ItemId,
    caller: Reader,
    types: Annotated[list[Annotated[int, Query(ge=0, le=9)]] | None, Query()] = None,
    customer: Annotated[str | None, Query(max_length=17, pattern=PRINTABLE)] = None,
    environment_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    since: Since = None,
    until: Until = None,
    limit: pagination.Limit = pagination.DEFAULT_LIMIT,
    cursor: pagination.Cursor = None,
) -> HistoryPage:
    """The user's sales documents, newest first (a document without a representative belongs
    to its customer's)."""
    page_number = _page(cursor)
    with web_state(request).sessions.begin() as session:
        viewer = viewer_for(session, account_id=caller.account_id, user_id=user_id)
        found = commerce.history(
            session,
            viewer=viewer,
            types=types,
            period=_period(since, until),
            customer=customer,
            environment_id=environment_id,
            paging=commerce.Paging(page=page_number, size=limit),
        )
    return HistoryPage(
        items=[
            HistoryDocumentRead(
                environment_id=item.environment_id,
                do_type=item.do_type,
                do_piece=item.do_piece,
                do_date=item.do_date.date() if item.do_date else None,
                ct_num=item.ct_num,
                customer_name=item.customer_name,
                co_no=item.co_no,
                status=item.status,
                total_ht=item.total_ht,
                total_ttc=item.total_ttc,
            )
            for item in found.items
        ],
        limit=limit,
        total=found.total,
        next_cursor=_next(found.page, found.pages),
    )


def _page(cursor: str | None) -> int:
    after = pagination.decode_cursor(cursor)
    if after is not None and not 1 <= after <= MAX_PAGE:
        raise InvalidCursor()
    return after or 1


def _next(page: int, pages: int) -> str | None:
    return pagination.encode_cursor(page + 1) if page < pages else None


def _period(since: dt.date | None, until: dt.date | None) -> commerce.Period | None:
    if since is None and until is None:
        return None
    return commerce.Period(start=since or EARLIEST, end=until or LATEST)
