"""Set-password links (invitation and reset) and the forgotten-password form.

Opening a link (GET) only checks it and shows the form: mail scanners open links. Submitting
the form (POST) spends the link, sets the password, activates the user and signs them in.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import Response

from seatbridge.accounts.models import Account
from seatbridge.auth.access import ensure_may_sign_in
from seatbridge.auth.errors import AuthError, PasswordRejected, PasswordsDoNotMatch
from seatbridge.auth.passwords import MAX_LENGTH, MIN_LENGTH
from seatbridge.auth.sessions import open_session
from seatbridge.invitations.errors import LinkError, LinkUnknown
from seatbridge.invitations.links import check_link, consume
from seatbridge.invitations.models import TokenPurpose
from seatbridge.invitations.service import request_password_reset
from seatbridge.web.pages import error_message, redirect, render
from seatbridge.web.security import verify_csrf
from seatbridge.web.state import set_session_cookie, web_state

router = APIRouter(dependencies=[Depends(verify_csrf)])

FORM_TEMPLATE = "auth/set_password.html"
PasswordField = Annotated[str, Form(max_length=4 * MAX_LENGTH)]


def _link_error(request: Request, error: LinkError, purpose: TokenPurpose) -> Response:
    return render(
        request,
        "auth/link_error.html",
        {"error": error_message(request, error), "purpose": purpose.value},
        status_code=404 if isinstance(error, LinkUnknown) else 410,
    )


def _show_form(request: Request, token: str, purpose: TokenPurpose) -> Response:
    state = web_state(request)
    try:
        with state.sessions.begin() as session:
            link = check_link(
                session,
                raw_token=token,
                clock=state.clock,
                settings=state.settings,
                purpose=purpose,
            )
            email = link.user.email
    except LinkError as error:
        return _link_error(request, error, purpose)
    return render(request, FORM_TEMPLATE, _form_context(purpose, email, None))


def _form_context(purpose: TokenPurpose, email: str, error: str | None) -> dict[str, object]:
    return {
        "purpose": purpose.value,
        "email": email,
        "error": error,
        "min_length": MIN_LENGTH,
        "max_length": MAX_LENGTH,
    }


def _submit(
    request: Request, token: str, purpose: TokenPurpose, password: str, confirmation: str
) -> Response:
    state = web_state(request)
    email, raw_session = "", ""
    blocked: AuthError | None = None
    try:
        with state.sessions.begin() as session:
            link = check_link(
                session,
                raw_token=token,
                clock=state.clock,
                settings=state.settings,
                purpose=purpose,
            )
            email = link.user.email
            if password != confirmation:
                raise PasswordsDoNotMatch()
            user = consume(
                session,
                raw_token=token,
                password=password,
                clock=state.clock,
                settings=state.settings,
                passwords=state.passwords,
                purpose=purpose,
            )
            try:
                ensure_may_sign_in(
                    user, session.get_one(Account, user.account_id), state.clock.today()
                )
                raw_session = open_session(
                    session, user=user, clock=state.clock, settings=state.settings.auth
                )
            except AuthError as error:
                # The password is set all the same; rule 9 may still keep this user out.
                blocked = error
    except LinkError as error:
        return _link_error(request, error, purpose)
    except PasswordRejected as error:
        context = _form_context(purpose, email, error_message(request, error))
        return render(request, FORM_TEMPLATE, context, status_code=400)
    if blocked is not None:
        context = {"next": "/", "email": email, "error": error_message(request, blocked)}
        return render(request, "auth/sign_in.html", context, status_code=403)
    response = redirect("/")
    set_session_cookie(response, state, raw_session)
    return response


@router.get("/auth/set-password/{token}")
def set_password_page(request: Request, token: str) -> Response:
    return _show_form(request, token, TokenPurpose.INVITE)


@router.post("/auth/set-password/{token}")
def set_password_submit(
    request: Request,
    token: str,
    password: PasswordField = "",
    password_confirmation: PasswordField = "",
) -> Response:
    return _submit(request, token, TokenPurpose.INVITE, password, password_confirmation)


@router.get("/auth/reset-password/{token}")
def reset_password_page(request: Request, token: str) -> Response:
    return _show_form(request, token, TokenPurpose.RESET)


@router.post("/auth/reset-password/{token}")
def reset_password_submit(
    request: Request,
    token: str,
    password: PasswordField = "",
    password_confirmation: PasswordField = "",
) -> Response:
    return _submit(request, token, TokenPurpose.RESET, password, password_confirmation)


@router.get("/auth/forgot-password")
def forgot_password_page(request: Request) -> Response:
    return render(request, "auth/forgot_password.html", {"sent": False, "email": ""})


@router.post("/auth/forgot-password")
def forgot_password_submit(
    request: Request, email: Annotated[str, Form(max_length=320)] = ""
) -> Response:
    state = web_state(request)
    if email.strip():
        with state.sessions.begin() as session:
            request_password_reset(session, email=email, clock=state.clock, settings=state.settings)
    # The same page whether or not the address belongs to someone.
    return render(request, "auth/forgot_password.html", {"sent": True, "email": email})
