"""The review queue: list, read, resolve (link, SSM-only, invite, dismiss)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request

from seatbridge.directory import service as directory
from seatbridge.invitations import service as invitations
from seatbridge.sync import reviews
from seatbridge.sync.models import CaseKind
from seatbridge.web.api import pagination, present, queries
from seatbridge.web.api.auth import ItemId, Reader, Writer
from seatbridge.web.api.problems import problem_responses
from seatbridge.web.api.schemas.reviews import ReviewCasePage, ReviewCaseRead, ReviewResolution
from seatbridge.web.state import web_state

router = APIRouter(tags=["review cases"])


@router.get("/reviews", responses=problem_responses(422))
def list_cases(
    request: Request,
    caller: Reader,
    status: Literal["open", "resolved", "all"] = "open",
    kind: CaseKind | None = None,
    limit: pagination.Limit = pagination.DEFAULT_LIMIT,
    cursor: pagination.Cursor = None,
) -> ReviewCasePage:
    """Manual verifications, oldest first (open ones by default), with ranked candidates."""
    after = pagination.decode_cursor(cursor)
    with web_state(request).sessions.begin() as session:
        found = queries.cases_page(
            session,
            account_id=caller.account_id,
            after=after,
            limit=limit,
            status=None if status == "all" else status,
            kind=kind.value if kind else None,
        )
        return ReviewCasePage(
            items=[present.case_read(case) for case in found[:limit]],
            limit=limit,
            next_cursor=pagination.next_cursor([case.id for case in found], limit),
        )


@router.get("/reviews/{case_id}", responses=problem_responses(404, 422))
def get_case(request: Request, case_id: ItemId, caller: Reader) -> ReviewCaseRead:
    with web_state(request).sessions.begin() as session:
        return present.case_read(
            reviews.get_case(session, account_id=caller.account_id, case_id=case_id)
        )


@router.post("/reviews/{case_id}/resolution", responses=problem_responses(404, 409, 422))
def resolve_case(
    request: Request, case_id: ItemId, body: ReviewResolution, caller: Writer
) -> ReviewCaseRead:
    """Settle a case; a user it lets in is invited (seat, welcome e-mail)."""
    state = web_state(request)
    account_id = caller.account_id
    with state.sessions.begin() as session:
        if body.action == "link" and body.environment_id and body.co_no:
            case = reviews.resolve_link(
                session,
                account_id=account_id,
                case_id=case_id,
                environment_id=body.environment_id,
                co_no=body.co_no,
                actor=caller.actor,
                clock=state.clock,
            )
        else:
            settle = {
                "ssm_only": reviews.resolve_ssm_only,
                "invite": reviews.resolve_invite,
                "dismiss": reviews.dismiss,
            }[body.action]
            case = settle(
                session,
                account_id=account_id,
                case_id=case_id,
                actor=caller.actor,
                clock=state.clock,
            )
        if case.user_id is not None:
            user = directory.get_user(session, account_id=account_id, user_id=case.user_id)
            invitations.welcome(
                session,
                account_id=account_id,
                users=[user],
                actor=caller.actor,
                clock=state.clock,
                settings=state.settings,
            )
        return present.case_read(case)
