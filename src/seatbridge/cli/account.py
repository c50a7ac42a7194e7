"""`seatbridge account ...`: customers (tenants) and their activation codes."""

from __future__ import annotations

from typing import Any

import typer

from seatbridge.accounts import seats
from seatbridge.accounts import service as accounts
from seatbridge.accounts.models import Account
from seatbridge.cli.common import (
    JSON_OPTION,
    deliver_mail,
    domain_errors,
    emit_json,
    load_settings,
    store_sessions,
    tell,
)
from seatbridge.cli.errors import SeatbridgeGroup
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.directory import service as directory
from seatbridge.i18n import N_, Text, _, _n
from seatbridge.invitations import service as invitations
from seatbridge.licensing import KeyRing

app = typer.Typer(
    cls=SeatbridgeGroup, help="Customer accounts and their activation codes.", no_args_is_help=True
)

OPERATOR = "cli"
LICENSE_STATES = {
    "valid": N_("valide"),
    "grace": N_("expiré, en période de grâce"),
    "expired": N_("expiré"),
    "none": N_("aucun code"),
}


@app.command("create")
def create(
    name: str = typer.Argument(..., help="Customer name, e.g. 'Bijou SA'."),
    slug: str = typer.Option(None, help="Short identifier (derived from the name by default)."),
    admin_email: str = typer.Option(None, "--admin-email", help="E-mail of the first admin."),
    admin_first_name: str = typer.Option(None, "--admin-first-name"),
    admin_last_name: str = typer.Option(None, "--admin-last-name"),
    json_output: bool = JSON_OPTION,
) -> None:
    """Create an account, optionally with its first admin (who holds a seat)."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors(), sessions.begin() as session:
        account = accounts.create_account(session, name=name, slug=slug, actor=OPERATOR)
        owner = None
        if admin_email:
            owner = directory.create_owner(
                session,
                account_id=account.id,
                person=directory.NewUser(
                    email=admin_email, first_name=admin_first_name, last_name=admin_last_name
                ),
                actor=OPERATOR,
                clock=SYSTEM_CLOCK,
            )
            invitations.welcome(
                session,
                account_id=account.id,
                users=[owner],
                actor=OPERATOR,
                clock=SYSTEM_CLOCK,
                settings=settings,
            )
        result = _describe(account, session)
        if owner is not None:
            result["admin"] = {"id": owner.id, "email": owner.email, "status": owner.status}
    if owner is not None:
        with store_sessions(settings) as sessions:
            deliver_mail(sessions, settings)
    if json_output:
        emit_json(result)
    else:
        tell(_("Compte {name} créé (identifiant {slug}).", name=account.name, slug=account.slug))
        if owner is not None:
            tell(
                _(
                    "Premier administrateur : {email} (invité ; l'e-mail de bienvenue est envoyé).",
                    email=owner.email,
                )
            )
        tell(_("Ensuite : seatbridge account activate {slug} CODE", slug=account.slug))


@app.command("activate")
def activate(
    account_ref: str = typer.Argument(..., metavar="ACCOUNT", help="Account slug or id."),
    code: str = typer.Argument(..., help="The activation code from the vendor."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Verify an activation code and put its terms in force."""
    settings = load_settings()
    keyring = KeyRing.from_settings(settings)
    with store_sessions(settings) as sessions, domain_errors(), sessions.begin() as session:
        account = accounts.get_account(session, account_ref)
        account, changed = accounts.apply_activation_code(
            session,
            account_id=account.id,
            code=code,
            keyring=keyring,
            clock=SYSTEM_CLOCK,
            actor=OPERATOR,
        )
        result = _describe(account, session) | {"changed": changed}
    if json_output:
        emit_json(result)
        return
    if not changed:
        tell(_("Ce code est déjà en vigueur : rien n'a changé."))
    _print_status(result)


@app.command("show")
def show(
    account_ref: str = typer.Argument(..., metavar="ACCOUNT", help="Account slug or id."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Show an account's edition, seats and licence state."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors(), sessions() as session:
        result = _describe(accounts.get_account(session, account_ref), session)
    if json_output:
        emit_json(result)
    else:
        _print_status(result)


def _describe(account: Account, session: Any) -> dict[str, Any]:
    usage = seats.seat_usage(session, account_id=account.id, today=SYSTEM_CLOCK.today())
    return {
        "id": account.id,
        "slug": account.slug,
        "name": account.name,
        "edition": account.edition,
        "license": {
            "state": usage.license.value,
            "serial": account.license_serial,
            "expires_on": account.license_expires_on,
            "grace_days": account.license_grace_days,
        },
        "seats": {
            "total": usage.total,
            "used": usage.used,
            "free": usage.free,
            "over_quota": usage.over_quota,
        },
        "max_environments": account.max_environments,
        "environments": [
            {"id": e.environment_id, "name": e.name, "seat_cap": e.cap, "seats_used": e.used}
            for e in usage.environments
        ],
    }


def _print_status(result: dict[str, Any]) -> None:
    seats_info, license_info = result["seats"], result["license"]
    tell(
        _(
            "{name} ({slug}) — édition {edition}",
            name=result["name"],
            slug=result["slug"],
            edition=result["edition"] or "—",
        )
    )
    seats = _n(
        "{n} licence utilisée sur {total} ({free} libres)",
        "{n} licences utilisées sur {total} ({free} libres)",
        seats_info["used"],
        total=seats_info["total"],
        free=seats_info["free"],
    )
    tell(_("{seats} — quota dépassé", seats=seats) if seats_info["over_quota"] else seats)
    state = LICENSE_STATES.get(license_info["state"])
    tell(
        _(
            "Code {serial} : {state}, expire le {expires_on}",
            serial=license_info["serial"] or "—",
            state=Text(state) if state else license_info["state"],
            expires_on=license_info["expires_on"] or "—",
        )
    )


@app.command("set")
def set_options(
    account_ref: str = typer.Argument(..., metavar="ACCOUNT", help="Account slug or id."),
    scim_confirm_unmatched: bool = typer.Option(
        None,
        "--scim-confirm-unmatched/--scim-review-unmatched",
        help="Users created over SCIM with no matching collaborator: confirm them at once, or "
        "hold them for review (the default, rule 17).",
        show_default=False,
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Change an account's options."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors(), sessions.begin() as session:
        account = accounts.get_account(session, account_ref)
        if scim_confirm_unmatched is not None:
            accounts.set_scim_confirm_unmatched(
                session, account_id=account.id, enabled=scim_confirm_unmatched, actor=OPERATOR
            )
        result = {"slug": account.slug, "scim_confirm_unmatched": account.scim_confirm_unmatched}
    if json_output:
        emit_json(result)
    else:
        confirmed = result["scim_confirm_unmatched"]
        tell(
            _(
                "{slug} : les utilisateurs SCIM sans collaborateur sont confirmés d'office.",
                slug=result["slug"],
            )
            if confirmed
            else _(
                "{slug} : les utilisateurs SCIM sans collaborateur attendent une vérification.",
                slug=result["slug"],
            )
        )
