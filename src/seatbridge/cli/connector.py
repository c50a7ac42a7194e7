"""`seatbridge connector run`: the on-premise connector, next to Sage 100 (docs/connector.md)."""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from seatbridge.cli.errors import (
    EXIT_INTERRUPTED,
    EXIT_NEEDS_CONFIRMATION,
    SeatbridgeGroup,
    cli_locale,
    error_document,
    exit_code_of,
)
from seatbridge.cli.output import JSON_OPTION, emit_json, say, stderr, stdout, tell
from seatbridge.connector.errors import ConnectorError
from seatbridge.connector.http import HttpApi
from seatbridge.connector.push import Pusher, PushReport
from seatbridge.connector.sending import DEFAULT_BATCH_ROWS
from seatbridge.connector.sending import Progress as ProgressCallback
from seatbridge.connector.state import StateLock
from seatbridge.connector.timing import parse_interval
from seatbridge.connector.watch import Next, Watch
from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_, Text, _, _n
from seatbridge.ingest.wire import MAX_BATCH_ROWS
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sync.plan import ACTION_KIND_LABELS

EXIT_BLOCKED = EXIT_NEEDS_CONFIRMATION  # as `seatbridge sync`: the brake held collaborators

app = typer.Typer(
    cls=SeatbridgeGroup,
    help="The on-premise connector: reads Sage 100 here and pushes the changes to the server.",
    no_args_is_help=True,
)


