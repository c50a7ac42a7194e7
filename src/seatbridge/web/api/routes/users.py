"""Users: list and filter, create (rule 17), read, change role or status, explain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from seatbridge import onboarding
from seatbridge.directory import service as directory
from seatbridge.directory.models import Role, UserStatus
from seatbridge.invitations import service as invitations
from seatbridge.sync.explain import explain_user
from seatbridge.web.api import pagination, present, queries
from seatbridge.web.api.auth import MAX_ID, ItemId, Reader, Writer
from seatbridge.web.api.problems import problem_responses
from seatbridge.web.api.schemas.common import PRINTABLE
from seatbridge.web.api.schemas.users import (
    ExplainRead,
    UserCreate,
    UserCreated,
    UserPage,
    UserRead,
    UserUpdate,
)
from seatbridge.web.state import web_state

router = APIRouter(tags=["users"])
Search = Annotated[str | None, Query(max_length=100, pattern=PRINTABLE)]
EnvironmentFilter = Annotated[int | None, Query(ge=1, le=MAX_ID)]


@router.get("/users", responses=problem_responses(422))
def list_users(
    request: Request,
    caller: Reader,
    status: UserStatus | None = None,
    role: Role | None = None,
    environment_id: EnvironmentFilter = None,
    q: Search = None,
    limit: pagination.Limit = pagination.DEFAULT_LIMIT,
    cursor: pagination.Cursor = None,
) -> UserPage:
    """Users by id; `environment_id` keeps those at home in, or linked to, that environment;
    `q` searches e-mails and names."""
    after = pagination.decode_cursor(cursor)
    with web_state(request).sessions.begin() as session:
        users = queries.users_page(
            session,
            account_id=caller.account_id,
            after=after,
            limit=limit,
            status=status.value if status else None,
            role=role.value if role else None,
            environment_id=environment_id,
            text=q,
        )
        return UserPage(
            items=present.users_read(session, caller.account_id, users[:limit]),
            limit=limit,
            next_cursor=pagination.next_cursor([user.id for user in users], limit),
        )


@router.post("/users", status_code=201, responses=problem_responses(409, 422))
def create_user(request: Request, body: UserCreate, caller: Writer) -> UserCreated:
    """Create a user as rule 17 says: linked and invited when exactly one collaborator has the
    e-mail, otherwise waiting for a manual verification (no seat, no e-mail)."""
    state = web_state(request)
    with state.sessions.begin() as session:
        (created,) = onboarding.create_users(
            session,
            account_id=caller.account_id,
            people=[
                directory.NewUser(
                    email=body.email,
                    first_name=body.first_name,
                    last_name=body.last_name,
                    locale=body.locale,
                )
            ],
            actor=caller.actor,
            clock=state.clock,
            settings=state.settings,
            source="api",
            ssm_only=onboarding.SsmOnly(body.ssm_only_reason) if body.ssm_only else None,
        )
        return UserCreated(
            user=present.user_read(session, caller.account_id, created.user),
            review_case=present.case_read(created.case) if created.case else None,
        )


@router.get("/users/{user_id}", responses=problem_responses(404, 422))
def get_user(request: Request, user_id: ItemId, caller: Reader) -> UserRead:
    with web_state(request).sessions.begin() as session:
        user = directory.get_user(session, account_id=caller.account_id, user_id=user_id)
        return present.user_read(session, caller.account_id, user)


@router.patch("/users/{user_id}", responses=problem_responses(404, 409, 422))
def update_user(request: Request, user_id: ItemId, body: UserUpdate, caller: Writer) -> UserRead:
    """Change the role (once accepted) and/or the status: `disabled` frees the seat, `active`
    takes one back (refused, changing nothing, when none is free)."""
    state = web_state(request)
    account_id = caller.account_id
    with state.sessions.begin() as session:
        user = directory.get_user(session, account_id=account_id, user_id=user_id)
        if body.role is not None:
            directory.change_role(
                session,
                account_id=account_id,
                user_id=user.id,
                role=body.role.value,
                actor=caller.actor,
                clock=state.clock,
            )
        if body.status == "disabled":
            directory.deactivate_users(
                session,
                account_id=account_id,
                user_ids=[user.id],
                actor=caller.actor,
                clock=state.clock,
            )
        elif body.status == "active" and not UserStatus(user.status).holds_seat:
            directory.reactivate_users(
                session,
                account_id=account_id,
                user_ids=[user.id],
                actor=caller.actor,
                clock=state.clock,
            )
            invitations.welcome(
                session,
                account_id=account_id,
                users=[user],
                actor=caller.actor,
                clock=state.clock,
                settings=state.settings,
            )
        user = directory.get_user(session, account_id=account_id, user_id=user.id)
        return present.user_read(session, account_id, user)


@router.get("/users/{user_id}/explain", responses=problem_responses(404, 422))
def explain_user_link(request: Request, user_id: ItemId, caller: Reader) -> ExplainRead:
    """Why the user is linked (or not), to what, since when, by which run or admin (rule 23)."""
    with web_state(request).sessions.begin() as session:
        user = directory.get_user(session, account_id=caller.account_id, user_id=user_id)
        return ExplainRead.model_validate(
            explain_user(session, account_id=caller.account_id, email=user.email)
        )
