"""/healthz for load balancers and /metrics for Prometheus."""

from __future__ import annotations

import hmac

from fastapi import APIRouter
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from seatbridge.ops.metrics import CONTENT_TYPE, database_ok
from seatbridge.web.state import web_state

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def healthz(request: Request) -> Response:
    state = web_state(request)
    try:
        with state.sessions() as session:
            database_ok(session)
    except SQLAlchemyError as error:
        return JSONResponse(
            {"status": "unavailable", "database": type(error).__name__}, status_code=503
        )
    return JSONResponse({"status": "ok", "database": "ok"})


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """Private by default: the scrape token, unless the operator opened the endpoint."""
    state = web_state(request)
    token = state.settings.metrics_token
    if token is not None and state.settings.metrics_public is not True:
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.get_secret_value().encode()):
            return _unauthorized("wrong or missing scrape token")
    elif token is None and not state.settings.metrics_open:
        return _unauthorized(
            "/metrics is private: set SEATBRIDGE_METRICS_TOKEN (and send it as a Bearer token), "
            "or open it with SEATBRIDGE_METRICS_PUBLIC=true"
        )
    return Response(state.metrics.render(), media_type=CONTENT_TYPE)


def _unauthorized(reason: str) -> Response:
    return PlainTextResponse(
        f"unauthorized: {reason}\n",
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
    )
