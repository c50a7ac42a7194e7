"""`seatbridge sync ENV`: one sync run of an environment, previewed or applied."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from seatbridge.accounts.models import Environment
from seatbridge.cli.common import (
    JSON_OPTION,
    deliver_mail,
    domain_errors,
    emit_json,
    load_settings,
    stdout,
    store_sessions,
)
from seatbridge.cli.lookup import direct_environment
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.invitations.service import welcome_hook
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sync.models import RunStatus
from seatbridge.sync.runner import Progress as ProgressCallback
from seatbridge.sync.runner import SyncOutcome, run_sync
from seatbridge.sync.source import Sage100Source

EXIT_BLOCKED = 3


def sync(
    environment_ref: str = typer.Argument(
        ..., metavar="ENV", help="ACCOUNT/ENVIRONMENT (names or ids), or an environment id."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show what would change; change nothing."
    ),
    full: bool = typer.Option(False, "--full", help="Read everything (detects deletions)."),
    confirm: bool = typer.Option(False, "--confirm", help="Apply even past the safety brake."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Synchronise the collaborators of a Sage 100 company into the directory."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors():
        environment, source_url = direct_environment(sessions, environment_ref)
        with Sage100Reader(source_url) as reader, _progress(json_output) as say:
            outcome = run_sync(
                sessions,
                account_id=environment.account_id,
                environment_id=environment.id,
                source=Sage100Source(reader),
                actor="cli",
                clock=SYSTEM_CLOCK,
                full=full,
                dry_run=dry_run,
                confirm=confirm,
                progress=say,
                on_invited=welcome_hook(settings=settings, clock=SYSTEM_CLOCK, actor="cli"),
            )
        deliver_mail(sessions, settings)
    _report(outcome, environment, json_output)
    if outcome.blocked:
        raise typer.Exit(EXIT_BLOCKED)


def _report(outcome: SyncOutcome, environment: Environment, json_output: bool) -> None:
    plan = outcome.plan
    if json_output:
        emit_json(
            {
                "run_id": outcome.run_id,
                "environment": environment.name,
                "status": outcome.status.value,
                "full": plan.full if plan else None,
                "records_read": plan.records_read if plan else 0,
                "counts": outcome.counts,
                "actions": [a.summary() for a in plan.actions] if plan else [],
            }
        )
        return
    title = {
        RunStatus.SUCCEEDED: "Synchronisation terminée",
        RunStatus.PREVIEW: "Aperçu (rien n'a été modifié)",
        RunStatus.BLOCKED: "Synchronisation arrêtée par le frein de sécurité",
    }.get(outcome.status, outcome.status.value)
    stdout.print(
        f"[bold]{title}[/] — {environment.name}, run {outcome.run_id}"
        + (
            f", {plan.records_read} lus ({'complète' if plan.full else 'incrémentale'})"
            if plan
            else ""
        )
    )
    if plan is not None and (outcome.status is not RunStatus.SUCCEEDED or plan.actions):
        for action in plan.actions[:50]:
            who = f"n° {action.co_no}" if action.co_no is not None else f"user {action.user_id}"
            stdout.print(f"  {action.kind.value:<20} {who:<12} {action.reason}", highlight=False)
        if len(plan.actions) > 50:
            stdout.print(f"  … {len(plan.actions) - 50} de plus (--json pour tout voir)")
    stdout.print(
        "  "
        + (", ".join(f"{k}: {v}" for k, v in sorted(outcome.counts.items())) or "aucun changement")
    )
    if outcome.blocked and plan is not None:
        stdout.print(
            f"[bold red]{plan.harmful} utilisateurs liés sur {plan.linked_users} seraient "
            "signalés ou désactivés.[/] Vérifiez Sage 100 puis relancez avec --confirm."
        )


@contextmanager
def _progress(quiet: bool) -> Iterator[ProgressCallback | None]:
    if quiet or not sys.stderr.isatty():
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task("Synchronisation", total=None)
        yield lambda message: progress.update(task, description=message)
