"""From stored rows to response bodies (links of a page of users are loaded in one query)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from seatbridge.accounts.models import Environment
from seatbridge.directory.models import User, UserStatus
from seatbridge.i18n import render
from seatbridge.sync.models import Collaborator, ReviewCase, SyncRun
from seatbridge.web.api import queries
from seatbridge.web.api.schemas.environments import (
    CollaboratorRead,
    EnvironmentRead,
    SyncRunDetail,
    SyncRunRead,
)
from seatbridge.web.api.schemas.reviews import CandidateRead, ReviewCaseRead
from seatbridge.web.api.schemas.users import LinkRead, UserRead


def users_read(session: Session, account_id: int, users: Sequence[User]) -> list[UserRead]:
    links = queries.links_of(session, account_id=account_id, user_ids=[u.id for u in users])
    return [
        UserRead(
            id=user.id,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            display_name=user.display_name,
            function=user.function,
            phone=user.phone,
            mobile=user.mobile,
            role=user.role,
            status=user.status,
            holds_seat=UserStatus(user.status).holds_seat,
            home_environment_id=user.home_environment_id,
            locale=user.locale,
            source=user.source,
            created_at=user.created_at,
            updated_at=user.updated_at,
            activated_at=user.activated_at,
            disabled_at=user.disabled_at,
            links=[LinkRead.model_validate(link) for link in links.get(user.id, [])],
        )
        for user in users
    ]


def user_read(session: Session, account_id: int, user: User) -> UserRead:
    (read,) = users_read(session, account_id, [user])
    return read


def case_read(case: ReviewCase) -> ReviewCaseRead:
    return ReviewCaseRead(
        id=case.id,
        kind=case.kind,
        status=case.status,
        user_id=case.user_id,
        environment_id=case.environment_id,
        email=case.email_normalized,
        candidates=[
            CandidateRead.model_validate(candidate)
            for candidate in case.candidates or []
            if "environment_id" in candidate and "co_no" in candidate
        ],
        detail=case.detail or {},
        opened_at=case.opened_at,
        opened_by=case.opened_by,
        resolved_at=case.resolved_at,
        resolved_by=case.resolved_by,
        resolution=case.resolution,
    )


def environment_read(environment: Environment) -> EnvironmentRead:
    return EnvironmentRead.model_validate(environment)


def run_read(run: SyncRun, locale: str) -> SyncRunRead:
    read = SyncRunRead.model_validate(run)
    read.error = render(read.error, locale)
    return read


def run_detail(run: SyncRun, locale: str) -> SyncRunDetail:
    """The run with its actions' reasons in the caller's language."""
    detail = SyncRunDetail.model_validate(run)
    detail.error = render(detail.error, locale)
    detail.actions = [
        {**action, "reason": render(action.get("reason"), locale)} for action in detail.actions
    ]
    return detail


def collaborator_read(row: Collaborator, user_id: int | None) -> CollaboratorRead:
    return CollaboratorRead(
        co_no=row.co_no,
        first_name=row.first_name,
        last_name=row.last_name,
        function=row.function,
        email=row.email,
        is_salesperson=row.is_salesperson,
        dormant=row.dormant,
        deleted=row.deleted_at is not None,
        invitable=row.not_invitable is None,
        not_invitable=row.not_invitable,
        user_id=user_id,
    )
