"""Starter's "Administration" home: "Gestion des utilisateurs" (rule 10)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from seatbridge.auth.sessions import SignedIn
from seatbridge.web.admin.access import STARTER_PREFIX, Area, PageRoute, admin_area, current_admin
from seatbridge.web.admin.users import users_page
from seatbridge.web.security import verify_csrf

router = APIRouter(
    prefix=STARTER_PREFIX, route_class=PageRoute, dependencies=[Depends(verify_csrf)]
)


@router.get("")
def administration(
    request: Request,
    me: Annotated[SignedIn, Depends(current_admin)],
    area: Annotated[Area, Depends(admin_area)],
) -> Response:
    return users_page(request, me, area)
