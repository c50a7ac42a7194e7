"""What every request needs, built once by create_app and kept on app.state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request
from starlette.responses import Response

from seatbridge.auth.passwords import Passwords
from seatbridge.auth.sessions import SignedIn, resolve_session
from seatbridge.clock import Clock
from seatbridge.config import Settings
from seatbridge.mail.mailbox import MailboxTransport
from seatbridge.ops.metrics import Metrics
from seatbridge.web.i18n import negotiate_locale
from seatbridge.web.templating import Templates

SESSION_COOKIE = "sb_session"


@dataclass(frozen=True, slots=True)
class WebState:
    settings: Settings
    sessions: sessionmaker[Session]
    clock: Clock
    passwords: Passwords
    templates: Templates
    mailbox: MailboxTransport
    metrics: Metrics = field(default_factory=Metrics)


def web_state(request: Request) -> WebState:
    return cast(WebState, request.app.state.web)


def signed_in(request: Request) -> SignedIn | None:
    """The signed-in user, checked against the store on every request (status, licence)."""
    if hasattr(request.state, "signed_in"):
        return cast(SignedIn | None, request.state.signed_in)
    state = web_state(request)
    raw_token = request.cookies.get(SESSION_COOKIE)
    found = None
    if raw_token and len(raw_token) <= 100:
        with state.sessions.begin() as session:
            found = resolve_session(
                session, raw_token=raw_token, clock=state.clock, settings=state.settings.auth
            )
    request.state.signed_in = found
    return found


def page_locale(request: Request) -> str:
    user = signed_in(request)
    locale = negotiate_locale(request, user.user.locale if user else None)
    request.state.locale = locale
    return locale


def set_session_cookie(response: Response, state: WebState, raw_token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        raw_token,
        max_age=state.settings.auth.session_max_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=state.settings.cookie_secure,
    )


def clear_session_cookie(response: Response, state: WebState) -> None:
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=state.settings.cookie_secure
    )


def safe_next(target: str | None) -> str:
    """A local path to go back to after signing in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
