"""The REST API sub-application (mounted at /api/v1), with its own OpenAPI document."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

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
        generate_unique_id_function=operation_id,
    )
    app.state.web = state
    install_problem_handlers(app)
    for module in (licence, environments, syncs, users, commerce, invitations, reviews, audit):
        app.include_router(module.router)
    app.include_router(connector.router)
    app.include_router(docs.router)
    app.openapi = lambda: openapi_document(app)  # type: ignore[method-assign]
    return app


# Readable operationIds for client generators (issue 17): the endpoint's name in camelCase,
# renamed where the function name reads poorly as a method of a generated client.
OPERATION_IDS = {
    "invite_people": "createInvitations",
    "run_environment_sync": "runSync",
    "explain_user_link": "explainUser",
    "user_portfolio": "getUserPortfolio",
    "user_history": "getUserHistory",
    "list_cases": "listReviews",
    "get_case": "getReview",
    "resolve_case": "resolveReview",
    "connector_state": "getConnectorState",
}
# Parameters FastAPI leaves undescribed, by name (the same meaning on every operation).
PARAMETERS = {
    "environment_id": "Id of an environment of the key's account (404 for any other).",
    "user_id": "Id of a user of the key's account (404 for any other).",
    "run_id": "Id of a run of this environment (404 for any other).",
    "case_id": "Id of a review case of the key's account (404 for any other).",
    "limit": "Page size: 1 to 200 items.",
    "cursor": "The previous page's `next_cursor`; omit it for the first page.",
}

# ... and those whose meaning depends on the operation.
OPERATION_PARAMETERS = {
    ("listCollaborators", "invitable"): "Only collaborators that can (true) or cannot (false) "
    "be invited; `not_invitable` says why.",
    ("listCollaborators", "salesperson"): "Only collaborators that are (or are not) "
    "salespeople in Sage 100.",
    ("listCollaborators", "q"): "Part of a name, e-mail or CO_No, case-insensitive.",
    ("listUsers", "status"): "Only users in this status.",
    ("listUsers", "role"): "Only users with this role.",
    ("listUsers", "q"): "Part of a name or e-mail, case-insensitive.",
    ("getUserPortfolio", "q"): "Part of a customer's number or name, case-insensitive.",
    ("getUserHistory", "types"): "Sage 100 document types (DO_Type 0-9); repeat the parameter "
    "for several.",
    ("getUserHistory", "customer"): "Only this customer's documents (CT_Num).",
    ("listReviews", "status"): "`open` (default), `resolved` or `all`.",
    ("listReviews", "kind"): "Only cases of this kind.",
    ("listAuditEvents", "action"): "Exact action, e.g. `user.invite`.",
    ("listAuditEvents", "actor"): "Exact actor, e.g. `api:3` or an e-mail.",
    ("listAuditEvents", "subject_type"): "Exact subject type, e.g. `user`.",
    ("listAuditEvents", "subject_id"): "Exact subject id (with subject_type).",
}
OPERATION_DESCRIPTIONS = {
    "getEnvironment": "One environment of the key's account: its source mode, seats and "
    "schedule (a direct environment's database URL is never returned).",
    "getUser": "One user: status, role, home environment and the Sage 100 collaborators "
    "linked to them.",
    "getReview": "One review case with its ranked candidates and, once settled, its resolution.",
}

# An example for each request body (OpenAPI 3.1 `examples`), shown by the docs page and by
# client generators; tests/api/test_openapi_client.py validates each against its model.
REQUEST_EXAMPLES: dict[str, dict[str, Any]] = {
    "EnvironmentCreate": {"name": "Bijou SA", "mode": "connector", "seat_cap": 25},
    "EnvironmentUpdate": {"probe_seconds": 5, "sync_interval_minutes": 15},
    "SyncRequest": {"dry_run": True, "full": False, "confirm": False},
    "UserCreate": {
        "email": "lea.martin@bijou-sa.fr",
        "first_name": "Léa",
        "last_name": "Martin",
        "locale": "fr",
    },
    "UserUpdate": {"role": "manager"},
    "InvitationCreate": {
        "people": [
            {"email": "lea.martin@bijou-sa.fr", "first_name": "Léa", "home_environment_id": 1},
            {"email": "paul.durand@bijou-sa.fr", "locale": "en"},
        ]
    },
    "UserIds": {"user_ids": [12, 15]},
    "ReviewResolution": {"action": "link", "environment_id": 1, "co_no": 42},
}


def operation_id(route: APIRoute) -> str:
    name = OPERATION_IDS.get(route.name)
    if name is not None:
        return name
    head, *rest = route.name.split("_")
    return head + "".join(part.capitalize() for part in rest)


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
    for item in document.get("paths", {}).values():
        for operation in item.values():
            name = operation.get("operationId", "")
            if not operation.get("description") and name in OPERATION_DESCRIPTIONS:
                operation["description"] = OPERATION_DESCRIPTIONS[name]
            for parameter in operation.get("parameters", []):
                if parameter.get("description"):
                    continue
                meaning = OPERATION_PARAMETERS.get((name, parameter["name"]))
                meaning = meaning or PARAMETERS.get(parameter["name"])
                if meaning:
                    parameter["description"] = meaning
    for name, example in REQUEST_EXAMPLES.items():
        if name in schemas:
            schemas[name].setdefault("examples", [example])
    app.openapi_schema = document
    return document
