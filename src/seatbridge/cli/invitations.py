"""`seatbridge users invite`: invite people by e-mail (seats all-or-nothing, welcome e-mails).

`invite` and `send_password` are plain functions so that they can join the `users` group
(``users.app.command("invite")(invitations.invite)``); `app` also offers them as a group.
"""

from __future__ import annotations

import typer

from seatbridge import onboarding
from seatbridge.accounts import service as accounts
from seatbridge.cli.common import (
    JSON_OPTION,
    domain_errors,
    emit_json,
    fail,
    load_settings,
    store_sessions,
    tell,
)
from seatbridge.cli.errors import EXIT_BAD_INPUT, SeatbridgeGroup
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.directory import service as directory
from seatbridge.directory.errors import UserNotFound
from seatbridge.directory.service import NewUser
from seatbridge.i18n import _, _n
from seatbridge.invitations import service as invitations
from seatbridge.mail import deliver_outbox
from seatbridge.mail.factory import transport_from_settings

app = typer.Typer(
    cls=SeatbridgeGroup, help="Invitations and their welcome e-mails.", no_args_is_help=True
)

OPERATOR = "cli"


@app.callback()
def invitations_group() -> None:
    """Invitations and their welcome e-mails."""


@app.command("invite")
def invite(
    account_ref: str = typer.Argument(..., metavar="ACCOUNT", help="Account slug or id."),
    emails: list[str] = typer.Option(..., "--email", help="E-mail to invite (repeatable)."),
    first_name: str = typer.Option(None, "--first-name", help="First name (one --email only)."),
    last_name: str = typer.Option(None, "--last-name", help="Last name (one --email only)."),
    environment: str = typer.Option(None, "--environment", help="Home environment (name or id)."),
    locale: str = typer.Option("fr", "--locale", help="Language of the welcome e-mail: fr or en."),
    ssm_only: bool = typer.Option(
        False, "--ssm-only", help="Invite without any Sage 100 link, now or later (audited)."
    ),
    reason: str = typer.Option("", "--reason", help="Why SSM-only (kept in the audit log)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Invite people (rule 17): a person whose e-mail is that of one collaborator is linked and
    invited at once (a seat, a welcome e-mail); others wait for a manual verification."""
    if (first_name or last_name) and len(emails) > 1:
        fail(_("--first-name et --last-name vont avec un seul --email."), EXIT_BAD_INPUT)
    if locale not in ("fr", "en"):
        fail(_("--locale vaut fr ou en."), EXIT_BAD_INPUT)
    if reason and not ssm_only:
        fail(_("--reason va avec --ssm-only."), EXIT_BAD_INPUT)
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors():
        with sessions.begin() as session:
            account = accounts.get_account(session, account_ref)
            home = None
            if environment:
                home = accounts.get_environment(
                    session, account_id=account.id, reference=environment
                ).id
            people = [
                NewUser(
                    email=email,
                    first_name=first_name,
                    last_name=last_name,
                    home_environment_id=home,
                    locale=locale,
                )
                for email in emails
            ]
            created = onboarding.create_users(
                session,
                account_id=account.id,
                people=people,
                actor=OPERATOR,
                clock=SYSTEM_CLOCK,
                settings=settings,
                source="admin",
                ssm_only=onboarding.SsmOnly(reason) if ssm_only else None,
            )
            rows = [creation_row(c) for c in created]
        # After commit: a failure here only delays the e-mails (the outbox retries them).
        report = deliver_outbox(sessions, transport_from_settings(settings), SYSTEM_CLOCK)
    invited = [row for row in rows if row["status"] == "invited"]
    waiting = [row for row in rows if row["status"] != "invited"]
    if json_output:
        emit_json(
            {
                "account": account.slug,
                "invited": invited,
                "pending_review": waiting,
                "mail": {"sent": report.sent, "deferred": report.deferred},
            }
        )
        return
    tell(
        _n(
            "{n} personne invitée dans {account} :",
            "{n} personnes invitées dans {account} :",
            len(invited),
            account=account.name,
        )
    )
    for user in invited:
        tell(f"  {user['email']}")
    if waiting:
        tell(
            _n(
                "{n} personne attend une vérification manuelle (aucun collaborateur, ou "
                "plusieurs, avec cette adresse) ; voir `seatbridge reviews list {account}` :",
                "{n} personnes attendent une vérification manuelle (aucun collaborateur, ou "
                "plusieurs, avec cette adresse) ; voir `seatbridge reviews list {account}` :",
                len(waiting),
                account=account_ref,
            )
        )
        for user in waiting:
            tell(f"  {user['email']}")
    sent = _n("{n} e-mail de bienvenue envoyé", "{n} e-mails de bienvenue envoyés", report.sent)
    if report.deferred:
        sent = _n(
            "{sent}, {n} en attente d'un nouvel essai",
            "{sent}, {n} en attente d'un nouvel essai",
            report.deferred,
            sent=sent,
        )
    tell(_("{sent}.", sent=sent))


def creation_row(created: onboarding.Creation) -> dict[str, object]:
    """One created user as `users create` and `users invite` print it (--json)."""
    case = created.case
    return {
        "id": created.user.id,
        "email": created.user.email,
        "status": created.user.status,
        "outcome": created.outcome.value,
        "links": [{"environment_id": e, "co_no": c} for e, c in created.links],
        "review_case": (
            {"id": case.id, "kind": case.kind, "candidates": case.candidates} if case else None
        ),
    }


@app.command("send-password")
def send_password(
    account_ref: str = typer.Argument(..., metavar="ACCOUNT", help="Account slug or id."),
    emails: list[str] = typer.Option(..., "--email", help="User's e-mail (repeatable)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """ "Envoyer mot de passe": a new invitation to invited users, a reset link to active ones."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors():
        with sessions.begin() as session:
            account = accounts.get_account(session, account_ref)
            user_ids = []
            for email in emails:
                user = directory.find_user_by_email(session, account_id=account.id, email=email)
                if user is None:
                    raise UserNotFound(user=email)
                user_ids.append(user.id)
            sent = invitations.send_password_links(
                session,
                account_id=account.id,
                user_ids=user_ids,
                actor=OPERATOR,
                clock=SYSTEM_CLOCK,
                settings=settings,
            )
            links = [{"email": user.email, "link": purpose.value} for user, purpose in sent]
        report = deliver_outbox(sessions, transport_from_settings(settings), SYSTEM_CLOCK)
    if json_output:
        emit_json({"account": account.slug, "sent": links, "mail": {"sent": report.sent}})
        return
    for item in links:
        if item["link"] == "invite":
            tell(_("{email} : invitation en file d'envoi.", email=item["email"]))
        else:
            tell(_("{email} : lien de nouveau mot de passe en file d'envoi.", email=item["email"]))
    tell(_("E-mails envoyés maintenant : {n} (les autres sont réessayés).", n=report.sent))
