"""`seatbridge reviews ...`: the manual verification queue."""

from __future__ import annotations

from typing import Any

import typer

from seatbridge.accounts import service as accounts
from seatbridge.cli.common import (
    JSON_OPTION,
    deliver_mail,
    domain_errors,
    emit_json,
    fail,
    load_settings,
    stdout,
    store_sessions,
)
from seatbridge.cli.errors import EXIT_BAD_INPUT, SeatbridgeGroup
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.directory import service as directory
from seatbridge.invitations import service as invitations
from seatbridge.sync import reviews
from seatbridge.sync.models import CaseStatus

app = typer.Typer(
    cls=SeatbridgeGroup, help="Manual verifications (review cases).", no_args_is_help=True
)


@app.command("list")
def list_(
    account_ref: str = typer.Argument(..., metavar="ACCOUNT"),
    all_cases: bool = typer.Option(False, "--all", help="Include resolved cases."),
    json_output: bool = JSON_OPTION,
) -> None:
    """List the open review cases with their ranked candidates."""
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors(), sessions() as session:
        account = accounts.get_account(session, account_ref)
        found = reviews.list_cases(
            session, account_id=account.id, status=None if all_cases else CaseStatus.OPEN
        )
        rows: list[dict[str, Any]] = [
            {
                "id": c.id,
                "kind": c.kind,
                "status": c.status,
                "user_id": c.user_id,
                "environment_id": c.environment_id,
                "email": c.email_normalized,
                "candidates": c.candidates,
                "detail": c.detail,
                "opened_at": c.opened_at,
                "resolution": c.resolution,
            }
            for c in found
        ]
    if json_output:
        emit_json(rows)
        return
    if not rows:
        stdout.print("Aucune vérification en attente.")
    for row in rows:
        stdout.print(
            f"[bold]#{row['id']}[/] {row['kind']} — {row['email'] or ''} (user {row['user_id']})",
            highlight=False,
        )
        for candidate in row["candidates"]:
            score = candidate.get("score")
            stdout.print(
                f"    env {candidate['environment_id']} n° {candidate['co_no']} "
                f"{candidate.get('name') or ''} {candidate.get('email') or ''}"
                + (f" — score {score:.2f}" if score is not None else ""),
                highlight=False,
            )


@app.command("resolve")
def resolve(
    account_ref: str = typer.Argument(..., metavar="ACCOUNT"),
    case_id: int = typer.Argument(..., metavar="CASE"),
    link: str = typer.Option(None, "--link", help="ENV_ID:CO_NO of the collaborator to link."),
    ssm_only: bool = typer.Option(False, "--ssm-only", help="Confirm as an SSM-only user."),
    invite: bool = typer.Option(False, "--invite", help="Invite a user who waited for a seat."),
    dismiss: bool = typer.Option(False, "--dismiss", help="Close without linking."),
    wait: bool = typer.Option(False, "--wait", help="Leave the case open."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Settle a review case: link to a candidate, SSM-only, invite, dismiss, or wait."""
    chosen = [bool(link), ssm_only, invite, dismiss, wait]
    if sum(chosen) != 1:
        fail(
            "choose exactly one of --link ENV_ID:CO_NO, --ssm-only, --invite, --dismiss, --wait.",
            EXIT_BAD_INPUT,
        )
    if wait:
        stdout.print(
            f"Case {case_id} left open: the next sync links it if Sage 100 gets the e-mail."
        )
        return
    settings = load_settings()
    with store_sessions(settings) as sessions, domain_errors(), sessions.begin() as session:
        account = accounts.get_account(session, account_ref)
        if link:
            environment_id, co_no = _parse_link(link)
            case = reviews.resolve_link(
                session,
                account_id=account.id,
                case_id=case_id,
                environment_id=environment_id,
                co_no=co_no,
                actor="cli",
                clock=SYSTEM_CLOCK,
            )
        else:
            settle = (
                reviews.resolve_ssm_only
                if ssm_only
                else reviews.resolve_invite
                if invite
                else reviews.dismiss
            )
            case = settle(
                session, account_id=account.id, case_id=case_id, actor="cli", clock=SYSTEM_CLOCK
            )
        if case.user_id is not None:
            user = directory.get_user(session, account_id=account.id, user_id=case.user_id)
            invitations.welcome(
                session,
                account_id=account.id,
                users=[user],
                actor="cli",
                clock=SYSTEM_CLOCK,
                settings=settings,
            )
        result = {"id": case.id, "status": case.status, "resolution": case.resolution}
    with store_sessions(settings) as sessions:
        deliver_mail(sessions, settings)
    if json_output:
        emit_json(result)
    else:
        stdout.print(f"Case {case_id}: {result['resolution']}.")


def _parse_link(value: str) -> tuple[int, int]:
    left, _, right = value.partition(":")
    if not (left.isdigit() and right.isdigit()):
        fail(
            "--link takes ENV_ID:CO_NO, e.g. --link 1:12 (see `reviews list` for candidates).",
            EXIT_BAD_INPUT,
        )
    return int(left), int(right)
