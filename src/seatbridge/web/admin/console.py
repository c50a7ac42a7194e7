"""The advanced Admin console's workspace: the account, its code, its licences per environment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from seatbridge.accounts import service as accounts
from seatbridge.accounts.seats import seat_usage
from seatbridge.auth.sessions import SignedIn
from seatbridge.web.admin.access import (
    ADVANCED_PREFIX,
    Area,
    PageRoute,
    admin_area,
    current_admin,
)
from seatbridge.web.admin.charts import seat_chart
from seatbridge.web.admin.queries import latest_runs, open_case_count
from seatbridge.web.admin.ui import page
from seatbridge.web.security import verify_csrf
from seatbridge.web.state import web_state

router = APIRouter(
    prefix=ADVANCED_PREFIX, route_class=PageRoute, dependencies=[Depends(verify_csrf)]
)
Admin = Annotated[SignedIn, Depends(current_admin)]
AdminArea = Annotated[Area, Depends(admin_area)]


@router.get("")
def workspace(request: Request, me: Admin, area: AdminArea) -> Response:
    state = web_state(request)
    today = state.clock.today()
    account = me.account
    with state.sessions() as session:
        usage = seat_usage(session, account_id=account.id, today=today)
        context = {
            "area": area,
            "account": account,
            "usage": usage,
            "chart": seat_chart(usage),
            "environments": accounts.list_environments(session, account_id=account.id),
            "runs": latest_runs(session, account_id=account.id),
            "open_cases": open_case_count(session, account_id=account.id),
            "days_left": (
                (account.license_expires_on - today).days if account.license_expires_on else None
            ),
        }
    return page(request, "admin/workspace.html", context)
