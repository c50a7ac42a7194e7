"""The review queue: manual verifications with their ranked candidates, settled in one click
(link to a collaborator, confirm as SSM-only, invite now that a seat is free, dismiss)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from seatbridge.accounts import service as accounts
from seatbridge.accounts.seats import seat_usage
from seatbridge.auth.sessions import SignedIn
from seatbridge.directory.models import User, UserStatus
from seatbridge.errors import SeatbridgeError
from seatbridge.invitations import service as invitations
from seatbridge.sync import reviews
from seatbridge.sync.matching import evidence
from seatbridge.sync.models import CaseKind, CaseStatus, Collaborator, ReviewCase
from seatbridge.web.admin.access import Area, PageRoute, admin_area, current_admin, or_404
from seatbridge.web.admin.ui import done, page
from seatbridge.web.pages import error_message
from seatbridge.web.security import verify_csrf
from seatbridge.web.state import web_state

router = APIRouter(route_class=PageRoute, dependencies=[Depends(verify_csrf)])
Admin = Annotated[SignedIn, Depends(current_admin)]
AdminArea = Annotated[Area, Depends(admin_area)]
RESOLVED_SHOWN = 20
LINKABLE = {CaseKind.NO_MATCH.value, CaseKind.SEVERAL_MATCHES.value, CaseKind.SHARED_EMAIL.value}


def _cards(session: Session, account_id: int, cases: list[ReviewCase]) -> list[dict[str, Any]]:
    """Each case with its user and candidates, named from the collaborator mirror."""
    environments = {
        e.id: e.name for e in accounts.list_environments(session, account_id=account_id)
    }
    user_ids = {case.user_id for case in cases if case.user_id is not None}
    users = {
        user.id: user
        for user in session.scalars(
            select(User).where(User.account_id == account_id, User.id.in_(user_ids))
        )
    }
    keys = {(c["environment_id"], c["co_no"]) for case in cases for c in case.candidates}
    mirror = {
        (row.environment_id, row.co_no): row
        for row in session.scalars(
            select(Collaborator).where(
                Collaborator.account_id == account_id,
                Collaborator.environment_id.in_({key[0] for key in keys}),
                Collaborator.co_no.in_({key[1] for key in keys}),
            )
        )
    }
    cards = []
    for case in cases:
        user = users.get(case.user_id) if case.user_id is not None else None
        candidates = []
        for found in case.candidates:
            row = mirror.get((found["environment_id"], found["co_no"]))
            name = found.get("name") or (
                " ".join(p for p in (row.first_name, row.last_name) if p) if row else ""
            )
            why = (
                evidence(
                    row,
                    first_name=user.first_name if user else None,
                    last_name=user.last_name if user else None,
                    email=user.email if user else case.email_normalized,
                )
                if row is not None
                else None
            )
            score = found.get("score")
            candidates.append(
                {
                    "environment_id": found["environment_id"],
                    "environment": environments.get(found["environment_id"], ""),
                    "co_no": found["co_no"],
                    "name": name or str(found["co_no"]),
                    "email": found.get("email") or (row.email if row else None),
                    "function": found.get("function") or (row.function if row else None),
                    "score": score if score is not None else (why.score if why else None),
                    "why": why,
                    "salesperson": bool(row and row.is_salesperson),
                    "dormant": bool(row and row.dormant),
                    "modified_at": row.modified_at if row else None,
                }
            )
        candidates.sort(key=lambda c: -(c["score"] or 0))
        cards.append(
            {
                "case": case,
                "user": user,
                "environment": environments.get(case.environment_id or 0, ""),
                "candidates": candidates,
                "linkable": case.kind in LINKABLE
                and (case.user_id is not None or case.kind == CaseKind.SHARED_EMAIL.value),
                "waiting_since": _moment(case.detail.get("waiting_since")),
            }
        )
    return cards


def _moment(text: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def reviews_page(
    request: Request, me: SignedIn, area: Area, *, error: SeatbridgeError | None = None
) -> Response:
    state = web_state(request)
    account_id = me.account.id
    with state.sessions() as session:
        open_cases = reviews.list_cases(session, account_id=account_id)
        resolved = reviews.list_cases(session, account_id=account_id, status=CaseStatus.RESOLVED)
        context = {
            "area": area,
            "cards": _cards(session, account_id, open_cases),
            "resolved": _cards(session, account_id, resolved[-RESOLVED_SHOWN:][::-1]),
            "usage": seat_usage(session, account_id=account_id, today=state.clock.today()),
            "error": error_message(request, error) if error else None,
        }
    return page(request, "admin/reviews.html", context, status_code=400 if error else 200)


@router.get("/reviews")
def queue(request: Request, me: Admin, area: AdminArea) -> Response:
    return reviews_page(request, me, area)


def _settle(
    request: Request,
    me: SignedIn,
    area: Area,
    case_id: int,
    resolve: Callable[[Session, Any], ReviewCase],
) -> Response:
    """Apply one resolution; a user it takes out of review gets their welcome e-mail."""
    state = web_state(request)
    try:
        with state.sessions.begin() as session, or_404():
            case = reviews.get_case(session, account_id=me.account.id, case_id=case_id)
            user = session.get(User, case.user_id) if case.user_id is not None else None
            waiting = user is None or user.status == UserStatus.PENDING_REVIEW.value
            resolve(session, state)
            if user is None and case.user_id is not None:
                user = session.get(User, case.user_id)  # a shared address's owner, just invited
            if user is not None and waiting:
                session.refresh(user)
                invitations.welcome(
                    session,
                    account_id=me.account.id,
                    users=[user],
                    actor=me.user.email,
                    clock=state.clock,
                    settings=state.settings,
                )
    except SeatbridgeError as refused:
        return reviews_page(request, me, area, error=refused)
    return done(area.prefix + "/reviews", "resolved")


@router.post("/reviews/{case_id}/link")
def link(
    request: Request,
    me: Admin,
    area: AdminArea,
    case_id: int,
    environment_id: Annotated[int, Form()],
    co_no: Annotated[int, Form()],
) -> Response:
    return _settle(
        request,
        me,
        area,
        case_id,
        lambda session, state: reviews.resolve_link(
            session,
            account_id=me.account.id,
            case_id=case_id,
            environment_id=environment_id,
            co_no=co_no,
            actor=me.user.email,
            clock=state.clock,
        ),
    )


@router.post("/reviews/{case_id}/ssm-only")
def ssm_only(request: Request, me: Admin, area: AdminArea, case_id: int) -> Response:
    return _settle(
        request,
        me,
        area,
        case_id,
        lambda session, state: reviews.resolve_ssm_only(
            session,
            account_id=me.account.id,
            case_id=case_id,
            actor=me.user.email,
            clock=state.clock,
        ),
    )


@router.post("/reviews/{case_id}/invite")
def invite_now(request: Request, me: Admin, area: AdminArea, case_id: int) -> Response:
    return _settle(
        request,
        me,
        area,
        case_id,
        lambda session, state: reviews.resolve_invite(
            session,
            account_id=me.account.id,
            case_id=case_id,
            actor=me.user.email,
            clock=state.clock,
        ),
    )


@router.post("/reviews/{case_id}/wait")
def wait(request: Request, me: Admin, area: AdminArea, case_id: int) -> Response:
    """ "Attendre": the case stays open until Sage 100 is corrected (the next sync settles it)."""
    state = web_state(request)
    try:
        with state.sessions.begin() as session, or_404():
            reviews.wait(
                session,
                account_id=me.account.id,
                case_id=case_id,
                actor=me.user.email,
                clock=state.clock,
            )
    except SeatbridgeError as refused:
        return reviews_page(request, me, area, error=refused)
    return done(area.prefix + "/reviews", "waiting")


@router.post("/reviews/{case_id}/dismiss")
def dismiss(request: Request, me: Admin, area: AdminArea, case_id: int) -> Response:
    return _settle(
        request,
        me,
        area,
        case_id,
        lambda session, state: reviews.dismiss(
            session,
            account_id=me.account.id,
            case_id=case_id,
            actor=me.user.email,
            clock=state.clock,
        ),
    )
