"""The FastAPI app factory: settings come in, nothing is read at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.staticfiles import StaticFiles

from seatbridge.auth.passwords import Passwords
from seatbridge.clock import SYSTEM_CLOCK, Clock
from seatbridge.config import Settings
from seatbridge.db.engine import create_store_engine, session_factory
from seatbridge.mail.mailbox import MailboxTransport, mailbox_dir
from seatbridge.ops.logs import RequestIds
from seatbridge.ops.metrics import HttpMetrics
from seatbridge.web.admin.routers import product_routers
from seatbridge.web.api import create_api_app
from seatbridge.web.errors import install_error_pages
from seatbridge.web.i18n import load_translations
from seatbridge.web.routes import home, mailbox, ops, passwords, sign_in
from seatbridge.web.routes.sign_in import SignInGate
from seatbridge.web.scim import create_scim_app
from seatbridge.web.security import security_middleware
from seatbridge.web.state import WebState
from seatbridge.web.templating import Templates


def create_app(
    settings: Settings, *, engine: Engine | None = None, clock: Clock = SYSTEM_CLOCK
) -> FastAPI:
    """Build the web app on `engine` (or one made from the settings' database URL)."""
    secret = settings.require_real_secret()
    store = engine if engine is not None else create_store_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if engine is None:  # only the engine made here is ours to close
            store.dispose()

    app = FastAPI(
        title="seatbridge",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.web = WebState(
        settings=settings,
        sessions=session_factory(store),
        clock=clock,
        passwords=Passwords(settings.auth),
        templates=Templates(
            load_translations(), timezone=settings.timezone, product=settings.product_name
        ),
        mailbox=MailboxTransport(mailbox_dir(settings), settings.smtp.sender),
    )
    app.middleware("http")(
        security_middleware(secret.encode(), secure_cookies=settings.cookie_secure)
    )
    install_error_pages(app)
    app.state.web.metrics.watch_store(app.state.web.sessions)
    app.add_middleware(SignInGate, passwords=app.state.web.passwords)
    # Outermost, so that every request is counted, the ones other middleware answer included.
    app.add_middleware(HttpMetrics, metrics=app.state.web.metrics)
    # Outermost of all: the request id is bound before anything logs.
    app.add_middleware(RequestIds)
    app.mount("/api/v1", create_api_app(app.state.web))
    app.mount("/scim/v2", create_scim_app(app.state.web))
    static = Path(str(resources.files("seatbridge.web").joinpath("static")))
    app.mount("/static", StaticFiles(directory=static), name="static")
    for module in (sign_in, passwords, home, mailbox, ops):
        app.include_router(module.router)
    for router in product_routers():
        app.include_router(router)
    return app
