"""`seatbridge users invite`: invite people by e-mail (seats all-or-nothing, welcome e-mails).

`invite` and `send_password` are plain functions so that they can join the `users` group
(``users.app.command("invite")(invitations.invite)``); `app` also offers them as a group.
"""

from __future__ import annotations

import typer

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
    json_output: bool = JSON_OPTION,
) -> None:
    """Invite people: each takes a seat and receives a welcome e-mail with a set-password link."""
    if (first_name or last_name) and len(emails) > 1:
        fail(_("--first-name et --last-name vont avec un seul --email."), EXIT_BAD_INPUT)
    if locale not in ("fr", "en"):
        fail(_("--locale vaut fr ou en."), EXIT_BAD_INPUT)
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
            users = invitations.invite(
                session,
                account_id=account.id,
                people=people,
                actor=OPERATOR,
                clock=SYSTEM_CLOCK,
                settings=settings,
            )
            invited = [{"id": u.id, "email": u.email, "status": u.status} for u in users]
        # After commit: a failure here only delays the e-mails (the outbox retries them).
        report = deliver_outbox(sessions, transport_from_settings(settings), SYSTEM_CLOCK)
    if json_output:
        emit_json(
            {
                "account": account.slug,
                "invited": invited,
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
    sent = _n("{n} e-mail de bienvenue envoyé", "{n} e-mails de bienvenue envoyés", report.sent)
    if report.deferred:
        sent = _n(
            "{sent}, {n} en attente d'un nouvel essai",
            "{sent}, {n} en attente d'un nouvel essai",
            report.deferred,
            sent=sent,
        )
    tell(_("{sent}.", sent=sent))


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
