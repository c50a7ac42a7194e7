"""The REST API sub-application (mounted at /api/v1), with its own OpenAPI document."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from seatbridge.web.api import connector, docs
from seatbridge.web.api.problems import Problem, ValidationProblem, install_problem_handlers
from seatbridge.web.api.routes import (
    audit,
    commerce,
    environments,
    invitations,
    licence,
    reviews,
    syncs,
    users,
)
from seatbridge.web.state import WebState

DESCRIPTION = """The account's licence, environments and syncs, users, invitations, review cases \
and audit log. Every request carries an API key of the account (`Authorization: Bearer sbk_…`, \
created with `seatbridge apikeys create`): `admin` keys read and write, `read` keys only read, \
`connector:<environment id>` keys reach one environment. Everything is scoped to the key's \
account: another account's objects answer 404.

Errors are `application/problem+json` (RFC 9457): `type` is \
`https://seatbridge.dev/problems/<code>`, `detail` is French unless `Accept-Language: en`, and \
error-specific members (e.g. `seats_free`, `seats_total`) come beside them.

Lists are paginated by cursor: pass `limit`, then the page's `next_cursor` as `cursor` until \
`next_cursor` is null. See docs/api.md."""


def create_api_app(state: WebState) -> FastAPI:
    app = FastAPI(
        title="seatbridge REST API",
        version="1",
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.web = state
    install_problem_handlers(app)
    for module in (licence, environments, syncs, users, commerce, invitations, reviews, audit):
        app.include_router(module.router)
    app.include_router(connector.router)
    app.include_router(docs.router)
    app.openapi = lambda: openapi_document(app)  # type: ignore[method-assign]
    return app


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, plus the problem schemas the error responses refer to."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        servers=app.servers or None,
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for model in (Problem, ValidationProblem):
        described = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(described.pop("$defs", {}))
        schemas[model.__name__] = described
    app.openapi_schema = document
    return document
