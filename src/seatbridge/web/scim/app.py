"""The SCIM 2.0 sub-application (mounted at /scim/v2): Users for identity providers."""

from __future__ import annotations

from fastapi import FastAPI

from seatbridge.web.scim import discovery, groups, users
from seatbridge.web.scim.http import install_error_handlers
from seatbridge.web.state import WebState


def create_scim_app(state: WebState) -> FastAPI:
    """SCIM for one deployment; each request's bearer key (scope `scim`) names the account."""
    app = FastAPI(
        title="seatbridge SCIM 2.0",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.web = state
    install_error_handlers(app)
    app.include_router(discovery.router)
    app.include_router(users.router)
    app.include_router(groups.router)
    return app
