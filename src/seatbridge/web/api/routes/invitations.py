"""Invitations: invite a batch (all or nothing), send new links, withdraw invitations."""

from __future__ import annotations

from fastapi import APIRouter, Request

from seatbridge import onboarding
from seatbridge.directory.service import NewUser
from seatbridge.invitations import service as invitations
from seatbridge.web.api import present
from seatbridge.web.api.auth import Writer
from seatbridge.web.api.problems import problem_responses
from seatbridge.web.api.schemas.invitations import InvitationCreate, InvitationResult, UserIds
from seatbridge.web.state import web_state

router = APIRouter(tags=["invitations"])


@router.post("/invitations", status_code=201, responses=problem_responses(404, 409, 422))
def invite_people(request: Request, body: InvitationCreate, caller: Writer) -> InvitationResult:
    """Invite people as rule 17 says, all or nothing (rule 8): each person whose e-mail is that
    of one collaborator is linked and invited (a seat, a welcome e-mail); the others wait for a
    manual verification (listed in `review_cases`), unless `ssm_only` is chosen."""
    state = web_state(request)
    with state.sessions.begin() as session:
        created = onboarding.create_users(
            session,
            account_id=caller.account_id,
            people=[
                NewUser(
                    email=person.email,
                    first_name=person.first_name,
                    last_name=person.last_name,
                    locale=person.locale,
                    home_environment_id=person.home_environment_id,
                )
                for person in body.people
            ],
            actor=caller.actor,
            clock=state.clock,
            settings=state.settings,
            source="api",
            ssm_only=onboarding.SsmOnly(body.ssm_only_reason) if body.ssm_only else None,
        )
        return InvitationResult(
            users=present.users_read(session, caller.account_id, [c.user for c in created]),
            review_cases=[present.case_read(c.case) for c in created if c.case is not None],
        )


@router.post("/invitations/resend", responses=problem_responses(404, 409, 422))
def resend_invitations(request: Request, body: UserIds, caller: Writer) -> InvitationResult:
    """Send invited users a new link; their earlier links stop working."""
    state = web_state(request)
    with state.sessions.begin() as session:
        users = invitations.resend(
            session,
            account_id=caller.account_id,
            user_ids=body.user_ids,
            actor=caller.actor,
            clock=state.clock,
            settings=state.settings,
        )
        return InvitationResult(users=present.users_read(session, caller.account_id, users))


@router.post("/invitations/revoke", responses=problem_responses(404, 409, 422))
def revoke_invitations(request: Request, body: UserIds, caller: Writer) -> InvitationResult:
    """Withdraw invitations not yet accepted: the users are disabled, their seats freed."""
    state = web_state(request)
    with state.sessions.begin() as session:
        users = invitations.revoke(
            session,
            account_id=caller.account_id,
            user_ids=body.user_ids,
            actor=caller.actor,
            clock=state.clock,
        )
        return InvitationResult(users=present.users_read(session, caller.account_id, users))
