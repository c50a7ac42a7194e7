"""The on-premise connector's endpoints: open a push run, send batches, commit, read the state.

Only `connector:<environment id>` keys are accepted, and they reach their one environment (the
URLs name no environment: the key does). Bodies are read with a size limit before anything
else, and may be gzip-compressed (`Content-Encoding: gzip`). The protocol is described in
docs/connector.md; the domain is seatbridge.ingest.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Final, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from seatbridge.apikeys.errors import ScopeDenied
from seatbridge.apikeys.scopes import Access, ScopeKind
from seatbridge.apikeys.service import ApiCaller
from seatbridge.ingest import errors
from seatbridge.ingest.codec import inflate
from seatbridge.ingest.commit import commit_run
from seatbridge.ingest.runs import get_run, open_run
from seatbridge.ingest.staging import stage_batch
from seatbridge.ingest.state import applied_state
from seatbridge.ingest.wire import (
    MAX_BODY_BYTES,
    MAX_DECODED_BYTES,
    BatchAck,
    BatchIn,
    CommitView,
    RunCommit,
    RunOpen,
    RunView,
    StateView,
)
from seatbridge.invitations.service import welcome_hook
from seatbridge.web.api.auth import ItemId, api_caller
from seatbridge.web.api.problems import locale_of, members_of, problem_response, problem_responses
from seatbridge.web.state import web_state

SMALL_BODY: Final = 1024 * 1024  # opening and committing a run
RETRY_BUSY_SECONDS: Final = 5
M = TypeVar("M", bound=BaseModel)

# The first class an error is an instance of gives its status.
STATUS: Final[list[tuple[type[errors.IngestError], int]]] = [
    (errors.RunNotFound, 404),
    (errors.PayloadTooLarge, 413),
    (errors.InvalidBody, 422),
    (errors.InvalidBatch, 422),
    (errors.ApplyFailed, 422),
    (errors.IngestError, 409),
]


class ConnectorRoute(APIRoute):
    """Ingest errors as problems with their own statuses (and Retry-After when busy)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except errors.IngestError as error:
                status = next(code for kind, code in STATUS if isinstance(error, kind))
                busy = isinstance(error, errors.IngestBusy)
                return problem_response(
                    request,
                    status,
                    error.code,
                    error.message(locale_of(request)),
                    members_of(error, locale_of(request)),
                    {"Retry-After": str(RETRY_BUSY_SECONDS)} if busy else None,
                )

        return route


router = APIRouter(prefix="/connector", tags=["connector"], route_class=ConnectorRoute)


def connector_key(caller: Annotated[ApiCaller, Depends(api_caller)]) -> ApiCaller:
    if caller.scope.kind is not ScopeKind.CONNECTOR or caller.scope.environment_id is None:
        raise ScopeDenied(scope=str(caller.scope), needed="connector:<environment id>")
    return caller


Connector = Annotated[ApiCaller, Depends(connector_key)]


def _scope(caller: ApiCaller, access: Access) -> dict[str, int]:
    environment_id = caller.scope.environment_id or 0
    caller.scope.require(access, environment_id=environment_id)
    return {"account_id": caller.account_id, "environment_id": environment_id}


def _body_of(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of a route that reads its body itself (to bound its size)."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema}},
            "description": "JSON, optionally gzip-compressed (Content-Encoding: gzip).",
        }
    }


async def _read(request: Request, model: type[M], limit: int) -> M:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise errors.PayloadTooLarge(size=limit, what="body")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise errors.PayloadTooLarge(size=limit, what="body")
        chunks.append(chunk)
    body = b"".join(chunks)
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding == "gzip":
        try:
            body = await run_in_threadpool(inflate, body, MAX_DECODED_BYTES)
        except OverflowError:
            raise errors.PayloadTooLarge(size=MAX_DECODED_BYTES, what="decompressed") from None
        except ValueError as error:
            raise errors.InvalidBody(detail=str(error)) from None
    elif encoding not in ("identity", ""):
        raise errors.InvalidBody(detail=f"unsupported Content-Encoding {encoding!r} (use gzip)")
    try:
        return await run_in_threadpool(model.model_validate_json, body)
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_input=False)) from None


@router.get("/state", responses=problem_responses(404, 409))
def connector_state(request: Request, caller: Connector) -> StateView:
    """What the server last applied, per entity: the watermark the next read starts from, and
    whether a full read is due. Also the open run, if any, and the size limits."""
    state = web_state(request)
    with state.sessions() as session:
        return applied_state(session, **_scope(caller, Access.READ), clock=state.clock)


@router.post(
    "/runs",
    status_code=201,
    responses=problem_responses(404, 409, 413, 422),
    openapi_extra=_body_of(RunOpen),
)
async def open_push_run(request: Request, caller: Connector) -> RunView:
    """Open a run (or find the one opened with the same `connector_run_id`): what is read for
    each entity, full or since which watermark, and the watermark the next run starts from.
    Any other open run of the environment is abandoned."""
    wanted = await _read(request, RunOpen, SMALL_BODY)
    state, scope = web_state(request), _scope(caller, Access.WRITE)

    def work() -> RunView:
        with state.sessions.begin() as session:
            return open_run(session, **scope, request=wanted, actor=caller.actor, clock=state.clock)

    return await run_in_threadpool(work)


@router.get("/runs/{run_id}", responses=problem_responses(404, 409))
def get_push_run(request: Request, run_id: ItemId, caller: Connector) -> RunView:
    """A run: its status, the batches received (to skip them when resuming), its outcome."""
    state = web_state(request)
    with state.sessions() as session:
        return get_run(session, **_scope(caller, Access.READ), run_id=run_id)


@router.post(
    "/runs/{run_id}/batches",
    status_code=201,
    response_model=BatchAck,
    responses={
        200: {"description": "Already received (same batch id): nothing staged again."},
        **problem_responses(404, 409, 413, 422),
    },
    openapi_extra=_body_of(BatchIn),
)
async def send_batch(request: Request, run_id: ItemId, caller: Connector) -> Response:
    """Stage one batch of records or keys. Its `batch_id` is the hash of its content (see
    docs/connector.md): resending it is acknowledged (200) and changes nothing."""
    scope = _scope(caller, Access.WRITE)
    batch = await _read(request, BatchIn, MAX_BODY_BYTES)
    state = web_state(request)

    def work() -> BatchAck:
        with state.sessions.begin() as session:
            return stage_batch(session, **scope, run_id=run_id, batch=batch, clock=state.clock)

    ack = await run_in_threadpool(work)
    return JSONResponse(
        ack.model_dump(mode="json"), status_code=201 if ack.status == "staged" else 200
    )


@router.post(
    "/runs/{run_id}/commit",
    responses=problem_responses(404, 409, 413, 422),
    openapi_extra=_body_of(RunCommit),
)
async def commit_push_run(request: Request, run_id: ItemId, caller: Connector) -> CommitView:
    """Apply the run with the engines of a direct read (collaborators, then customers and
    documents); answers when done. `keys_required`: send those entities' key scans, then
    commit again. `409 ingest.busy` (with Retry-After): another sync holds the environment.
    Committing an applied run again answers its outcome."""
    totals = await _read(request, RunCommit, SMALL_BODY)
    state, scope = web_state(request), _scope(caller, Access.WRITE)

    def work() -> CommitView:
        return commit_run(
            state.sessions,
            **scope,
            run_id=run_id,
            request=totals,
            actor=caller.actor,
            clock=state.clock,
            jobs=state.settings.jobs,
            on_invited=welcome_hook(settings=state.settings, clock=state.clock, actor=caller.actor),
        )

    return await run_in_threadpool(work)
