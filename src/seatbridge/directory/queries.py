"""The user list: one query, one meaning per filter, for every edge (CLI, Admin, REST).

Edges choose the paging (keyset by id for the API, offset by name for the Admin, everything for
the CLI) and the presentation; the filters mean the same everywhere (docs/api.md):

* `status`, `role`: exact values;
* `environment_id`: users at home in that environment **or** linked to one of its collaborators;
* `text`: case-insensitive substring of the e-mail, first name or last name (``%`` and ``_``
  are literal).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import Session

from seatbridge.directory.models import CollaboratorLink, User


@dataclass(frozen=True, slots=True)
class UserQuery:
    status: str | None = None
    role: str | None = None
    environment_id: int | None = None
    text: str | None = None


def users_matching(account_id: int, query: UserQuery) -> Select[User]:
    """The account's users that match `query` (no order, no paging)."""
    statement = select(User).where(User.account_id == account_id)
    if query.status:
        statement = statement.where(User.status == query.status)
    if query.role:
        statement = statement.where(User.role == query.role)
    if query.environment_id is not None:
        linked = exists().where(
            CollaboratorLink.account_id == account_id,
            CollaboratorLink.user_id == User.id,
            CollaboratorLink.environment_id == query.environment_id,
        )
        statement = statement.where(or_(User.home_environment_id == query.environment_id, linked))
    if query.text and query.text.strip():
        statement = statement.where(_contains(query.text))
    return statement


def users_after(
    session: Session, *, account_id: int, query: UserQuery, after: int | None, limit: int
) -> list[User]:
    """Keyset paging by id: up to `limit + 1` users (the extra one says a next page exists)."""
    statement = users_matching(account_id, query)
    if after is not None:
        statement = statement.where(User.id > after)
    return list(session.scalars(statement.order_by(User.id).limit(limit + 1)))


def users_by_name(
    session: Session, *, account_id: int, query: UserQuery, page: int, size: int
) -> tuple[list[User], int]:
    """Offset paging in name order: one page and how many users match in all."""
    statement = users_matching(account_id, query)
    total = int(session.scalar(select(func.count()).select_from(statement.subquery())) or 0)
    rows = session.scalars(
        statement.order_by(User.last_name, User.first_name, User.id)
        .limit(size)
        .offset((max(1, page) - 1) * size)
    ).all()
    return list(rows), total


def all_users(session: Session, *, account_id: int, query: UserQuery) -> list[User]:
    """Every matching user in name order (the CLI's list)."""
    statement = users_matching(account_id, query)
    return list(session.scalars(statement.order_by(User.last_name, User.first_name, User.id)))


def _contains(text: str) -> ColumnElement[bool]:
    wanted = text.strip().lower()
    return or_(
        *(
            func.lower(func.coalesce(column, "")).contains(wanted, autoescape=True)
            for column in (User.email_normalized, User.first_name, User.last_name)
        )
    )
