"""The signed-in home page, which sends each person where their work is, and the language switch.

An admin whose account is not activated yet goes to the activation wizard; other admins go to
their edition's admin area (Starter "Administration", advanced "Admin"); sales reps and managers
see their portfolio ("Mon portefeuille") right here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from sqlalchemy import update
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from seatbridge.directory.models import Role, User
from seatbridge.web.admin.access import ADVANCED_PREFIX, STARTER_PREFIX, is_advanced
from seatbridge.web.i18n import LANG_COOKIE, supported
from seatbridge.web.pages import redirect
from seatbridge.web.portal.pages import portfolio_home
from seatbridge.web.security import ONE_YEAR, verify_csrf
from seatbridge.web.state import safe_next, signed_in, web_state
from seatbridge.web.wizard.progress import is_finished

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    """Browsers ask for /favicon.ico before reading the page's icon link: point them to it."""
    return RedirectResponse("/static/favicon.svg", status_code=301)


@router.get("/")
def home(request: Request) -> Response:
    current = signed_in(request)
    if current is None:
        return redirect("/auth/sign-in?next=/")
    if current.user.role == Role.ADMIN.value:
        with web_state(request).sessions() as session:
            finished = is_finished(session, account_id=current.account.id)
        if not finished:
            return redirect("/activation")
        return redirect(ADVANCED_PREFIX if is_advanced(current) else STARTER_PREFIX)
    return portfolio_home(request, current)


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
