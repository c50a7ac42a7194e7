"""`seatbridge commerce ...`: replicate customers and sales documents; look at a portfolio."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import typer
from babel.numbers import format_decimal
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from seatbridge.accounts import service as accounts
from seatbridge.accounts.models import Environment
from seatbridge.cli.common import (
    JSON_OPTION,
    cli_locale,
    domain_errors,
    emit_json,
    load_settings,
    say,
    stderr,
    stdout,
    store_sessions,
)
from seatbridge.cli.errors import SeatbridgeGroup
from seatbridge.cli.lookup import direct_environment
from seatbridge.cli.quality import print_row_report
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.commerce.errors import UserNotFound
from seatbridge.commerce.queries import Page, Paging, Period, PortfolioCustomer, portfolio
from seatbridge.commerce.replication import Progress as ProgressCallback
from seatbridge.commerce.replication import ReplicationOutcome
from seatbridge.commerce.scope import viewer_for
from seatbridge.directory import service as directory
from seatbridge.i18n import N_, Text, _, _n
from seatbridge.jobs.lease import holder_name
from seatbridge.jobs.orchestrator import Observer, Parts, SyncRequest, synchronise

app = typer.Typer(
    cls=SeatbridgeGroup,
    help="Customers and sales documents replicated from Sage 100 (read-only).",
    no_args_is_help=True,
)

_ENTITIES = {
    "customers": N_("Clients"),
    "document_headers": N_("Documents de vente"),
    "document_lines": N_("Lignes de documents"),
}


def _entity(name: str) -> str:
    return say(Text(_ENTITIES[name])) if name in _ENTITIES else name


def _number(value: float | Decimal, pattern: str | None = None) -> str:
    return format_decimal(value, format=pattern, locale=cli_locale())


@app.command("replicate")
def replicate_command(
    environment_ref: str = typer.Argument(
        ..., metavar="ACCOUNT/ENV", help="ACCOUNT/ENVIRONMENT (names or ids), or an environment id."
    ),
    full: bool = typer.Option(False, "--full", help="Read everything (detects deletions)."),
    confirm: bool = typer.Option(
        False, "--confirm", help="Apply even past the safety brake (mass deletions)."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Copy the customers, sales documents and lines of a Sage 100 company into the store."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors():
        environment, _url = direct_environment(sessions, environment_ref)
        with _progress(json_output) as say:
            result = synchronise(
                sessions,
                SyncRequest(
                    account_id=environment.account_id,
                    environment_id=environment.id,
                    actor="cli",
                    parts=Parts.COMMERCE,
                    full=full,
                    confirm=confirm,
                ),
                holder=holder_name("cli"),
                settings=settings,
                clock=SYSTEM_CLOCK,
                observer=Observer(replication=say),
            )
        outcome = result.copy
    _report(outcome, environment, json_output)


def _report(outcome: ReplicationOutcome, environment: Environment, json_output: bool) -> None:
    if json_output:
        emit_json({"environment": environment.name, **outcome.as_dict()})
        return
    title = _(
        "Réplication de {environment} ({seconds} s)",
        environment=environment.name,
        seconds=_number(outcome.seconds, "0.0"),
    )
    table = Table(title=say(title))
    columns = ("", _("lecture"), _("lus"), _("copiés"), _("supprimés"), "s")
    for column in columns:
        table.add_column(say(column), justify="left" if not column else "right")
    for entity in outcome.entities:
        table.add_row(
            _entity(entity.entity),
            say(_("complète") if entity.full else _("modifications")),
            _number(entity.read),
            _number(entity.upserted),
            _number(entity.deleted),
            _number(entity.seconds, "0.0"),
        )
    stdout.print(table)
    print_row_report(outcome.report)


@contextmanager
def _progress(quiet: bool) -> Iterator[ProgressCallback | None]:
    """One bar per entity on a terminal (a spinner when the total is unknown); else nothing."""
    if quiet or not stderr.is_terminal:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def report(entity: str, done: int, total: int | None) -> None:
            if entity not in tasks:
                tasks[entity] = bar.add_task(_entity(entity), total=total)
            bar.update(tasks[entity], completed=done)

        yield report


@app.command("portfolio")
def portfolio_command(
    account_ref: str = typer.Argument(..., metavar="ACCOUNT", help="Account slug or id."),
    email: str = typer.Argument(..., help="The user whose portfolio to show."),
    search: str = typer.Option(None, "--search", help="Part of a name, code or city."),
    since: dt.datetime = typer.Option(
        None, "--since", formats=["%Y-%m-%d"], help="Revenue from this day (included)."
    ),
    until: dt.datetime = typer.Option(
        None, "--until", formats=["%Y-%m-%d"], help="Revenue until this day (excluded)."
    ),
    page: int = typer.Option(1, "--page", min=1),
    size: int = typer.Option(50, "--size", min=1, max=200),
    json_output: bool = JSON_OPTION,
) -> None:
    """A user's customers (by their role: own, their environments', or the account's), with
    each one's net sales: invoices minus credit notes, all time unless --since/--until."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors(), sessions() as session:
        account = accounts.get_account(session, account_ref)
        user = directory.find_user_by_email(session, account_id=account.id, email=email)
        if user is None:
            raise UserNotFound(user=email)
        viewer = viewer_for(session, account_id=account.id, user_id=user.id)
        result = portfolio(
            session,
            viewer=viewer,
            search=search,
            period=_period(since, until),
            paging=Paging(page, size),
        )
        names = {e.id: e.name for e in accounts.list_environments(session, account_id=account.id)}
    _show(result, names, email, viewer.reach.value, json_output)


def _period(since: dt.datetime | None, until: dt.datetime | None) -> Period | None:
    if since is None and until is None:
        return None
    start = since.date() if since else dt.date(1753, 1, 2)
    end = until.date() if until else dt.date(9999, 12, 31)
    return Period(start, end)


def _show(
    result: Page[PortfolioCustomer], names: dict[int, str], email: str, reach: str, as_json: bool
) -> None:
    if as_json:
        emit_json(
            {
                "user": email,
                "reach": reach,
                "page": result.page,
                "size": result.size,
                "total": result.total,
                "customers": [
                    {
                        "environment": names.get(c.environment_id, c.environment_id),
                        "ct_num": c.ct_num,
                        "name": c.name,
                        "city": c.city,
                        "representative": c.co_no,
                        "prospect": c.prospect,
                        "dormant": c.dormant,
                        "revenue": str(c.revenue),
                    }
                    for c in result.items
                ],
            }
        )
        return
    title = _n(
        "Portefeuille de {email} : {n} client (page {page}/{pages})",
        "Portefeuille de {email} : {n} clients (page {page}/{pages})",
        result.total,
        email=email,
        page=result.page,
        pages=result.pages,
    )
    table = Table(title=say(title))
    revenue = say(_("CA net HT"))
    for column in (_("société"), _("code"), _("nom"), _("ville")):
        table.add_column(say(column))
    table.add_column(revenue, justify="right")
    for c in result.items:
        flag = _("prospect") if c.prospect else _("en sommeil") if c.dormant else None
        table.add_row(
            names.get(c.environment_id, str(c.environment_id)),
            c.ct_num,
            f"{c.name or ''} ({say(flag)})" if flag else c.name or "",
            c.city or "",
            _number(c.revenue, "#,##0.00"),
        )
    stdout.print(table)
