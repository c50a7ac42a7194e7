"""Rendering helpers shared by the routers."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from seatbridge.errors import SeatbridgeError
from seatbridge.web.state import page_locale, web_state


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """Render a page in the request's language."""
    return web_state(request).templates.render(
        request, name, context, locale=page_locale(request), status_code=status_code
    )


def error_message(request: Request, error: SeatbridgeError) -> str:
    return error.message(page_locale(request))


def redirect(target: str) -> RedirectResponse:
    """303: after a POST the browser GETs the target."""
    return RedirectResponse(target, status_code=303)
