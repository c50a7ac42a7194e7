"""`seatbridge users ...`: the directory's users, created the way rule 17 says, and explained."""

from __future__ import annotations

import typer
from rich.table import Table

from seatbridge import onboarding
from seatbridge.accounts import service as accounts
from seatbridge.audit.sentences import VALUES
from seatbridge.cli.common import (
    JSON_OPTION,
    cli_locale,
    deliver_mail,
    domain_errors,
    emit_json,
    fail,
    load_settings,
    say,
    stdout,
    store_sessions,
    tell,
)
from seatbridge.cli.errors import EXIT_BAD_INPUT, SeatbridgeGroup
from seatbridge.cli.invitations import creation_row
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.directory import service as directory
from seatbridge.directory.models import Role, UserStatus
from seatbridge.directory.queries import UserQuery, all_users
from seatbridge.i18n import Text, _
from seatbridge.sync.explain import explain_user
from seatbridge.sync.models import CASE_KIND_LABELS

app = typer.Typer(cls=SeatbridgeGroup, help="Users of an account.", no_args_is_help=True)
ACCOUNT = typer.Argument(..., metavar="ACCOUNT", help="Account slug or id.")


@app.command("list")
def list_(
    account_ref: str = ACCOUNT,
    status: UserStatus = typer.Option(None, "--status", help="Only users in this status."),
    wanted_role: Role = typer.Option(None, "--role", help="Only users with this role."),
    environment: str = typer.Option(
        None, "--environment", help="At home in, or linked in, this environment (name or id)."
    ),
    text: str = typer.Option(None, "--q", help="In the e-mail, first or last name."),
    json_output: bool = JSON_OPTION,
) -> None:
    """List users with their status and role (the same filters as the Admin and the API)."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors(), sessions() as session:
        account = accounts.get_account(session, account_ref)
        environment_id = None
        if environment:
            environment_id = accounts.get_environment(
                session, account_id=account.id, reference=environment
            ).id
        query = UserQuery(
            status=status.value if status else None,
            role=wanted_role.value if wanted_role else None,
            environment_id=environment_id,
            text=text,
        )
        users = all_users(session, account_id=account.id, query=query)
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
    ssm_only: bool = typer.Option(
        False, "--ssm-only", help="No Sage 100 link, now or later (audited)."
    ),
    reason: str = typer.Option("", "--reason", help="Why SSM-only (kept in the audit log)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Create a user: linked to the matching collaborator, or held for a manual verification."""
    if reason and not ssm_only:
        fail(_("--reason va avec --ssm-only."), EXIT_BAD_INPUT)
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors(), sessions.begin() as session:
        account = accounts.get_account(session, account_ref)
        (created,) = onboarding.create_users(
            session,
            account_id=account.id,
            people=[directory.NewUser(email=email, first_name=first_name, last_name=last_name)],
            actor="cli",
            clock=SYSTEM_CLOCK,
            settings=settings,
            source="admin",
            ssm_only=onboarding.SsmOnly(reason) if ssm_only else None,
        )
        result = creation_row(created)
    with store_sessions(settings) as sessions:
        deliver_mail(sessions, settings)
    if json_output:
        emit_json(result)
    elif created.case is None and not created.links:
        tell(
            _(
                "{email} : invité comme utilisateur SSM uniquement (sans lien Sage 100).",
                email=email,
            )
        )
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
