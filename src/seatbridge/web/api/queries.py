"""The REST API's list queries: filtered, keyset-paginated, and scoped to one account each.

Plain SQLAlchemy (no FastAPI): each returns up to `limit + 1` rows, the extra one telling the edge
that another page exists.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from seatbridge.audit.models import AuditEvent
from seatbridge.audit.queries import AuditQuery, events_before
from seatbridge.directory.models import CollaboratorLink, User
from seatbridge.directory.queries import UserQuery, users_after
from seatbridge.sync.models import Collaborator, ReviewCase, SyncRun
from seatbridge.sync.run_list import RunQuery, find_run, runs_before
from seatbridge.web.api.errors import RunNotFound


def users_page(
    session: Session,
    *,
    account_id: int,
    after: int | None,
    limit: int,
    status: str | None = None,
    role: str | None = None,
    environment_id: int | None = None,
    text: str | None = None,
) -> list[User]:
    """`directory.queries`, keyset by id."""
    query = UserQuery(status=status, role=role, environment_id=environment_id, text=text)
    return users_after(session, account_id=account_id, query=query, after=after, limit=limit)


def links_of(
    session: Session, *, account_id: int, user_ids: Iterable[int]
) -> dict[int, list[CollaboratorLink]]:
    found: dict[int, list[CollaboratorLink]] = defaultdict(list)
    for link in session.scalars(
        select(CollaboratorLink)
        .where(
            CollaboratorLink.account_id == account_id,
            CollaboratorLink.user_id.in_(list(user_ids)),
        )
        .order_by(CollaboratorLink.environment_id, CollaboratorLink.co_no)
    ):
        found[link.user_id].append(link)
    return found


def collaborators_page(
    session: Session,
    *,
    account_id: int,
    environment_id: int,
    after: int | None,
    limit: int,
    invitable: bool | None = None,
    salesperson: bool | None = None,
    text: str | None = None,
) -> list[tuple[Collaborator, int | None]]:
    """Mirror rows of one environment, with the user each is linked to (if any), by CO_No."""
    query = (
        select(Collaborator, CollaboratorLink.user_id)
        .outerjoin(
            CollaboratorLink,
            (CollaboratorLink.environment_id == Collaborator.environment_id)
            & (CollaboratorLink.co_no == Collaborator.co_no),
        )
        .where(Collaborator.account_id == account_id, Collaborator.environment_id == environment_id)
    )
    if invitable is not None:
        query = query.where(
            Collaborator.not_invitable.is_(None)
            if invitable
            else Collaborator.not_invitable.is_not(None)
        )
    if salesperson is not None:
        query = query.where(Collaborator.is_salesperson.is_(salesperson))
    if text:
        query = query.where(
            _contains(
                text, Collaborator.email_normalized, Collaborator.first_name, Collaborator.last_name
            )
        )
    if after is not None:
        query = query.where(Collaborator.co_no > after)
    rows = session.execute(query.order_by(Collaborator.co_no).limit(limit + 1)).all()
    return [(row[0], row[1]) for row in rows]


def runs_page(
    session: Session, *, account_id: int, environment_id: int, after: int | None, limit: int
) -> list[SyncRun]:
    """`sync.run_list`, newest first, keyset by id."""
    query = RunQuery(environment_id=environment_id)
    return runs_before(session, account_id=account_id, query=query, before=after, limit=limit)


def get_run(session: Session, *, account_id: int, environment_id: int, run_id: int) -> SyncRun:
    run = find_run(session, account_id=account_id, run_id=run_id, environment_id=environment_id)
    if run is None:
        raise RunNotFound(run=run_id)
    return run


def cases_page(
    session: Session,
    *,
    account_id: int,
    after: int | None,
    limit: int,
    status: str | None = None,
    kind: str | None = None,
) -> list[ReviewCase]:
    """Oldest first: the queue is worked from its head."""
    query = select(ReviewCase).where(ReviewCase.account_id == account_id)
    if status is not None:
        query = query.where(ReviewCase.status == status)
    if kind is not None:
        query = query.where(ReviewCase.kind == kind)
    if after is not None:
        query = query.where(ReviewCase.id > after)
    return list(session.scalars(query.order_by(ReviewCase.id).limit(limit + 1)))


def audit_page(
    session: Session,
    *,
    account_id: int,
    after: int | None,
    limit: int,
    action: str | None = None,
    actor: str | None = None,
    subject_type: str | None = None,
    subject_id: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[AuditEvent]:
    """`audit.queries`, newest first, keyset by id; `since` inclusive, `until` exclusive."""
    query = AuditQuery(
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        since=since,
        until=until,
    )
    return events_before(session, account_id=account_id, query=query, before=after, limit=limit)


def _contains(text: str, *columns: QueryableAttribute[Any]) -> ColumnElement[bool]:
    wanted = text.strip().lower()
    return or_(*(func.lower(column).contains(wanted, autoescape=True) for column in columns))
