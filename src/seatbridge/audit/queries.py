"""The audit log list: one query for every edge (Admin page and CSV export, REST).

Filters (docs/api.md), one meaning each:

* `actor`: case-insensitive substring of who acted (an e-mail, `cli`, `sync:…`, a key name);
* `action`: an exact action (`user.link`), or a family without a dot (`user` = `user.*`);
* `subject_type`, `subject_id`: exact;
* `since` inclusive, `until` exclusive: instants (UTC). An edge that takes local days turns them
  into instants before asking.

Newest first; edges choose keyset or offset paging, or an oldest-first stream for exports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from seatbridge.audit.models import AuditEvent


@dataclass(frozen=True, slots=True)
class AuditQuery:
    actor: str | None = None
    action: str | None = None
    subject_type: str | None = None
    subject_id: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def events_matching(account_id: int, query: AuditQuery) -> Select[AuditEvent]:
    statement = select(AuditEvent).where(AuditEvent.account_id == account_id)
    if query.actor:
        statement = statement.where(
            func.lower(AuditEvent.actor).contains(query.actor.strip().lower(), autoescape=True)
        )
    if query.action:
        if "." in query.action:
            statement = statement.where(AuditEvent.action == query.action)
        else:
            statement = statement.where(
                or_(
                    AuditEvent.action == query.action,
                    AuditEvent.action.startswith(f"{query.action}.", autoescape=True),
                )
            )
    if query.subject_type:
        statement = statement.where(AuditEvent.subject_type == query.subject_type)
    if query.subject_id:
        statement = statement.where(AuditEvent.subject_id == query.subject_id)
    if query.since is not None:
        statement = statement.where(AuditEvent.occurred_at >= query.since)
    if query.until is not None:
        statement = statement.where(AuditEvent.occurred_at < query.until)
    return statement


def events_before(
    session: Session, *, account_id: int, query: AuditQuery, before: int | None, limit: int
) -> list[AuditEvent]:
    """Keyset paging, newest first: up to `limit + 1` events older than the event `before`."""
    statement = events_matching(account_id, query)
    if before is not None:
        statement = statement.where(AuditEvent.id < before)
    return list(session.scalars(statement.order_by(AuditEvent.id.desc()).limit(limit + 1)))


def events_page(
    session: Session, *, account_id: int, query: AuditQuery, page: int, size: int
) -> tuple[list[AuditEvent], int]:
    """Offset paging, newest first: one page and how many events match in all."""
    statement = events_matching(account_id, query)
    total = int(session.scalar(select(func.count()).select_from(statement.subquery())) or 0)
    rows = session.scalars(
        statement.order_by(AuditEvent.id.desc()).limit(size).offset((max(1, page) - 1) * size)
    ).all()
    return list(rows), total


def events_oldest_first(
    session: Session, *, account_id: int, query: AuditQuery, limit: int
) -> Iterator[AuditEvent]:
    """Every matching event, oldest first, streamed (exports)."""
    statement = events_matching(account_id, query)
    yield from session.scalars(
        statement.order_by(AuditEvent.id).limit(limit).execution_options(yield_per=1000)
    )