@app.command("run")
def run(
    sage_url: str = typer.Option(
        ...,
        "--sage-url",
        envvar="SEATBRIDGE_CONNECTOR_SAGE_URL",
        help="SQLAlchemy URL of the Sage 100 company database (or a SQLite file).",
    ),
    server: str = typer.Option(
        ...,
        "--server",
        envvar="SEATBRIDGE_CONNECTOR_SERVER",
        help="The seatbridge server, e.g. https://ssm.example.com.",
    ),
    key: str = typer.Option(
        ...,
        "--key",
        envvar="SEATBRIDGE_CONNECTOR_KEY",
        show_default=False,
        help="An API key of scope connector:<environment id> (prefer the environment variable).",
    ),
    once: bool = typer.Option(False, "--once", help="One pass, then exit (0 when applied)."),
    every: str = typer.Option(
        "5s", "--every", help="Look for changes every: 5s, 1m (a pass only when one is seen)."
    ),
    state: Path = typer.Option(
        Path("seatbridge-connector.json"),
        "--state",
        help="State file (the run in flight, the last commit); one per environment.",
    ),
    full: bool = typer.Option(False, "--full", help="Read everything in the first pass."),
    confirm: bool = typer.Option(
        False, "--confirm", help="Apply the first pass even past the safety brake."
    ),
    batch_rows: int = typer.Option(
        DEFAULT_BATCH_ROWS, "--batch-rows", min=1, max=MAX_BATCH_ROWS, help="Rows per batch."
    ),
    attempts: int = typer.Option(
        6, "--attempts", min=1, max=20, help="Tries per request before a pass fails."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Read Sage 100 and push the changes to the server, once or whenever Sage 100 changes."""
    pause = parse_interval(every)
    with (
        StateLock(state),
        Sage100Reader(sage_url) as reader,
        HttpApi(server, key, attempts=attempts) as api,
    ):
        pusher = Pusher(reader, api, state, server=server, batch_rows=batch_rows, warn=_warn)
        watch = Watch(reader)
        first = True
        try:
            while True:
                look = watch.look()
                wanted = Next.PUSH if first or once else watch.next(look)
                if wanted is Next.HEARTBEAT:
                    with contextlib.suppress(SeatbridgeError):  # the next pass reports it
                        api.state()
                    watch.requested()
                elif wanted is Next.PUSH:
                    report = _pass(pusher, full=full and first, confirm=confirm and first,
                                   once=once, json_output=json_output)  # fmt: skip
                    if once:
                        raise typer.Exit(EXIT_BLOCKED if report and report.blocked else 0)
                    watch.requested()
                    if report is not None:  # applied (a brake-stopped push waits for --confirm)
                        watch.pushed(look)
                    first = first and report is None
                time.sleep(pause)
        except KeyboardInterrupt:
            stderr.print(
                escape(say(_("Arrêté. Un envoi en cours reprendra au prochain démarrage."))),
                highlight=False,
            )
            raise typer.Exit(EXIT_INTERRUPTED) from None


def _pass(
    pusher: Pusher, *, full: bool, confirm: bool, once: bool, json_output: bool
) -> PushReport | None:
    """One pass; a failure ends a single pass (exit 1), and only a fatal one ends a loop."""
    try:
        with _progress(quiet=json_output) as progress:
            pusher.progress = progress
            report = pusher.push(full=full, confirm=confirm)
    except SeatbridgeError as error:
        if once or (isinstance(error, ConnectorError) and error.fatal):
            raise
        if json_output:  # the loop goes on: one error line, as the pass lines
            document = error_document(error, exit_code_of(error))
            sys.stdout.write(json.dumps(document, default=str, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            stderr.print(
                f"[bold red]error:[/] {escape(error.message(cli_locale()))}",
                highlight=False,
                soft_wrap=True,
            )
        return None
    if json_output:
        result = report.as_dict() | _confirmation(report)
        if once:
            emit_json(result)
        else:  # one line per pass, for log collectors
            sys.stdout.write(json.dumps(result, default=str) + "\n")
            sys.stdout.flush()
    else:
        _describe(report)
    return report


def _confirmation(report: PushReport) -> dict[str, Any]:
    """What a script needs to know when the safety brake held the collaborators back."""
    if not report.blocked:
        return {"needs_confirmation": False}
    return {
        "needs_confirmation": True,
        "confirm_with": "seatbridge connector run --once --confirm (same options)",
    }


ENTITY_LABELS = {
    "collaborators": N_("Collaborateurs"),
    "customers": N_("Clients"),
    "document_headers": N_("Documents"),
    "document_lines": N_("Lignes de documents"),
}


def _describe(report: PushReport) -> None:
    applied = _(
        "Envoi n° {run} appliqué en {seconds} s.",
        run=report.run_id,
        seconds=format(report.seconds, "g"),
    )
    tell(_("{applied} (reprise)", applied=applied) if report.resumed else applied)
    for name, entity in report.entities.items():
        outcome: dict[str, Any] = report.outcome.get(name, {})
        kind = _("complète") if entity.full else _("modifications")
        read = _n("{n} lu ({kind})", "{n} lus ({kind})", entity.rows, kind=kind)
        sent = _n(
            "{n} lot envoyé sur {batches}",
            "{n} lots envoyés sur {batches}",
            entity.sent,
            batches=entity.batches,
        )
        done: Text | str
        if name == "collaborators":
            counts = outcome.get("counts") or {}
            done = ", ".join(
                f"{say(Text(ACTION_KIND_LABELS.get(k, k)))} : {v}"
                for k, v in sorted(counts.items())
            ) or _("aucun changement")
            status = outcome.get("status", "")
            if status != "succeeded":
                done = _("{status} ; {done}", status=status, done=done)
        else:
            done = _(
                "{changed} modifiés, {deleted} supprimés",
                changed=outcome.get("upserted", 0),
                deleted=outcome.get("deleted", 0),
            )
        label = say(Text(ENTITY_LABELS.get(name, name)))
        line = _(
            "{entity} : {read}, {sent} : {done}", entity=label, read=read, sent=sent, done=done
        )
        tell("  " + say(line))
    if report.blocked:
        stdout.print(
            escape(
                say(
                    _(
                        "Le frein de sécurité a arrêté les collaborateurs (clients et documents "
                        "sont appliqués). Vérifiez Sage 100, puis relancez une fois avec --confirm."
                    )
                )
            ),
            style="bold red",
            highlight=False,
        )


def _warn(message: Text) -> None:
    stderr.print(f"[yellow]warning:[/] {escape(say(message))}", highlight=False, soft_wrap=True)


@contextmanager
def _progress(*, quiet: bool) -> Iterator[ProgressCallback]:
    if quiet or not sys.stderr.isatty():
        yield lambda _what, _done, _total: None
        return
    columns = (TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=stderr, transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def update(what: str, done: int, total: int | None) -> None:
            if what not in tasks:
                tasks[what] = progress.add_task(what, total=total)
            progress.update(tasks[what], completed=done, total=total)

        yield update
