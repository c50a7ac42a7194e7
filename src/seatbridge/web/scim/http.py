"""SCIM over HTTP: `application/scim+json` responses, SCIM Error bodies for every failure, the
bearer key (scope `scim`), request bodies and ETag preconditions."""

from __future__ import annotations

import json
import logging
import re
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import ValidationError
from scim2_models import Error, InvalidSyntaxException, SCIMException, ScimPolicy
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from seatbridge.accounts import errors as account_errors
from seatbridge.apikeys import errors as key_errors
from seatbridge.apikeys.scopes import Access
from seatbridge.apikeys.service import ApiCaller
from seatbridge.directory import errors as directory_errors
from seatbridge.errors import SeatbridgeError
from seatbridge.web.api.auth import authenticate, bearer
from seatbridge.web.i18n import DEFAULT_LOCALE, from_accept_language
from seatbridge.web.scim import errors
from seatbridge.web.state import web_state

logger = logging.getLogger(__name__)

MEDIA_TYPE = "application/scim+json"
# Identity providers send what they send: unknown attributes are ignored, Entra's PATCH habits
# (a remove carrying the value to remove, a filter path that names a missing entry) accepted.
LENIENT = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)

# Domain errors -> (HTTP status, scimType). Licence and seat refusals are 403: the account's
# licence does not permit the operation (RFC 7644 §3.12), and the detail says why.
STATUS: list[tuple[type[SeatbridgeError], int, str | None]] = [
    (key_errors.ApiKeyRejected, 401, None),
    (key_errors.ScopeDenied, 403, None),
    (account_errors.SeatLimitReached, 403, None),
    (account_errors.OverQuota, 403, None),
    (account_errors.EnvironmentSeatCapReached, 403, None),
    (account_errors.LicenseExpired, 403, None),
    (account_errors.NoLicense, 403, None),
    (errors.AwaitingVerification, 403, None),
    (directory_errors.RoleBeforeAcceptance, 403, None),
    (errors.GroupNotKept, 403, None),
    (errors.GroupNotDeletable, 403, None),
    (errors.ScimGroupNotFound, 404, None),
    (errors.GroupExists, 409, "uniqueness"),
    (errors.GroupAttributeFixed, 400, "mutability"),
    (errors.ScimUserNotFound, 404, None),
    (directory_errors.UserNotFound, 404, None),
    (errors.UserNameTaken, 409, "uniqueness"),
    (errors.EmailTaken, 409, "uniqueness"),
    (directory_errors.EmailAlreadyUsed, 409, "uniqueness"),
    (directory_errors.ConcurrentChange, 409, None),
    (errors.VersionMismatch, 412, None),
    (errors.RequiredAttribute, 400, "mutability"),
    (errors.MissingEmail, 400, "invalidValue"),
    (errors.InvalidUserName, 400, "invalidValue"),
    (errors.InvalidAttribute, 400, "invalidValue"),
    (directory_errors.InvalidEmail, 400, "invalidValue"),
]


class ScimResponse(JSONResponse):
    media_type = MEDIA_TYPE


