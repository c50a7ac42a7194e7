"""`seatbridge serve`: the web server (uvicorn), with outbox delivery in embedded mode."""

from __future__ import annotations

import typer
from sqlalchemy.engine import make_url

from seatbridge.cli.common import fail, load_settings, store_sessions, tell
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.i18n import _
from seatbridge.jobs.embedded import EmbeddedScheduler
from seatbridge.mail.factory import transport_from_settings
from seatbridge.mail.pump import OutboxPump
from seatbridge.ops.logs import configure_logging


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    deliver_mail: bool | None = typer.Option(
        None,
        "--deliver-mail/--no-deliver-mail",
        help="Also deliver the mail outbox from this process with PostgreSQL (SQLite always does).",
        show_default=False,
    ),
) -> None:
    """Serve the web pages (sign-in, passwords, demo mailbox)."""
    import uvicorn

    from seatbridge.web import create_app

    settings = load_settings()
    try:
        settings.require_real_secret()
    except ValueError as error:
        fail(str(error), error_code="settings.placeholder_secret")
    configure_logging(settings.log_format)
    embedded = make_url(settings.database_url).get_backend_name() == "sqlite"
    with store_sessions(settings) as sessions:
        engine = sessions.kw["bind"]
        app = create_app(settings, engine=engine, clock=SYSTEM_CLOCK)
        pump: OutboxPump | EmbeddedScheduler | None = None
        if embedded:
            # Embedded mode: scheduled syncs and mail delivery run in this process.
            pump = EmbeddedScheduler(sessions, settings=settings, clock=SYSTEM_CLOCK)
            pump.start()
            tell(
                _(
                    "Tâches de fond (synchronisations, e-mails) toutes les {seconds} s.",
                    seconds=format(settings.jobs.tick_seconds, "g"),
                )
            )
        elif deliver_mail:
            pump = OutboxPump(
                sessions,
                transport_from_settings(settings),
                SYSTEM_CLOCK,
                interval_seconds=settings.mail_poll_seconds,
            )
            pump.start()
            where = settings.smtp.host or _("le dossier de la boîte de démo")
            tell(
                _(
                    "Envoi des e-mails toutes les {seconds} s vers {where}.",
                    seconds=format(settings.mail_poll_seconds, "g"),
                    where=where,
                )
            )
        tell(_("seatbridge sur http://{host}:{port}/  (Ctrl+C pour arrêter)", host=host, port=port))
        try:
            uvicorn.run(app, host=host, port=port, log_config=None, proxy_headers=True)
        finally:
            if pump is not None:
                pump.stop()
