"""Sign-in and sign-out."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import html
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Form
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from seatbridge.auth import errors
from seatbridge.auth.passwords import RETRY_AFTER_BUSY, Passwords
from seatbridge.auth.sessions import end_session
from seatbridge.auth.signin import sign_in
from seatbridge.web.i18n import from_accept_language
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
# Password threads yield the CPUs to the threads serving other requests (nice 0 -> 10).
PASSWORD_THREAD_NICENESS = 10


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
    """The password check runs on its own threads, never on those that serve other requests;
    past the argon2 slots and their queue it is refused at once (503)."""
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
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(_password_threads(request), attempt)
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


def _password_threads(request: Request) -> ThreadPoolExecutor:
    """The sign-in threads, apart from those that serve other requests: one per admitted
    sign-in (argon2 slots + queue), so that a throttled attempt (no argon2) never waits behind
    verifications, while `Passwords` lets only its slots hash at once. They run at a lower
    scheduling priority: when the CPUs are busy, other requests go first."""
    pool = getattr(request.app.state, "password_threads", None)
    if pool is None:
        passwords = web_state(request).passwords
        pool = ThreadPoolExecutor(
            max_workers=passwords.concurrency + passwords.queue,
            thread_name_prefix="sign-in",
            initializer=_lower_priority,
        )
        request.app.state.password_threads = pool
    return cast(ThreadPoolExecutor, pool)


def _lower_priority() -> None:
    with contextlib.suppress(AttributeError, OSError):  # Linux: each thread has its own nice
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), PASSWORD_THREAD_NICENESS)


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


class SignInGate:
    """ASGI middleware: while every argon2 slot and queue place is taken, a sign-in POST is
    answered 503 at once, before its body is read or anything else runs, so that a flood costs
    the server next to nothing and other requests keep their turn on the event loop."""

    def __init__(self, app: ASGIApp, *, passwords: Passwords) -> None:
        self.app = app
        self.passwords = passwords

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"] == "/auth/sign-in"
            and self.passwords.full
        ):
            headers = dict(scope.get("headers") or [])
            locale = from_accept_language(headers.get(b"accept-language", b"").decode("latin-1"))
            busy = errors.PasswordChecksBusy(seconds=RETRY_AFTER_BUSY)
            body = (
                f"<!doctype html><title>503</title><p>{html.escape(busy.message(locale or 'fr'))}"
            )
            response = HTMLResponse(
                body, status_code=503, headers={"Retry-After": str(RETRY_AFTER_BUSY)}
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
