"""`seatbridge apikeys ...`: the API keys of an account (REST API, SCIM, connectors)."""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from seatbridge.accounts import service as accounts
from seatbridge.apikeys import service as apikeys
from seatbridge.apikeys.models import ApiKey
from seatbridge.cli.common import (
    JSON_OPTION,
    domain_errors,
    emit_json,
    load_settings,
    say,
    stderr,
    stdout,
    store_sessions,
    tell,
)
from seatbridge.cli.errors import SeatbridgeGroup
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.i18n import _

app = typer.Typer(
    cls=SeatbridgeGroup,
    help="API keys of an account (REST API, SCIM, connectors).",
    no_args_is_help=True,
)
ACCOUNT = typer.Argument(..., metavar="ACCOUNT", help="Account slug or id.")


@app.command("create")
def create(
    account_ref: str = ACCOUNT,
    name: str = typer.Option(..., "--name", help="What the key is for, e.g. 'Entra ID'."),
    scope: str = typer.Option(
        ..., "--scope", help="admin, read, scim, or connector:ENVIRONMENT_ID."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Create a key and print its token: it is shown this once and never again."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors(), sessions.begin() as session:
        account = accounts.get_account(session, account_ref)
        issued = apikeys.create_key(
            session,
            account_id=account.id,
            name=name,
            scope=scope,
            actor="cli",
            clock=SYSTEM_CLOCK,
        )
        result = describe(issued.key) | {"token": issued.token}
    if json_output:
        emit_json(result)
        return
    tell(
        _(
            "Clé {id} ({scope}) créée pour {account}.",
            id=result["id"],
            scope=result["scope"],
            account=account_ref,
        )
    )
    stderr.print(
        escape(
            say(
                _(
                    "Copiez le jeton maintenant : il n'est montré qu'une fois et ne peut pas "
                    "être retrouvé."
                )
            )
        ),
        highlight=False,
    )
    stdout.print(result["token"], highlight=False, soft_wrap=True)


@app.command("list")
def list_(account_ref: str = ACCOUNT, json_output: bool = JSON_OPTION) -> None:
    """List the account's keys (never their tokens), revoked ones included."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors(), sessions() as session:
        account = accounts.get_account(session, account_ref)
        rows = [describe(key) for key in apikeys.list_keys(session, account_id=account.id)]
    if json_output:
        emit_json(rows)
        return
    table = Table(
        "id",
        say(_("Nom")),
        say(_("Accès")),
        say(_("Créée le")),
        say(_("Dernier usage")),
        say(_("Statut")),
    )
    for row in rows:
        table.add_row(
            str(row["id"]),
            str(row["name"]),
            str(row["scope"]),
            str(row["created_at"])[:16],
            str(row["last_used_at"] or "—")[:16],
            say(_("révoquée") if row["revoked_at"] else _("active")),
        )
    stdout.print(table)


@app.command("revoke")
def revoke(
    account_ref: str = ACCOUNT,
    key_id: str = typer.Argument(..., metavar="KEY_ID", help="The key's id (see `list`)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Revoke a key: requests made with it are refused from now on."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors(), sessions.begin() as session:
        account = accounts.get_account(session, account_ref)
        key = apikeys.revoke_key(
            session, account_id=account.id, key_id=key_id, actor="cli", clock=SYSTEM_CLOCK
        )
        result = describe(key)
    if json_output:
        emit_json(result)
    else:
        tell(_("Clé {id} révoquée.", id=result["id"]))


def describe(key: ApiKey) -> dict[str, Any]:
    return {
        "id": key.public_id,
        "name": key.name,
        "scope": str(key.scope),
        "created_at": key.created_at,
        "created_by": key.created_by,
        "last_used_at": key.last_used_at,
        "revoked_at": key.revoked_at,
    }
