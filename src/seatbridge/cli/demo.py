"""`seatbridge demo`: the one-command tour (embedded SQLite store, generated Sage 100 companies)."""

from __future__ import annotations

from pathlib import Path

import typer

from seatbridge.cli.common import domain_errors, stdout
from seatbridge.config import Settings
from seatbridge.db import migrate
from seatbridge.db.engine import create_store_engine

# Two companies, as in the seed's multi-company example; the second uses the older Sage schema.
DEMO_COMPANIES = (
    ("BIJOU", "recent", 1),
    ("BIJOU-NORD", "older", 2),
)


def demo(
    data_dir: Path = typer.Option(Path("var/demo"), help="Where the demo keeps its files."),
    fresh: bool = typer.Option(False, "--fresh", help="Regenerate the demo companies."),
) -> None:
    """Generate the Sage 100 demo companies and prepare the embedded store."""
    from seatbridge.sage100.demo import make_demo_company

    settings = Settings(demo=True, data_dir=data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    with domain_errors():
        for company, schema, seed in DEMO_COMPANIES:
            path = data_dir / f"sage100-{company.lower()}.db"
            if path.exists() and not fresh:
                stdout.print(f"Sage 100 company {company}: {path} (kept; --fresh regenerates)")
                continue
            summary = make_demo_company(
                f"sqlite:///{path}", company=company, seed=seed, schema=schema, replace=True
            )
            stdout.print(f"Sage 100 company {company} ({schema} schema): {path} — {summary}")
    engine = create_store_engine(settings.database_url)
    migrate.upgrade(engine)
    engine.dispose()
    stdout.print(f"Store ready: {settings.database_url}")
    stdout.print(
        "\n[bold]Not built yet[/]: the web server, the activation wizard, invitations and the "
        "sync engine. Meanwhile the CLI works on this store, e.g.:\n"
        f"  SEATBRIDGE_DATA_DIR={data_dir} seatbridge account create 'Bijou SA'\n"
        "  seatbridge license keygen / issue / inspect — see docs/licensing.md"
    )
