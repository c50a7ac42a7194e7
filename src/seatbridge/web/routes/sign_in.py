"""Sign-in and sign-out."""

from __future__ import annotations

import functools
from typing import Annotated, Any, cast

import anyio.to_thread
from fastapi import APIRouter, Depends, Form
from starlette.concurrency import run_in_threadpool
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
async def sign_in_submit(
    request: Request,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
    account_id: Annotated[int | None, Form(ge=1, le=2**31 - 1)] = None,
) -> Response:
    """The password check runs on its own few threads (one per argon2 slot), never on those
    that serve other requests; past the slots and their queue it is refused at once (503)."""
    state = web_state(request)
    context = {"next": safe_next(next), "email": email, "error": None}
    attempt = functools.partial(
        sign_in,
        state.sessions,
        email=email,
        password=password,
        client_address=request.client.host if request.client else "unknown",
        clock=state.clock,
        settings=state.settings.auth,
        passwords=state.passwords,
        account_id=account_id,
    )
    try:
        with state.passwords.admitted():
            result = await anyio.to_thread.run_sync(attempt, limiter=_password_threads(request))
    except errors.ChooseAccount as choice:
        state.metrics.signed_in("choose_account")
        context["accounts"] = choice.params["accounts"]
        return await run_in_threadpool(_refused, request, context, choice, 200)
    except errors.PasswordChecksBusy as busy:
        state.metrics.signed_in("busy")
        return await run_in_threadpool(_refused, request, context, busy, 503)
    except errors.SignInThrottled as throttled:
        state.metrics.signed_in("throttled")
        return await run_in_threadpool(_refused, request, context, throttled, 429)
    except errors.AuthError as refused:
        state.metrics.signed_in("refused")
        return await run_in_threadpool(_refused, request, context, refused, 400)
    state.metrics.signed_in("succeeded")
    response = redirect(safe_next(next))
    set_session_cookie(response, state, result.session_token)
    return response


def _refused(
    request: Request, context: dict[str, Any], error: errors.AuthError, status: int
) -> Response:
    context["error"] = error_message(request, error)
    response = render(request, SIGN_IN, context, status_code=status)
    if "seconds" in error.params:
        response.headers["Retry-After"] = str(error.params["seconds"])
    return response


def _password_threads(request: Request) -> anyio.CapacityLimiter:
    """The sign-in threads: as many as argon2 slots (made in the event loop, on first use)."""
    limiter = getattr(request.app.state, "password_threads", None)
    if limiter is None:
        limiter = anyio.CapacityLimiter(web_state(request).passwords.concurrency)
        request.app.state.password_threads = limiter
    return cast(anyio.CapacityLimiter, limiter)


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
