"""`seatbridge env ...`: the Sage 100 companies (environments) of an account."""

from __future__ import annotations

import typer
from rich.table import Table

from seatbridge.accounts import service as accounts
from seatbridge.accounts.models import Environment, OnDormant, SourceMode
from seatbridge.accounts.sources import DirectSources
from seatbridge.cli.common import (
    JSON_OPTION,
    domain_errors,
    emit_json,
    fail,
    load_settings,
    stdout,
    store_sessions,
    tell,
)
from seatbridge.cli.errors import EXIT_BAD_INPUT, SeatbridgeGroup
from seatbridge.i18n import _

app = typer.Typer(
    cls=SeatbridgeGroup,
    help="Environments: one per connected Sage 100 company.",
    no_args_is_help=True,
)


@app.command("add")
def add(
    account_ref: str = typer.Argument(..., metavar="ACCOUNT", help="Account slug or id."),
    name: str = typer.Argument(..., help="Environment name, e.g. the company 'BIJOU'."),
    sage_url: str = typer.Option(None, "--sage-url", help="SQLAlchemy URL of the Sage database."),
    connector: bool = typer.Option(False, "--connector", help="Fed by an on-premise connector."),
    seat_cap: int = typer.Option(None, "--seat-cap", help="Seat cap (advanced edition)."),
    on_dormant: OnDormant = typer.Option(OnDormant.FLAG, "--on-dormant"),
    json_output: bool = JSON_OPTION,
) -> None:
    """Connect a Sage 100 company to an account."""
    if connector and sage_url:
        fail(
            _("choisissez --sage-url (lecture directe) ou --connector, pas les deux."),
            EXIT_BAD_INPUT,
        )
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors(), sessions.begin() as session:
        account = accounts.get_account(session, account_ref)
        environment = accounts.add_environment(
            session,
            account_id=account.id,
            name=name,
            actor="cli",
            mode=SourceMode.CONNECTOR if connector else SourceMode.DIRECT,
            source_url=sage_url,
            seat_cap=seat_cap,
            on_dormant=on_dormant,
            sources=DirectSources.from_settings(settings),
        )
        result = _describe(environment)
    if json_output:
        emit_json(result)
    else:
        tell(_("Environnement {name} ajouté (n° {id}).", name=environment.name, id=environment.id))


@app.command("list")
def list_(
    account_ref: str = typer.Argument(..., metavar="ACCOUNT", help="Account slug or id."),
    json_output: bool = JSON_OPTION,
) -> None:
    """List an account's environments."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors(), sessions() as session:
        account = accounts.get_account(session, account_ref)
        rows = [_describe(e) for e in accounts.list_environments(session, account_id=account.id)]
    if json_output:
        emit_json(rows)
        return
    table = Table("id", "name", "mode", "seats used", "seat cap", "on dormant")
    for row in rows:
        table.add_row(
            str(row["id"]),
            str(row["name"]),
            str(row["mode"]),
            str(row["seats_used"]),
            "—" if row["seat_cap"] is None else str(row["seat_cap"]),
            str(row["on_dormant"]),
        )
    stdout.print(table)


def _describe(environment: Environment) -> dict[str, object]:
    return {
        "id": environment.id,
        "name": environment.name,
        "mode": environment.mode,
        "seat_cap": environment.seat_cap,
        "seats_used": environment.seats_used,
        "on_dormant": environment.on_dormant,
        "has_source_url": environment.source_url is not None,
    }
