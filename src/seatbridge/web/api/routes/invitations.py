"""Invitations: invite a batch (all or nothing), send new links, withdraw invitations."""

from __future__ import annotations

from fastapi import APIRouter, Request

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
    """Invite people: each gets a seat and a welcome e-mail, or nobody does (rule 8)."""
    state = web_state(request)
    with state.sessions.begin() as session:
        users = invitations.invite(
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
        )
        return InvitationResult(users=present.users_read(session, caller.account_id, users))


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
