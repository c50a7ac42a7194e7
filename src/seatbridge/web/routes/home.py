"""The signed-in home page (a placeholder the portal replaces) and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from sqlalchemy import update
from starlette.requests import Request
from starlette.responses import Response

from seatbridge.directory.models import User
from seatbridge.web.i18n import LANG_COOKIE, supported
from seatbridge.web.pages import redirect, render
from seatbridge.web.security import ONE_YEAR, verify_csrf
from seatbridge.web.state import safe_next, signed_in, web_state

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/")
def home(request: Request) -> Response:
    current = signed_in(request)
    if current is None:
        return redirect("/auth/sign-in?next=/")
    return render(request, "home.html", {"account": current.account, "me": current.user})


@router.post("/lang")
def switch_language(
    request: Request,
    lang: Annotated[str, Form(max_length=10)] = "fr",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Remember the chosen language in a cookie, and as the user's preference (e-mails too)."""
    locale = supported(lang) or "fr"
    current = signed_in(request)
    if current is not None:
        state = web_state(request)
        with state.sessions.begin() as session:
            session.execute(
                update(User)
                .where(User.account_id == current.account.id, User.id == current.user.id)
                .values(locale=locale)
                .execution_options(synchronize_session=False)
            )
    response = redirect(safe_next(next))
    response.set_cookie(
        LANG_COOKIE,
        locale,
        max_age=ONE_YEAR,
        httponly=True,
        samesite="lax",
        secure=web_state(request).settings.cookie_secure,
    )
    return response
