"""`seatbridge sage100 ...`: demo companies and checks of a Sage 100 database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from babel.numbers import format_decimal
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from seatbridge.cli.common import (
    JSON_OPTION,
    cli_locale,
    domain_errors,
    emit_json,
    say,
    stderr,
    stdout,
    tell,
)
from seatbridge.cli.errors import SeatbridgeGroup
from seatbridge.i18n import N_, Text, _
from seatbridge.sage100.advice import IndexAdvice, modified_indexes
from seatbridge.sage100.demo import DemoCompanySummary, make_demo_company
from seatbridge.sage100.demo import Progress as ProgressCallback
from seatbridge.sage100.reader import Sage100Reader

app = typer.Typer(
    cls=SeatbridgeGroup,
    help="Sage 100 databases (read-only, plus demo companies).",
    no_args_is_help=True,
)

_STAGES = {
    "collaborators": N_("Collaborateurs"),
    "customers": N_("Clients"),
    "documents": N_("Documents de vente"),
}


def _number(value: float) -> str:
    return format_decimal(value, locale=cli_locale())


@app.command("make-demo")
def make_demo(
    url: str = typer.Argument(
        ..., help="SQLAlchemy URL of the target database, or the path of a SQLite file."
    ),
    company: str = typer.Option("BIJOU", help="Company code (also gives the e-mail domain)."),
    collaborators: int = typer.Option(40, help="Number of collaborators (F_COLLABORATEUR)."),
    customers: int = typer.Option(300, help="Number of customers (F_COMPTET, CT_Type 0)."),
    documents: int = typer.Option(3000, help="Number of sales documents (about 5 lines each)."),
    seed: int = typer.Option(1, help="Random seed: the same seed gives the same rows."),
    schema: str = typer.Option("recent", help="Sage 100 schema generation: recent or older."),
    replace: bool = typer.Option(False, "--replace", help="Erase existing Sage 100 tables first."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Create a deterministic demo Sage 100 company (jewellery trade, like Sage's "Bijou")."""
    with domain_errors(), _progress(enabled=not as_json) as progress:
        summary = make_demo_company(
            url,
            company=company,
            collaborators=collaborators,
            customers=customers,
            documents=documents,
            seed=seed,
            schema=schema,
            replace=replace,
            progress=progress,
        )
    if as_json:
        emit_json(summary.as_dict())
    else:
        _print_summary(summary)


@app.command("indexes")
def indexes(
    source: str = typer.Argument(
        ..., help="SQLAlchemy URL of the Sage 100 database, or the path of a SQLite file."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Check the indexes on cbModification that make delta reads cheap; print what to create."""
    with domain_errors(), Sage100Reader(source) as reader:
        advice = modified_indexes(reader)
    if as_json:
        emit_json({"tables": [line.as_dict() for line in advice]})
        return
    _print_indexes(advice)


def _print_indexes(advice: list[IndexAdvice]) -> None:
    table = Table(title=say(_("Index sur cbModification (lectures des modifications)")))
    table.add_column("Table")
    table.add_column(say(_("Lignes")), justify="right")
    table.add_column("Index")
    for line in advice:
        present = (
            _("présent") if line.indexed else _("absent : chaque synchronisation lit la table")
        )
        table.add_row(line.table, _number(line.rows), say(present))
    stdout.print(table)
    missing = [line.create for line in advice if line.create]
    if not missing:
        tell(_("Rien à créer."))
        return
    tell(
        _(
            "À faire créer par l'administrateur de la base (le compte de lecture n'en a pas le "
            "droit) ; seatbridge s'en servira dès sa prochaine lecture :"
        )
    )
    for statement in missing:
        stdout.print(statement, highlight=False, soft_wrap=True)


@contextmanager
def _progress(*, enabled: bool) -> Iterator[ProgressCallback | None]:
    """A Rich progress bar on a terminal; nothing when piped or printing JSON."""
    if not enabled or not stderr.is_terminal:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                label = say(Text(_STAGES[stage])) if stage in _STAGES else stage
                tasks[stage] = bar.add_task(label, total=total or 1)
            bar.update(tasks[stage], completed=done if total else 1)

        yield report


def _print_summary(summary: DemoCompanySummary) -> None:
    title = _(
        "Société {company} ({schema}) : {location}",
        company=summary.company,
        schema=summary.schema,
        location=summary.location,
    )
    table = Table(title=say(title))
    table.add_column("Table")
    table.add_column(say(_("Lignes")), justify="right")
    for name, count in summary.table_counts().items():
        table.add_row(name, _number(count))
    stdout.print(table)
    tell(
        _(
            "Graine {seed}, domaine e-mail {domain}, {seconds} s.",
            seed=summary.seed,
            domain=summary.domain,
            seconds=format_decimal(summary.seconds, format="0.0", locale=cli_locale()),
        )
    )
