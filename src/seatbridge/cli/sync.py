"""`seatbridge sync ENV`: one sync run of an environment, previewed or applied."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment
from seatbridge.audit.names import people
from seatbridge.cli.common import (
    JSON_OPTION,
    deliver_mail,
    domain_errors,
    emit_json,
    load_settings,
    say,
    stderr,
    stdout,
    store_sessions,
)
from seatbridge.cli.errors import EXIT_NEEDS_CONFIRMATION
from seatbridge.cli.lookup import direct_environment
from seatbridge.cli.quality import print_row_report
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.commerce.replication import ReplicationOutcome
from seatbridge.i18n import Text, _, _n
from seatbridge.invitations.service import welcome_hook
from seatbridge.jobs.lease import holder_name
from seatbridge.jobs.orchestrator import Observer, Parts, SyncRequest, synchronise
from seatbridge.sync import errors
from seatbridge.sync.models import RunStatus
from seatbridge.sync.plan import ACTION_KIND_LABELS
from seatbridge.sync.runner import Progress as ProgressCallback
from seatbridge.sync.runner import SyncOutcome

EXIT_BLOCKED = EXIT_NEEDS_CONFIRMATION


def sync(
    environment_ref: str = typer.Argument(
        ..., metavar="ENV", help="ACCOUNT/ENVIRONMENT (names or ids), or an environment id."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show what would change; change nothing."
    ),
    full: bool = typer.Option(False, "--full", help="Read everything (detects deletions)."),
    confirm: bool = typer.Option(False, "--confirm", help="Apply even past the safety brake."),
    collaborators_only: bool = typer.Option(
        False, "--collaborators-only", help="Skip the customers and sales documents."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Synchronise a Sage 100 company: its collaborators into the directory, then its customers
    and sales documents (a preview plans the collaborators only). Refused while another process
    syncs the same environment."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors():
        environment, _url = direct_environment(sessions, environment_ref)
        with _progress(json_output) as progress:
            result = synchronise(
                sessions,
                SyncRequest(
                    account_id=environment.account_id,
                    environment_id=environment.id,
                    actor="cli",
                    parts=Parts.COLLABORATORS if collaborators_only else Parts.ALL,
                    full=full,
                    dry_run=dry_run,
                    confirm=confirm,
                ),
                holder=holder_name("cli"),
                settings=settings,
                clock=SYSTEM_CLOCK,
                on_invited=welcome_hook(settings=settings, clock=SYSTEM_CLOCK, actor="cli"),
                observer=Observer(stage=progress),
            )
        outcome = result.run
        deliver_mail(sessions, settings)
        _report(outcome, result.commerce, environment, json_output, sessions)
    if outcome.blocked:
        raise typer.Exit(EXIT_BLOCKED)


def _confirm_with(outcome: SyncOutcome, environment: Environment) -> str | None:
    if not outcome.blocked:
        return None
    full = " --full" if outcome.plan is not None and outcome.plan.full else ""
    return f"seatbridge sync {environment.id}{full} --confirm"


def _report(
    outcome: SyncOutcome,
    commerce: ReplicationOutcome | None,
    environment: Environment,
    json_output: bool,
    sessions: sessionmaker[Session],
) -> None:
    plan = outcome.plan
    if json_output:
        emit_json(
            {
                "commerce": commerce.as_dict()["entities"] if commerce else None,
                "run_id": outcome.run_id,
                "environment": environment.name,
                "status": outcome.status.value,
                "full": plan.full if plan else None,
                "records_read": plan.records_read if plan else 0,
                "counts": outcome.counts,
                "actions": [{**a.summary(), "reason": say(a.reason)} for a in plan.actions]
                if plan
                else [],
                # A blocked run changed nothing: `counts` is what --confirm would apply.
                "needs_confirmation": outcome.blocked,
                "confirm_with": _confirm_with(outcome, environment),
                "rows_set_aside": outcome.report.set_aside,
                "rows_report": outcome.report.as_dict(),
            }
        )
        return
    title = {
        RunStatus.SUCCEEDED: _("Synchronisation terminée"),
        RunStatus.PREVIEW: _("Aperçu (rien n'a été modifié)"),
        RunStatus.BLOCKED: _("Synchronisation arrêtée par le frein de sécurité"),
    }.get(outcome.status, outcome.status.value)
    line = _(
        "{title} — {environment}, synchronisation n° {run}",
        title=title,
        environment=environment.name,
        run=outcome.run_id,
    )
    if plan:
        read = _n("{n} lu", "{n} lus", plan.records_read)
        kind = _("complète") if plan.full else _("incrémentale")
        line = _("{line}, {read} ({kind})", line=line, read=read, kind=kind)
    stdout.print(escape(say(line)), highlight=False)
    if plan is not None and (outcome.status is not RunStatus.SUCCEEDED or plan.actions):
        with sessions() as session:
            names = people(
                session,
                account_id=environment.account_id,
                collaborators={(environment.id, a.co_no) for a in plan.actions if a.co_no},
                user_ids={a.user_id for a in plan.actions if a.user_id},
            )
        for action in plan.actions[:50]:
            label = say(Text(ACTION_KIND_LABELS[action.kind]))
            who = names.who(environment.id, action.co_no, action.user_id)
            stdout.print(f"  {label} — {say(who)} : {say(action.reason)}", highlight=False)
        if len(plan.actions) > 50:
            more = _("… {n} de plus (--json pour tout voir)", n=len(plan.actions) - 50)
            stdout.print(f"  {say(more)}", highlight=False)
    counts = ", ".join(
        f"{say(Text(ACTION_KIND_LABELS.get(kind, kind)))} : {count}"
        for kind, count in sorted(outcome.counts.items())
    )
    stdout.print("  " + (counts or say(_("aucun changement"))), highlight=False)
    if commerce is not None:
        copied = ", ".join(
            say(
                _(
                    "{entity} : {read} lus, {upserted} copiés, {deleted} supprimés",
                    entity=entity.entity,
                    read=entity.read,
                    upserted=entity.upserted,
                    deleted=entity.deleted,
                )
            )
            for entity in commerce.entities
        )
        stdout.print(f"  {say(_('Copie'))} — {copied}", highlight=False)
    print_row_report(outcome.report)
    if outcome.blocked and plan is not None:
        stdout.print(
            escape(say(errors.SyncBlocked(harmful=plan.harmful, linked=plan.linked_users).text)),
            style="bold red",
            highlight=False,
        )


@contextmanager
def _progress(quiet: bool) -> Iterator[ProgressCallback | None]:
    if quiet or not sys.stderr.isatty():
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=True) as bar:
        task = bar.add_task(say(_("Synchronisation")), total=None)
        yield lambda message: bar.update(task, description=say(message))
