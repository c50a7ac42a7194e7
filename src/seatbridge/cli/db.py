"""`seatbridge db ...`: schema migrations of the store."""

from __future__ import annotations

import typer
from alembic.util.exc import CommandError

from seatbridge.cli.common import emit_json, fail, load_settings, store_engine, tell
from seatbridge.cli.errors import SeatbridgeGroup
from seatbridge.db import migrate
from seatbridge.i18n import _

app = typer.Typer(
    cls=SeatbridgeGroup, help="The seatbridge store (database).", no_args_is_help=True
)


@app.command("upgrade")
def upgrade(
    revision: str = typer.Argument("heads", help="Target revision."),
    json_output: bool = typer.Option(False, "--json", help="Print a JSON result."),
) -> None:
    """Create or migrate the store's tables to the latest schema."""
    settings = load_settings()
    with store_engine(settings) as engine:
        try:
            migrate.upgrade(engine, revision)
        except CommandError:  # a revision that does not exist: one line, not a traceback
            fail(_("Révision de la base inconnue : {revision}.", revision=revision[:40]))
        current = migrate.current_revision(engine)
        if engine.dialect.name == "postgresql":
            from seatbridge.jobs.worker import install_schema

            install_schema(engine, settings)
    if json_output:
        emit_json({"revision": current, "database": _safe_url(settings.database_url)})
    else:
        tell(
            _(
                "Base de seatbridge à la révision {revision} ({database}).",
                revision=current,
                database=_safe_url(settings.database_url),
            )
        )


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
