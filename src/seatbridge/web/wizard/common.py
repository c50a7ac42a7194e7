"""What every wizard page shares: who may open it, the step it stands at, the account's seats."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import HTMLResponse

from seatbridge.accounts.seats import seat_usage
from seatbridge.auth.sessions import SignedIn
from seatbridge.web.admin.access import PageRoute, Redirect, current_admin
from seatbridge.web.admin.ui import page
from seatbridge.web.security import verify_csrf
from seatbridge.web.state import web_state
from seatbridge.web.wizard.progress import Step, is_finished, next_step

STEP_PATHS = {
    Step.CODE: "/activation/code",
    Step.COMPANIES: "/activation/companies",
    Step.SYNC: "/activation/sync",
    Step.INVITE: "/activation/invite",
    Step.SEND: "/activation/invite",
}


def wizard_router() -> APIRouter:
    return APIRouter(route_class=PageRoute, dependencies=[Depends(verify_csrf)])


def wizard_admin(request: Request) -> SignedIn:
    """An admin of an account whose activation is not over (otherwise: home)."""
    me = current_admin(request)
    with web_state(request).sessions() as session:
        if is_finished(session, account_id=me.account.id):
            raise Redirect("/")
    return me


def require_step(request: Request, me: SignedIn, step: Step) -> Step:
    """Refuse to skip ahead: a step whose predecessors are not done sends to the first one."""
    with web_state(request).sessions() as session:
        reached = next_step(session, account=me.account)
    if step > reached:
        raise Redirect(STEP_PATHS[reached])
    return reached


def wizard_page(
    request: Request,
    me: SignedIn,
    name: str,
    step: Step,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    state = web_state(request)
    with state.sessions() as session:
        usage = seat_usage(session, account_id=me.account.id, today=state.clock.today())
        reached = next_step(session, account=me.account)
    values = {
        "step": int(step),
        "reached": int(reached),
        "usage": usage,
        "account": me.account,
        "hide_nav": True,
    }
    return page(request, name, values | (context or {}), status_code=status_code)
