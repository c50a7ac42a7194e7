"""`seatbridge users ...`: the directory's users, created the way rule 17 says, and explained."""

from __future__ import annotations

import typer
from rich.table import Table

from seatbridge.accounts import service as accounts
from seatbridge.audit.sentences import VALUES
from seatbridge.cli.common import (
    JSON_OPTION,
    cli_locale,
    deliver_mail,
    domain_errors,
    emit_json,
    load_settings,
    say,
    stdout,
    store_sessions,
    tell,
)
from seatbridge.cli.errors import SeatbridgeGroup
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.directory import service as directory
from seatbridge.directory.models import UserStatus
from seatbridge.i18n import Text, _
from seatbridge.invitations import service as invitations
from seatbridge.sync.explain import explain_user
from seatbridge.sync.matching import create_user
from seatbridge.sync.models import CASE_KIND_LABELS

app = typer.Typer(cls=SeatbridgeGroup, help="Users of an account.", no_args_is_help=True)
ACCOUNT = typer.Argument(..., metavar="ACCOUNT", help="Account slug or id.")


@app.command("list")
def list_(
    account_ref: str = ACCOUNT,
    status: UserStatus = typer.Option(None, "--status", help="Only users in this status."),
    json_output: bool = JSON_OPTION,
) -> None:
    """List users with their status and role."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors(), sessions() as session:
        account = accounts.get_account(session, account_ref)
        users = directory.list_users(session, account_id=account.id, status=status)
        rows = [
            {
                "id": u.id,
                "email": u.email,
                "name": u.display_name,
                "role": u.role,
                "status": u.status,
                "home_environment_id": u.home_environment_id,
            }
            for u in users
        ]
    if json_output:
        emit_json(rows)
        return
    table = Table("n°", say(_("E-mail")), say(_("Nom")), say(_("Rôle")), say(_("Statut")))
    for row in rows:
        role = VALUES["role"].get(str(row["role"]))
        status_label = VALUES["status"].get(str(row["status"]))
        table.add_row(
            str(row["id"]),
            str(row["email"]),
            str(row["name"]),
            say(Text(role)) if role else str(row["role"]),
            say(Text(status_label)) if status_label else str(row["status"]),
        )
    stdout.print(table)


@app.command("create")
def create(
    account_ref: str = ACCOUNT,
    email: str = typer.Option(..., "--email"),
    first_name: str = typer.Option(None, "--first-name"),
    last_name: str = typer.Option(None, "--last-name"),
    json_output: bool = JSON_OPTION,
) -> None:
    """Create a user: linked to the matching collaborator, or held for a manual verification."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors(), sessions.begin() as session:
        account = accounts.get_account(session, account_ref)
        created = create_user(
            session,
            account_id=account.id,
            actor="cli",
            clock=SYSTEM_CLOCK,
            person=directory.NewUser(email=email, first_name=first_name, last_name=last_name),
        )
        invitations.welcome(
            session,
            account_id=account.id,
            users=[created.user],
            actor="cli",
            clock=SYSTEM_CLOCK,
            settings=settings,
        )
        result = {
            "id": created.user.id,
            "email": created.user.email,
            "status": created.user.status,
            "links": [{"environment_id": e, "co_no": c} for e, c in created.links],
            "review_case": (
                {
                    "id": created.case.id,
                    "kind": created.case.kind,
                    "candidates": created.case.candidates,
                }
                if created.case
                else None
            ),
        }
    with store_sessions(settings) as sessions:
        deliver_mail(sessions, settings)
    if json_output:
        emit_json(result)
    elif created.case is None:
        tell(
            _(
                "{email} : invité, lié au(x) collaborateur(s) {co_nos}.",
                email=email,
                co_nos=", ".join(f"n° {c}" for _env, c in created.links),
            )
        )
    else:
        kind = CASE_KIND_LABELS.get(created.case.kind)
        tell(
            _(
                "{email} : en attente d'une vérification manuelle (n° {case}, {kind}) ; voir "
                "`seatbridge reviews list {account}`.",
                email=email,
                case=created.case.id,
                kind=Text(kind) if kind else created.case.kind,
                account=account_ref,
            )
        )


@app.command("explain")
def explain(
    account_ref: str = ACCOUNT,
    email: str = typer.Argument(..., help="The user's e-mail address."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Why a user is linked (or not), to which collaborator, since when, by which run or admin."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors(), sessions() as session:
        account = accounts.get_account(session, account_ref)
        result = explain_user(session, account_id=account.id, email=email, locale=cli_locale())
    if json_output:
        emit_json(result)
        return
    tell(result["summary"])
    for event in result["history"]:
        tell(f"  {event['at'][:16].replace('T', ' ')}  {event['description']}")
