"""Error pages: a person never sees a stack trace, only what happened and what to do."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from seatbridge.errors import SeatbridgeError
from seatbridge.web.i18n import negotiate_locale
from seatbridge.web.security import CsrfRejected
from seatbridge.web.state import web_state

logger = logging.getLogger(__name__)

ERROR_PAGE = "errors/error.html"


def _page(request: Request, status_code: int, message: str | None = None) -> Response:
    # No store access here: the store itself may be what failed.
    locale = negotiate_locale(request)
    request.state.signed_in = None
    return web_state(request).templates.render(
        request,
        ERROR_PAGE,
        {"status_code": status_code, "message": message},
        locale=locale,
        status_code=status_code,
    )


async def _domain(request: Request, error: Exception) -> Response:
    # CSRF refusals are 403; any other domain error no route translated is a bad request.
    status_code = 403 if isinstance(error, CsrfRejected) else 400
    message = (
        error.message(negotiate_locale(request)) if isinstance(error, SeatbridgeError) else None
    )
    return _page(request, status_code, message)


async def _http(request: Request, error: Exception) -> Response:
    status_code = error.status_code if isinstance(error, HTTPException) else 500
    return _page(request, status_code)


async def _invalid(request: Request, error: Exception) -> Response:
    return _page(request, 400)


async def _crash(request: Request, error: Exception) -> Response:
    logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return _page(request, 500)


def install_error_pages(app: FastAPI) -> None:
    app.add_exception_handler(SeatbridgeError, _domain)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(Exception, _crash)
