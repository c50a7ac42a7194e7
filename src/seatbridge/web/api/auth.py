"""Bearer API keys for the REST API and SCIM: never a cookie, never a browser session.

Each request authenticates in its own short transaction (which also records the key's last use),
then checks the key's scope for the operation; what it then reads or changes is scoped to the
key's account by every query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from seatbridge.apikeys import errors
from seatbridge.apikeys import service as apikeys
from seatbridge.apikeys.scopes import Access
from seatbridge.apikeys.service import ApiCaller
from seatbridge.web.state import web_state

MAX_ID = 2_147_483_647  # ids are 32-bit integers in the store

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    bearerFormat="sbk_<id>_<secret>",
    description="An API key of the account: `Authorization: Bearer sbk_…`.",
)


def authenticate(request: Request, credentials: HTTPAuthorizationCredentials | None) -> ApiCaller:
    """The caller behind the Authorization header; cookies are never looked at."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise errors.ApiKeyRejected()
    state = web_state(request)
    with state.sessions.begin() as session:
        return apikeys.authenticate(session, token=credentials.credentials, clock=state.clock)


def api_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> ApiCaller:
    return authenticate(request, credentials)


def allowed(access: Access) -> Callable[..., ApiCaller]:
    """A dependency: the caller, if their key's scope allows `access` on the whole account."""

    def dependency(caller: Annotated[ApiCaller, Depends(api_caller)]) -> ApiCaller:
        caller.scope.require(access)
        return caller

    return dependency


def allowed_on_environment(access: Access) -> Callable[..., ApiCaller]:
    """A dependency for routes under /environments/{environment_id}: connector keys of that
    environment are allowed too."""

    def dependency(
        environment_id: Annotated[int, Path(ge=1, le=MAX_ID)],
        caller: Annotated[ApiCaller, Depends(api_caller)],
    ) -> ApiCaller:
        caller.scope.require(access, environment_id=environment_id)
        return caller

    return dependency


Reader = Annotated[ApiCaller, Depends(allowed(Access.READ))]
Writer = Annotated[ApiCaller, Depends(allowed(Access.WRITE))]
EnvironmentReader = Annotated[ApiCaller, Depends(allowed_on_environment(Access.READ))]
EnvironmentWriter = Annotated[ApiCaller, Depends(allowed_on_environment(Access.WRITE))]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
