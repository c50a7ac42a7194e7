"""Rendering the product pages: the page language, `fmt`, and notices carried across redirects."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from seatbridge.web.admin.formatting import Formatter
from seatbridge.web.pages import redirect, render
from seatbridge.web.state import page_locale, web_state

# The notices a redirect may ask the next page to show (?done=...&n=...); text in the templates.
NOTICES = frozenset(
    {
        "activated",
        "added",
        "cap",
        "code",
        "deactivated",
        "invited",
        "linked",
        "password_links",
        "pending",
        "reactivated",
        "resent",
        "resolved",
        "revoked",
        "role",
        "started",
        "waiting",
        "key_revoked",
    }
)


def page(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """Render a product page with the formatter and the notice of the last action, if any."""
    locale = page_locale(request)
    done = request.query_params.get("done")
    count = request.query_params.get("n", "")
    values: dict[str, Any] = {
        "fmt": Formatter(locale, web_state(request).settings.timezone),
        "notice": done if done in NOTICES else None,
        "notice_count": int(count) if count.isdigit() else None,
        "is_htmx": bool(request.headers.get("hx-request")),
        "demo": web_state(request).settings.demo,
    }
    return render(request, name, values | (context or {}), status_code=status_code)


def done(target: str, notice: str, count: int | None = None) -> RedirectResponse:
    """Redirect after a successful POST, telling the next page what to confirm."""
    query = {"done": notice} | ({"n": str(count)} if count is not None else {})
    separator = "&" if "?" in target else "?"
    return redirect(target + separator + urlencode(query))
