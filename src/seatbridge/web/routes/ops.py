"""/healthz for load balancers and /metrics for Prometheus."""

from __future__ import annotations

import hmac

from fastapi import APIRouter
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from seatbridge.ops.metrics import database_ok, render_metrics
from seatbridge.web.state import web_state

router = APIRouter()
PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8"


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
    state = web_state(request)
    token = state.settings.metrics_token
    if token is not None:
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.get_secret_value().encode()):
            return PlainTextResponse("unauthorized\n", status_code=401)
    with state.sessions() as session:
        body = render_metrics(session, now=state.clock.now())
    return PlainTextResponse(body, media_type=PROMETHEUS)
