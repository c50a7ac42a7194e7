"""The PostgreSQL runner: procrastinate tasks, deferred by a periodic tick, run by workers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from dataclasses import dataclass
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.clock import SYSTEM_CLOCK, Clock
from seatbridge.config import Settings
from seatbridge.db.engine import create_store_engine, session_factory
from seatbridge.jobs import live, schedule, work

log = logging.getLogger("seatbridge.jobs")
SYNC_TASK = "seatbridge.sync_environment"
PROBE_TASK = "seatbridge.probe_environment"


@dataclass
class WorkerContext:
    settings: Settings
    sessions: sessionmaker[Session]
    clock: Clock
    owner: str


def conninfo(database_url: str) -> str:
    """The libpq connection string of the store's SQLAlchemy URL."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError("background workers need the PostgreSQL store")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def build_app(settings: Settings, *, clock: Clock = SYSTEM_CLOCK) -> procrastinate.App:
    """The procrastinate app with seatbridge's tasks; nothing connects until it is opened."""
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=conninfo(settings.database_url))
    )
    context: dict[str, WorkerContext] = {}

    def ctx() -> WorkerContext:
        if "value" not in context:  # one engine per worker process, made on first use
            engine = create_store_engine(settings.database_url)
            context["value"] = WorkerContext(
                settings,
                session_factory(engine),
                clock,
                f"{socket.gethostname()}:{os.getpid()}",
            )
        return context["value"]

    @app.task(name=SYNC_TASK)
    def sync_environment(environment_id: int) -> str:
        c = ctx()
        return work.sync_environment(
            c.sessions,
            environment_id=environment_id,
            owner=c.owner,
            settings=c.settings,
            clock=c.clock,
        )

    @app.task(name=PROBE_TASK)
    def probe_environment(environment_id: int) -> str:
        c = ctx()
        return live.probe_environment(
            c.sessions,
            environment_id=environment_id,
            holder=c.owner,
            settings=c.settings,
            clock=c.clock,
        )

    @app.periodic(cron=f"* * * * * */{max(1, int(settings.jobs.tick_seconds))}")
    @app.task(name="seatbridge.tick", queueing_lock="seatbridge.tick")
    async def tick(timestamp: int) -> int:
        c = ctx()
        due = await asyncio.to_thread(_due, c)
        deferred = 0
        for environment_id in await asyncio.to_thread(_due_probes, c):
            with contextlib.suppress(AlreadyEnqueued):
                await probe_environment.configure(
                    queueing_lock=f"probe-environment-{environment_id}"
                ).defer_async(environment_id=environment_id)
        for environment_id in due:
            try:
                await sync_environment.configure(
                    queueing_lock=f"sync-environment-{environment_id}"
                ).defer_async(environment_id=environment_id)
                deferred += 1
            except AlreadyEnqueued:
                pass  # already waiting for a worker
        return deferred

    @app.periodic(cron="* * * * * */10")
    @app.task(name="seatbridge.deliver_mail", queueing_lock="seatbridge.deliver_mail")
    def deliver_mail(timestamp: int) -> int:
        c = ctx()
        return work.deliver_mail(c.sessions, settings=c.settings, clock=c.clock)

    @app.periodic(cron="17 * * * *")
    @app.task(name="seatbridge.purge_tokens", queueing_lock="seatbridge.purge_tokens")
    def purge_tokens(timestamp: int) -> int:
        c = ctx()
        return work.purge_expired_tokens(c.sessions, clock=c.clock)

    return app


def _due_probes(c: WorkerContext) -> list[int]:
    with c.sessions() as session:
        return live.due_probes(session, now=c.clock.now())


def _due(c: WorkerContext) -> list[int]:
    with c.sessions() as session:
        return schedule.due_environments(session, now=c.clock.now())


def install_schema(engine: Engine, settings: Settings) -> bool:
    """Create procrastinate's tables once (True when it was installed now)."""
    with engine.connect() as connection:
        if connection.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar():
            return False
    app = build_app(settings)
    with app.open():
        app.schema_manager.apply_schema()
    return True


def run_worker(settings: Settings, *, concurrency: int = 1, **options: Any) -> None:
    app = build_app(settings)
    app.run_worker(concurrency=concurrency, **options)
