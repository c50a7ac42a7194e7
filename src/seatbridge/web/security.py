"""CSRF protection for every form POST, and the security headers of every response.

CSRF uses a signed double-submit token: a random value in an HttpOnly cookie, and in each form
an HMAC of that value under the server's secret. A cross-site form can send the cookie but
cannot read it nor compute the HMAC, so a POST without the matching field is refused (403).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_

CSRF_COOKIE = "sb_csrf"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
ONE_YEAR = 365 * 24 * 3600
# The REST API and SCIM authenticate each request with a bearer key and never read a cookie, so a
# cross-site request has nothing to ride on: no CSRF cookie or token there.
CSRF_EXEMPT_PREFIXES = ("/api/", "/scim/")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Set-password links carry their token in the path: never leak it in a Referer.
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}


class CsrfRejected(SeatbridgeError):
    code = "csrf_rejected"
    template = N_(
        "Ce formulaire a expiré ou ne vient pas de ce site : rechargez la page, puis recommencez."
    )


def form_token(key: bytes, cookie_value: str) -> str:
    digest = hmac.new(key, b"csrf:" + cookie_value.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def security_middleware(
    key: bytes, *, secure_cookies: bool
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    """Give every browser a CSRF cookie, expose its form token, and add security headers."""

    async def middleware(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path.startswith(CSRF_EXEMPT_PREFIXES):
            response = await call_next(request)
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            response.headers.setdefault("Cache-Control", "no-store")
            return response
        cookie = request.cookies.get(CSRF_COOKIE) or ""
        fresh = not cookie or len(cookie) > 100
        if fresh:
            cookie = secrets.token_urlsafe(32)
        request.state.csrf_cookie = cookie
        request.state.csrf_token = form_token(key, cookie)
        response = await call_next(request)
        if fresh:
            response.set_cookie(
                CSRF_COOKIE,
                cookie,
                max_age=ONE_YEAR,
                httponly=True,
                samesite="lax",
                secure=secure_cookies,
            )
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return middleware


async def verify_csrf(request: Request) -> None:
    """A dependency for form routers: unsafe methods need the form token of this browser."""
    if request.method in SAFE_METHODS:
        return
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = getattr(request.state, "csrf_token", None)
    had_cookie = CSRF_COOKIE in request.cookies
    if (
        not had_cookie
        or not isinstance(sent, str)
        or not expected
        or not hmac.compare_digest(sent.encode(), expected.encode())
    ):
        raise CsrfRejected()