def scim_response(
    payload: dict[str, Any], status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return ScimResponse(payload, status_code=status_code, headers=headers)


def error_response(
    status: int, detail: str, scim_type: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    body = Error(status=status, scim_type=scim_type, detail=detail).model_dump()
    return scim_response(body, status_code=status, headers=headers)


def scim_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> ApiCaller:
    caller = authenticate(request, credentials)
    caller.scope.require(Access.SCIM)
    return caller


Caller = Annotated[ApiCaller, Depends(scim_caller)]


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object (application/scim+json or application/json)."""
    try:
        payload = json.loads(await request.body() or b"null")
    except (ValueError, UnicodeDecodeError):
        raise InvalidSyntaxException(detail="the body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise InvalidSyntaxException(detail="the body must be a JSON object")
    return payload


Body = Annotated[dict[str, Any], Depends(json_body)]


def check_version(request: Request, current: str, *, user: str) -> None:
    """RFC 7644 §3.14: a PUT, PATCH or DELETE with If-Match applies only to that version."""
    wanted = request.headers.get("if-match")
    if wanted is None:
        return
    tags = {tag.strip() for tag in wanted.split(",")}
    if "*" not in tags and current not in tags and current.removeprefix("W/") not in tags:
        raise errors.VersionMismatch(user=user, version=wanted[:80])


def public_base(request: Request) -> str:
    """The server's public base URL, for absolute links (meta.location, Location).

    SEATBRIDGE_BASE_URL when the operator set it; otherwise the request's own scheme and host,
    as a reverse proxy forwarded them (X-Forwarded-Proto, -Host, -Prefix) when the peer is one
    of SEATBRIDGE_FORWARDED_ALLOW_IPS, never from anyone else. Welcome e-mails never follow a
    request's Host (that would let a request choose where a password link points): they use
    the configured base URL.
    """
    settings = web_state(request).settings
    if "base_url" in settings.model_fields_set:
        return settings.base_url.rstrip("/")
    scheme = request.url.scheme
    host = request.headers.get("host") or request.url.netloc
    prefix = ""
    peer = request.client.host if request.client else ""
    trusted = {ip.strip() for ip in settings.forwarded_allow_ips.split(",") if ip.strip()}
    if "*" in trusted or peer in trusted:
        forwarded_scheme = _first(request.headers.get("x-forwarded-proto"))
        if forwarded_scheme in ("http", "https"):
            scheme = forwarded_scheme
        host = _first(request.headers.get("x-forwarded-host")) or host
        prefix = (_first(request.headers.get("x-forwarded-prefix")) or "").rstrip("/")
    if not _HOST.fullmatch(host) or not (prefix == "" or _PREFIX.fullmatch(prefix)):
        return settings.base_url.rstrip("/")  # a header no proxy would send: the default
    return f"{scheme}://{host}{prefix}"


_HOST = re.compile(r"[A-Za-z0-9.\-]{1,253}(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?")
_PREFIX = re.compile(r"(/[A-Za-z0-9._~\-]+){1,10}")


def _first(value: str | None) -> str | None:
    return value.split(",")[0].strip() if value else None


def locale_of(request: Request) -> str:
    return from_accept_language(request.headers.get("accept-language")) or DEFAULT_LOCALE


async def _domain(request: Request, error: Exception) -> Response:
    if not isinstance(error, SeatbridgeError):
        return await _crash(request, error)
    status, scim_type = next(
        ((code, kind) for cls, code, kind in STATUS if isinstance(error, cls)), (400, None)
    )
    headers = {"WWW-Authenticate": 'Bearer realm="scim"'} if status == 401 else None
    return error_response(status, detail_of(request, error, status), scim_type, headers)


def detail_of(request: Request, error: SeatbridgeError, status: int) -> str:
    """The Error `detail` an identity provider shows in its provisioning log.

    Entra ID and Okta send no Accept-Language: a refusal the customer's admin must act on (no
    free seat, licence, a user awaiting verification: the 403s) is then written in French and
    in English, since whoever reads the IdP's log may read either. Otherwise, the language asked.
    """
    if status == 403 and request.headers.get("accept-language") is None:
        return f"{error.message('fr')} | EN: {error.message('en')}"
    return error.message(locale_of(request))


async def _scim(request: Request, error: Exception) -> Response:
    if not isinstance(error, SCIMException):
        return await _crash(request, error)
    return error_response(error.status, error.detail, error.scim_type or None)


async def _invalid(request: Request, error: Exception) -> Response:
    problems = error.errors() if isinstance(error, ValidationError | RequestValidationError) else []
    first: dict[str, Any] = dict(problems[0]) if problems else {}
    context = first.get("ctx") or {}
    scim_type = context.get("scim_type") or (
        "invalidSyntax" if first.get("type") == "json_invalid" else "invalidValue"
    )
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    detail = f"{where}: {first.get('msg')}" if where else str(first.get("msg") or "invalid")
    status = int(context.get("status") or 400)
    return error_response(status, detail, str(scim_type))


async def _conflict(request: Request, error: Exception) -> Response:
    # A concurrent request took the same userName or e-mail between our check and our write.
    return error_response(409, "userName or e-mail already taken by another user", "uniqueness")


async def _http(request: Request, error: Exception) -> Response:
    status = error.status_code if isinstance(error, HTTPException) else 500
    detail = error.detail if isinstance(error, HTTPException) else "error"
    return error_response(status, str(detail))


async def _crash(request: Request, error: Exception) -> Response:
    logger.error("unhandled SCIM error on %s %s", request.method, request.url.path, exc_info=error)
    return error_response(500, "Internal error: the operation was not applied.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SeatbridgeError, _domain)
    app.add_exception_handler(SCIMException, _scim)
    app.add_exception_handler(ValidationError, _invalid)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(IntegrityError, _conflict)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _crash)
