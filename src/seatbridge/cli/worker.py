"""`seatbridge worker`: runs background jobs from PostgreSQL (any number, on any machines)."""

from __future__ import annotations

import typer
from sqlalchemy.engine import make_url

from seatbridge.cli.common import fail, load_settings, stdout, store_sessions
from seatbridge.ops.logs import configure_logging


def worker(
    concurrency: int = typer.Option(2, min=1, max=32, help="Jobs run at once by this process."),
) -> None:
    """Run scheduled syncs, mail delivery and clean-up (PostgreSQL store)."""
    from seatbridge.jobs.worker import install_schema, run_worker

    settings = load_settings()
    if make_url(settings.database_url).get_backend_name() != "postgresql":
        fail(
            "`seatbridge worker` needs the PostgreSQL store; with SQLite, `seatbridge serve` "
            "runs the background jobs itself.",
            error_code="worker.needs_postgresql",
        )
    with store_sessions(settings) as sessions:
        install_schema(sessions.kw["bind"], settings)
    configure_logging(settings.log_format)
    stdout.print(f"seatbridge worker: {concurrency} job(s) at a time (Ctrl+C to stop)")
    run_worker(settings, concurrency=concurrency)
