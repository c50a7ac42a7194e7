"""Errors as `application/problem+json` (RFC 9457): a stable `type` built from the domain error's
code, a title and a detail in French (English with `Accept-Language: en`), the status, and the
values a program needs (e.g. `seats_free`)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from seatbridge.error_status import STATUS as SHARED_STATUS
from seatbridge.error_status import members_of as members_of
from seatbridge.error_status import status_of as shared_status_of
from seatbridge.errors import SeatbridgeError, ValueOutOfRange, is_out_of_range
from seatbridge.i18n import N_, gettext
from seatbridge.web.api import errors as api
from seatbridge.web.i18n import DEFAULT_LOCALE, from_accept_language

logger = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://seatbridge.dev/problems/"

# Web-only errors first; then the table every edge shares (seatbridge.error_status).
STATUS: list[tuple[type[SeatbridgeError] | str, int]] = [
    (api.RunNotFound, 404),
    (api.InvalidCursor, 422),
    (api.ConnectorEnvironment, 409),
    *SHARED_STATUS,
]

TITLES = {
    400: N_("Requête invalide"),
    401: N_("Authentification requise"),
    403: N_("Opération non permise"),
    404: N_("Introuvable"),
    405: N_("Méthode non permise"),
    409: N_("Conflit avec l'état actuel"),
    422: N_("Données invalides"),
    500: N_("Erreur interne"),
    502: N_("Source Sage 100 indisponible"),
}


class Problem(BaseModel):
    """An RFC 9457 problem; error-specific members (e.g. `seats_free`) come beside these."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    code: str


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationProblem(Problem):
    """A 422: `errors` lists the fields at fault (empty when the whole request is)."""

    errors: list[FieldError]


def locale_of(request: Request) -> str:
    return from_accept_language(request.headers.get("accept-language")) or DEFAULT_LOCALE


def problem_response(
    request: Request,
    status: int,
    code: str,
    detail: str,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    locale = locale_of(request)
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": gettext(TITLES.get(status, TITLES[400]), locale),
        "status": status,
        "detail": detail,
        "code": code,
    } | (extra or {})
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def status_of(error: SeatbridgeError) -> int:
    return shared_status_of(error, STATUS)


async def _domain(request: Request, error: Exception) -> Response:
    if not isinstance(error, SeatbridgeError):
        return await _crash(request, error)
    status = status_of(error)
    headers = {"WWW-Authenticate": 'Bearer realm="api"'} if status == 401 else None
    members = members_of(error, locale_of(request)) | ({"errors": []} if status == 422 else {})
    return problem_response(
        request, status, error.code, error.message(locale_of(request)), members, headers
    )


async def _invalid(request: Request, error: Exception) -> Response:
    found = error.errors() if isinstance(error, RequestValidationError) else []
    field_errors = [
        {"loc": list(item.get("loc", ())), "msg": str(item.get("msg")), "type": item.get("type")}
        for item in found
    ]
    detail = gettext(N_("Certains champs sont invalides : voir errors."), locale_of(request))
    return problem_response(request, 422, "invalid_input", detail, {"errors": field_errors})


async def _conflict(request: Request, error: Exception) -> Response:
    # A concurrent request wrote the same unique value between our check and our write.
    detail = gettext(
        N_(
            "Une autre requête a modifié les mêmes données au même moment : rien n'a été "
            "modifié, recommencez."
        ),
        locale_of(request),
    )
    return problem_response(request, 409, "concurrent_change", detail)


async def _http(request: Request, error: Exception) -> Response:
    status = error.status_code if isinstance(error, HTTPException) else 500
    code = {404: "not_found", 405: "method_not_allowed"}.get(status, f"http_{status}")
    title = TITLES.get(status, TITLES[400])
    return problem_response(request, status, code, gettext(title, locale_of(request)))


async def _crash(request: Request, error: Exception) -> Response:
    if is_out_of_range(error):
        return await _domain(request, ValueOutOfRange())
    logger.error("unhandled API error on %s %s", request.method, request.url.path, exc_info=error)
    detail = gettext(N_("L'opération a échoué sans rien modifier."), locale_of(request))
    return problem_response(request, 500, "internal_error", detail)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SeatbridgeError, _domain)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(IntegrityError, _conflict)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _crash)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: each status answers a problem document."""
    described: dict[int | str, dict[str, Any]] = {}
    for status in (401, 403, *statuses):
        schema = "ValidationProblem" if status == 422 else "Problem"
        described[status] = {
            "description": TITLES.get(status, TITLES[400])[1],
            "content": {MEDIA_TYPE: {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        }
    return described
