"""`seatbridge worker`: runs background jobs from PostgreSQL (any number, on any machines)."""

from __future__ import annotations

import typer
from sqlalchemy.engine import make_url

from seatbridge.cli.common import fail, load_settings, store_sessions, tell
from seatbridge.i18n import _, _n
from seatbridge.ops.logs import configure_logging


def worker(
    concurrency: int = typer.Option(2, min=1, max=32, help="Jobs run at once by this process."),
) -> None:
    """Run scheduled syncs, mail delivery and clean-up (PostgreSQL store)."""
    from seatbridge.jobs.worker import install_schema, run_worker

    settings = load_settings()
    if make_url(settings.database_url).get_backend_name() != "postgresql":
        fail(
            _(
                "`seatbridge worker` demande la base PostgreSQL ; avec SQLite, `seatbridge serve` "
                "exécute lui-même les tâches de fond."
            ),
            error_code="worker.needs_postgresql",
        )
    with store_sessions(settings) as sessions:
        install_schema(sessions.kw["bind"], settings)
    configure_logging(settings.log_format)
    tell(
        _n(
            "seatbridge worker : {n} tâche à la fois (Ctrl+C pour arrêter)",
            "seatbridge worker : {n} tâches à la fois (Ctrl+C pour arrêter)",
            concurrency,
        )
    )
    run_worker(settings, concurrency=concurrency)
