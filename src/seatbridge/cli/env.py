"""`seatbridge env ...`: the Sage 100 companies (environments) of an account."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from seatbridge.accounts import service as accounts
from seatbridge.accounts.models import Environment, OnDormant, SourceMode
from seatbridge.accounts.sources import DirectSources
from seatbridge.audit.sentences import VALUES
from seatbridge.cli.common import (
    JSON_OPTION,
    domain_errors,
    emit_json,
    fail,
    load_settings,
    say,
    stdout,
    store_sessions,
    tell,
)
from seatbridge.cli.errors import EXIT_BAD_INPUT, SeatbridgeGroup, cli_locale
from seatbridge.cli.lookup import find_environment
from seatbridge.connector.timing import parse_interval
from seatbridge.csvexport import csv_lines
from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_, Text, _
from seatbridge.quality import DEFAULT_LIMIT, csv_header, data_quality

SHOWN = 20  # items printed per section (--json and --csv have them all)


DORMANT_RULES = {"flag": N_("signaler l'utilisateur"), "deactivate": N_("désactiver l'utilisateur")}

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


@app.command("set")
def set_(
    environment_ref: str = typer.Argument(
        ..., metavar="ENV", help="ACCOUNT/ENVIRONMENT (names or ids), or an environment id."
    ),
    probe: str = typer.Option(None, "--probe", help="Look for changes every: 5s, 1m..."),
    delta: str = typer.Option(None, "--delta", help="Incremental sync at least every: 15m, 1h."),
    full: str = typer.Option(None, "--full", help="Full reconciliation every: 24h."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Set how often an environment is probed, synced incrementally and reconciled in full."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors(), sessions.begin() as session:
        environment = find_environment(session, environment_ref)
        environment = accounts.set_cadences(
            session,
            account_id=environment.account_id,
            environment_id=environment.id,
            actor="cli",
            probe_seconds=_whole(probe, 1, "--probe"),
            delta_minutes=_whole(delta, 60, "--delta"),
            full_hours=_whole(full, 3600, "--full"),
        )
        result = _describe(environment)
    if json_output:
        emit_json(result)
        return
    tell(
        _(
            "{name} : changements cherchés toutes les {probe} s, synchronisation incrémentale "
            "au moins toutes les {delta} min, réconciliation complète toutes les {full} h.",
            name=result["name"],
            probe=result["probe_seconds"],
            delta=result["delta_minutes"],
            full=result["full_hours"],
        )
    )


def _whole(text: str | None, unit: int, option: str) -> int | None:
    """`5s`, `15m`, `24h` in whole units of `unit` seconds (None: not given)."""
    if text is None:
        return None
    try:
        seconds = int(parse_interval(text))
    except SeatbridgeError as error:
        fail(error.text, EXIT_BAD_INPUT)
    if seconds % unit:
        fail(_("{option} : un nombre entier d'unités, par exemple 15m ou 24h.", option=option),
             EXIT_BAD_INPUT)  # fmt: skip
    return seconds // unit


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
    headers = (_("Nom"), _("Mode"), _("Licences utilisées"), _("Limite de licences"))
    table = Table("n°", *(say(header) for header in headers), say(_("En sommeil dans Sage 100")))
    for row in rows:
        mode = VALUES["mode"].get(str(row["mode"]))
        dormant = DORMANT_RULES.get(str(row["on_dormant"]))
        table.add_row(
            str(row["id"]),
            str(row["name"]),
            say(Text(mode)) if mode else str(row["mode"]),
            str(row["seats_used"]),
            "—" if row["seat_cap"] is None else str(row["seat_cap"]),
            say(Text(dormant)) if dormant else str(row["on_dormant"]),
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
        "probe_seconds": environment.probe_seconds,
        "delta_minutes": environment.sync_interval_minutes,
        "full_hours": environment.full_sync_interval_hours,
    }


@app.command("quality")
def quality(
    environment_ref: str = typer.Argument(
        ..., metavar="ENV", help="ACCOUNT/ENVIRONMENT (names or ids), or an environment id."
    ),
    csv_path: Path | None = typer.Option(
        None, "--csv", help="Also write every item to this CSV file (UTF-8, spreadsheet-safe)."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """« Qualité des données Sage 100 »: what to fix in Sage, with the field to correct."""
    settings = load_settings()
    locale = cli_locale()
    with store_sessions(settings) as sessions, sessions() as session:
        environment = find_environment(session, environment_ref)
        account_id, environment_id = environment.account_id, environment.id
        report = data_quality(session, account_id=account_id, environment_id=environment_id,
                              limit=None if csv_path or json_output else DEFAULT_LIMIT)  # fmt: skip
    if csv_path is not None:
        csv_path.write_text(
            "".join(csv_lines(csv_header(locale), report.csv_rows(locale))), "utf-8"
        )
    if json_output:
        emit_json(report.as_dict(locale))
        return
    title = _("Qualité des données Sage 100 — {environment} : {n} point(s) à corriger",
              environment=report.environment, n=report.problems)  # fmt: skip
    stdout.print(f"[bold]{escape(say(title))}[/]", highlight=False)
    for section in report.sections:
        stdout.print(
            f"\n{say(section.title)} : {section.count}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        for item in section.items[:SHOWN]:
            line = f"  {item.table} {item.key}" + (f" ({item.name})" if item.name else "")
            stdout.print(f"{line} — {item.problem.render(locale)} → {item.fix.render(locale)}",
                         markup=False, highlight=False, soft_wrap=True)  # fmt: skip
        if section.count > SHOWN:
            more = _("… {n} de plus (--json ou --csv pour tout voir)", n=section.count - SHOWN)
            stdout.print("  " + say(more), markup=False, highlight=False, soft_wrap=True)
