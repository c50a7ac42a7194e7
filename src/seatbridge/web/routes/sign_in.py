"""Sign-in and sign-out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import Response

from seatbridge.auth import errors
from seatbridge.auth.sessions import end_session
from seatbridge.auth.signin import sign_in
from seatbridge.web.pages import error_message, redirect, render
from seatbridge.web.security import verify_csrf
from seatbridge.web.state import (
    SESSION_COOKIE,
    clear_session_cookie,
    safe_next,
    set_session_cookie,
    signed_in,
    web_state,
)

router = APIRouter(dependencies=[Depends(verify_csrf)])

SIGN_IN = "auth/sign_in.html"


@router.get("/auth/sign-in")
def sign_in_page(request: Request, next: str = "/") -> Response:
    if signed_in(request) is not None:
        return redirect(safe_next(next))
    return render(request, SIGN_IN, {"next": safe_next(next), "email": "", "error": None})


@router.post("/auth/sign-in")
def sign_in_submit(
    request: Request,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
    account_id: Annotated[int | None, Form()] = None,
) -> Response:
    state = web_state(request)
    context = {"next": safe_next(next), "email": email, "error": None}
    try:
        result = sign_in(
            state.sessions,
            email=email,
            password=password,
            client_address=request.client.host if request.client else "unknown",
            clock=state.clock,
            settings=state.settings.auth,
            passwords=state.passwords,
            account_id=account_id,
        )
    except errors.ChooseAccount as choice:
        state.metrics.signed_in("choose_account")
        context |= {"accounts": choice.params["accounts"], "error": error_message(request, choice)}
        return render(request, SIGN_IN, context)
    except errors.SignInThrottled as throttled:
        state.metrics.signed_in("throttled")
        context["error"] = error_message(request, throttled)
        return render(request, SIGN_IN, context, status_code=429)
    except errors.AuthError as refused:
        state.metrics.signed_in("refused")
        context["error"] = error_message(request, refused)
        return render(request, SIGN_IN, context, status_code=400)
    state.metrics.signed_in("succeeded")
    response = redirect(safe_next(next))
    set_session_cookie(response, state, result.session_token)
    return response


@router.post("/auth/sign-out")
def sign_out(request: Request) -> Response:
    state = web_state(request)
    raw_token = request.cookies.get(SESSION_COOKIE)
    if raw_token:
        with state.sessions.begin() as session:
            end_session(session, raw_token=raw_token)
    response = redirect("/auth/sign-in")
    clear_session_cookie(response, state)
    return response
