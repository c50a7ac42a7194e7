""" "Clés API" (advanced): create (the token is shown once), list, revoke."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException
from starlette.requests import Request
from starlette.responses import Response

from seatbridge.accounts import service as accounts
from seatbridge.apikeys import service as api_keys
from seatbridge.apikeys.errors import ApiKeyNotFound
from seatbridge.auth.sessions import SignedIn
from seatbridge.errors import SeatbridgeError
from seatbridge.web.admin.access import Area, PageRoute, admin_area, current_admin
from seatbridge.web.admin.ui import done, page
from seatbridge.web.pages import error_message
from seatbridge.web.security import verify_csrf
from seatbridge.web.state import web_state

router = APIRouter(route_class=PageRoute, dependencies=[Depends(verify_csrf)])
Admin = Annotated[SignedIn, Depends(current_admin)]
AdminArea = Annotated[Area, Depends(admin_area)]


def keys_page(
    request: Request, me: SignedIn, area: Area, *, status_code: int = 200, **extra: Any
) -> Response:
    with web_state(request).sessions() as session:
        context: dict[str, Any] = {
            "area": area,
            "keys": api_keys.list_keys(session, account_id=me.account.id),
            "environments": accounts.list_environments(session, account_id=me.account.id),
            "issued": None,
            "error": None,
            "name": "",
        }
    return page(request, "admin/api_keys.html", context | extra, status_code=status_code)


@router.get("/api-keys")
def keys(request: Request, me: Admin, area: AdminArea) -> Response:
    return keys_page(request, me, area)


@router.post("/api-keys")
def create(
    request: Request,
    me: Admin,
    area: AdminArea,
    name: Annotated[str, Form(max_length=200)] = "",
    scope: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """The new key's token is in this answer only: it is stored as a hash."""
    state = web_state(request)
    try:
        with state.sessions.begin() as session:
            issued = api_keys.create_key(
                session,
                account_id=me.account.id,
                name=name,
                scope=scope,
                actor=me.user.email,
                clock=state.clock,
            )
            token, public_id = issued.token, issued.key.public_id
    except SeatbridgeError as refused:
        return keys_page(
            request, me, area, status_code=400, name=name, error=error_message(request, refused)
        )
    return keys_page(request, me, area, issued={"token": token, "public_id": public_id})


@router.post("/api-keys/{public_id}/revoke")
def revoke(request: Request, me: Admin, area: AdminArea, public_id: str) -> Response:
    state = web_state(request)
    try:
        with state.sessions.begin() as session:
            api_keys.revoke_key(
                session,
                account_id=me.account.id,
                key_id=public_id,
                actor=me.user.email,
                clock=state.clock,
            )
    except ApiKeyNotFound as missing:
        raise HTTPException(status_code=404) from missing
    return done(area.prefix + "/api-keys", "key_revoked")
