"""Who may open a page: signed-in people, admins, and the admin area of the account's edition.

Checks are FastAPI dependencies. A page that needs a sign-in (or lives in the other edition's
area) raises `Redirect`, which `PageRoute` turns into a 303 (and an HX-Redirect for htmx).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from seatbridge.accounts.errors import AccountNotFound, EnvironmentNotFound
from seatbridge.auth.sessions import SignedIn
from seatbridge.directory.errors import UserNotFound
from seatbridge.directory.models import Role
from seatbridge.errors import SeatbridgeError
from seatbridge.licensing import Edition
from seatbridge.sync.errors import CaseNotFound, CollaboratorNotFound
from seatbridge.web.pages import redirect
from seatbridge.web.state import signed_in

STARTER_PREFIX = "/administration"
ADMIN_ONLY = "admin_only"  # the 403 page's reason: a page for the account's admins
ADVANCED_PREFIX = "/admin"


class Redirect(Exception):  # a control-flow signal for PageRoute, not an error
    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


class PageRoute(APIRoute):
    """A route whose dependencies may answer with a redirect instead of the page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except Redirect as moved:
                response = redirect(moved.target)
                if request.headers.get("hx-request"):
                    response.headers["HX-Redirect"] = moved.target
                return response

        return handle


def current_user(request: Request) -> SignedIn:
    """The signed-in person, or a redirect to the sign-in page that comes back here."""
    found = signed_in(request)
    if found is None:
        target = request.url.path
        if request.url.query and request.method == "GET":
            target += "?" + request.url.query
        raise Redirect("/auth/sign-in?next=" + quote(target, safe="/"))
    return found


def current_admin(request: Request) -> SignedIn:
    """An admin of the account; anyone else gets the 403 page."""
    found = current_user(request)
    if found.user.role != Role.ADMIN.value:
        raise HTTPException(status_code=403, detail=ADMIN_ONLY)
    return found


def is_advanced(me: SignedIn) -> bool:
    return me.account.edition == Edition.ADVANCED.value


@dataclass(frozen=True, slots=True)
class Area:
    """Where an admin's pages live: Starter's Administration or the advanced Admin console."""

    prefix: str
    advanced: bool


def admin_area(request: Request) -> Area:
    """The admin area of the account's edition; a page asked in the other area moves there."""
    me = current_admin(request)
    advanced = is_advanced(me)
    path = request.url.path
    prefix = ADVANCED_PREFIX if advanced else STARTER_PREFIX
    other = STARTER_PREFIX if advanced else ADVANCED_PREFIX
    if path == other or path.startswith(other + "/"):
        rest = path[len(other) :]
        raise Redirect(prefix + (rest if advanced else _starter_path(rest)))
    return Area(prefix=prefix, advanced=advanced)


def _starter_path(rest: str) -> str:
    # Advanced-only pages (environments, runs, audit...) have no Starter twin: go to the start.
    shared = ("/users", "/invite", "/licences", "/reviews")
    return rest if rest.startswith(shared) else ""


@contextmanager
def or_404() -> Iterator[None]:
    """A thing of another account, or of none, is simply not found (never 'forbidden')."""
    try:
        yield
    except NOT_FOUND as missing:
        raise HTTPException(status_code=404) from missing


NOT_FOUND: tuple[type[SeatbridgeError], ...] = (
    AccountNotFound,
    EnvironmentNotFound,
    UserNotFound,
    CaseNotFound,
    CollaboratorNotFound,
)
