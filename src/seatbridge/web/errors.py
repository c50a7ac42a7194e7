"""Error pages: a person never sees a stack trace, only what happened and what to do."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from seatbridge.errors import SeatbridgeError, ValueOutOfRange, is_out_of_range
from seatbridge.web.i18n import negotiate_locale
from seatbridge.web.security import CsrfRejected
from seatbridge.web.state import page_locale, web_state

logger = logging.getLogger(__name__)

ERROR_PAGE = "errors/error.html"


def _page(
    request: Request, status_code: int, message: str | None = None, *, reason: str = ""
) -> Response:
    if status_code in (403, 404):
        # The store answered the access check: keep the person signed in on the page (their
        # menu, their name, their language), so a refusal never looks like being signed out.
        try:
            locale = page_locale(request)
        except Exception:
            logger.exception("could not read the session for the %s page", status_code)
            request.state.signed_in = None
            locale = negotiate_locale(request)
    else:
        # No store access here: the store itself may be what failed.
        request.state.signed_in = None
        locale = negotiate_locale(request)
    return web_state(request).templates.render(
        request,
        ERROR_PAGE,
        {"status_code": status_code, "message": message, "reason": reason},
        locale=locale,
        status_code=status_code,
    )


async def _domain(request: Request, error: Exception) -> Response:
    # CSRF refusals are 403; any other domain error no route translated is a bad request.
    csrf = isinstance(error, CsrfRejected)
    message = (
        error.message(negotiate_locale(request)) if isinstance(error, SeatbridgeError) else None
    )
    return _page(request, 403 if csrf else 400, message, reason="csrf" if csrf else "")


async def _http(request: Request, error: Exception) -> Response:
    status_code = error.status_code if isinstance(error, HTTPException) else 500
    detail = error.detail if isinstance(error, HTTPException) else None
    return _page(request, status_code, reason=detail if isinstance(detail, str) else "")


async def _invalid(request: Request, error: Exception) -> Response:
    return _page(request, 400)


async def _crash(request: Request, error: Exception) -> Response:
    if is_out_of_range(error):
        return _page(request, 400, ValueOutOfRange().message(negotiate_locale(request)))
    logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return _page(request, 500)


def install_error_pages(app: FastAPI) -> None:
    app.add_exception_handler(SeatbridgeError, _domain)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(Exception, _crash)
