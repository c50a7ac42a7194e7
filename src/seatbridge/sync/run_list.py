"""The sync runs list: one query for every edge (Admin, REST, CLI), newest first.

Filters (docs/api.md): `environment_id` exact (None: every environment of the account),
`status` exact (`running`, `succeeded`, `failed`, `blocked`...). Edges choose keyset or offset
paging and the presentation.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from seatbridge.sync.models import SyncRun


@dataclass(frozen=True, slots=True)
class RunQuery:
    environment_id: int | None = None
    status: str | None = None


def runs_matching(account_id: int, query: RunQuery) -> Select[SyncRun]:
    statement = select(SyncRun).where(SyncRun.account_id == account_id)
    if query.environment_id is not None:
        statement = statement.where(SyncRun.environment_id == query.environment_id)
    if query.status:
        statement = statement.where(SyncRun.status == query.status)
    return statement


def runs_before(
    session: Session, *, account_id: int, query: RunQuery, before: int | None, limit: int
) -> list[SyncRun]:
    """Keyset paging, newest first: up to `limit + 1` runs older than the run `before`."""
    statement = runs_matching(account_id, query)
    if before is not None:
        statement = statement.where(SyncRun.id < before)
    return list(session.scalars(statement.order_by(SyncRun.id.desc()).limit(limit + 1)))


def runs_page(
    session: Session, *, account_id: int, query: RunQuery, page: int, size: int
) -> tuple[list[SyncRun], int]:
    """Offset paging, newest first: one page and how many runs match in all."""
    statement = runs_matching(account_id, query)
    total = int(session.scalar(select(func.count()).select_from(statement.subquery())) or 0)
    rows = session.scalars(
        statement.order_by(SyncRun.id.desc()).limit(size).offset((max(1, page) - 1) * size)
    ).all()
    return list(rows), total


def find_run(
    session: Session, *, account_id: int, run_id: int, environment_id: int | None = None
) -> SyncRun | None:
    """One run of the account (and of `environment_id` when given), or None."""
    statement = runs_matching(account_id, RunQuery(environment_id=environment_id)).where(
        SyncRun.id == run_id
    )
    return session.scalar(statement)
