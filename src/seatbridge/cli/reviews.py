"""`seatbridge reviews ...`: the manual verification queue."""

from __future__ import annotations

from typing import Any

import typer

from seatbridge.accounts import service as accounts
from seatbridge.audit.names import people
from seatbridge.audit.sentences import VALUES
from seatbridge.cli.common import (
    JSON_OPTION,
    deliver_mail,
    domain_errors,
    emit_json,
    fail,
    load_settings,
    say,
    store_sessions,
    tell,
)
from seatbridge.cli.errors import EXIT_BAD_INPUT, SeatbridgeGroup
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.directory import service as directory
from seatbridge.i18n import Text, _
from seatbridge.invitations import service as invitations
from seatbridge.sync import reviews
from seatbridge.sync.models import CASE_KIND_LABELS, CaseStatus

RESOLUTIONS = VALUES["resolution"]

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
        names = people(
            session,
            account_id=account.id,
            user_ids={c.user_id for c in found if c.user_id},
            environment_ids={
                candidate["environment_id"] for c in found for candidate in c.candidates
            },
        )
    if json_output:
        emit_json(rows)
        return
    if not rows:
        tell(_("Aucune vérification en attente."))
    for row in rows:
        kind = CASE_KIND_LABELS.get(row["kind"])
        person = names.user(row["user_id"])
        who = f"{person.name} <{person.secondary}>" if person else row["email"] or ""
        tell(f"n° {row['id']} — {say(Text(kind) if kind else row['kind'])} — {who}")
        for candidate in row["candidates"]:
            score = candidate.get("score")
            where = names.environments.get(candidate["environment_id"], "")
            tell(
                f"    {candidate.get('name') or ''} (n° {candidate['co_no']} · {where}) "
                f"{candidate.get('email') or ''}"
                + (f" — score {score:.2f}" if score is not None else "")
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
            _(
                "choisissez exactement une option : --link ENV_ID:CO_NO, --ssm-only, --invite, "
                "--dismiss ou --wait."
            ),
            EXIT_BAD_INPUT,
        )
    if wait:
        tell(
            _(
                "Vérification n° {case} laissée ouverte : la prochaine synchronisation la règle si "
                "Sage 100 reçoit l'adresse e-mail.",
                case=case_id,
            )
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
        resolution = RESOLUTIONS.get(str(result["resolution"] or ""))
        tell(
            _(
                "Vérification n° {case} : {resolution}.",
                case=case_id,
                resolution=Text(resolution) if resolution else result["resolution"],
            )
        )


def _parse_link(value: str) -> tuple[int, int]:
    left, _colon, right = value.partition(":")
    if not (left.isdigit() and right.isdigit()):
        fail(
            _(
                "--link attend ENV_ID:CO_NO, par exemple --link 1:12 (les candidats : "
                "`reviews list`)."
            ),
            EXIT_BAD_INPUT,
        )
    return int(left), int(right)
