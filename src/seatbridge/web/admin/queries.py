"""Read models of the admin pages: account-scoped, read-only queries shaped for display.

Writes never happen here: every change goes through the domain services.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from seatbridge.accounts.models import Environment
from seatbridge.audit.models import AuditEvent
from seatbridge.audit.queries import AuditQuery, events_oldest_first, events_page
from seatbridge.commerce.models import CommerceCustomer, CommerceDocument
from seatbridge.directory.models import CollaboratorLink, User
from seatbridge.directory.queries import UserQuery, users_by_name
from seatbridge.sync.models import CaseStatus, Collaborator, ReviewCase, SyncRun, SyncWatermark
from seatbridge.sync.run_list import RunQuery, find_run, runs_page
from seatbridge.sync.runner import ENTITY


def latest_runs(session: Session, *, account_id: int) -> dict[int, SyncRun]:
    """Each environment's most recent sync run; a preview (dry run) changed nothing, so it is
    never an environment's "dernière synchronisation"."""
    newest = (
        select(SyncRun.environment_id, func.max(SyncRun.id).label("run_id"))
        .where(SyncRun.account_id == account_id, SyncRun.dry_run.is_(False))
        .group_by(SyncRun.environment_id)
        .subquery()
    )
    runs = session.scalars(
        select(SyncRun)
        .join(newest, newest.c.run_id == SyncRun.id)
        .where(SyncRun.account_id == account_id)
    )
    return {run.environment_id: run for run in runs}


@dataclass(frozen=True)
class CopiedFigures:
    """What the store holds of one environment after its syncs."""

    collaborators: int
    salespeople: int
    invitable: int
    customers: int
    documents: int


def copied_figures(session: Session, *, account_id: int) -> dict[int, CopiedFigures]:
    """Per environment: collaborators (live), salespeople, invitable ones, customers, documents."""
    live = (Collaborator.account_id == account_id, Collaborator.deleted_at.is_(None))
    people = {
        env: (total, sales or 0, free or 0)
        for env, total, sales, free in session.execute(
            select(
                Collaborator.environment_id,
                func.count(),
                func.sum(case((Collaborator.is_salesperson.is_(True), 1), else_=0)),
                func.sum(case((Collaborator.not_invitable.is_(None), 1), else_=0)),
            )
            .where(*live)
            .group_by(Collaborator.environment_id)
        )
    }
    customers: dict[int, int] = {
        env: count
        for env, count in session.execute(
            select(CommerceCustomer.environment_id, func.count())
            .where(CommerceCustomer.account_id == account_id)
            .group_by(CommerceCustomer.environment_id)
        )
    }
    documents: dict[int, int] = {
        env: count
        for env, count in session.execute(
            select(CommerceDocument.environment_id, func.count())
            .where(CommerceDocument.account_id == account_id)
            .group_by(CommerceDocument.environment_id)
        )
    }
    return {
        env: CopiedFigures(
            *people.get(env, (0, 0, 0)), customers.get(env, 0), documents.get(env, 0)
        )
        for env in set(people) | set(customers) | set(documents)
    }


def last_full_syncs(session: Session, *, account_id: int) -> dict[int, SyncWatermark]:
    marks = session.scalars(
        select(SyncWatermark).where(
            SyncWatermark.account_id == account_id, SyncWatermark.entity == ENTITY
        )
    )
    return {mark.environment_id: mark for mark in marks}


def open_case_count(session: Session, *, account_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(ReviewCase)
            .where(ReviewCase.account_id == account_id, ReviewCase.status == CaseStatus.OPEN.value)
        )
        or 0
    )


@dataclass(frozen=True, slots=True)
class SageLink:
    environment: str
    co_no: int
    state: str  # present, dormant, deleted


def sage_links(session: Session, *, account_id: int) -> dict[int, list[SageLink]]:
    """Each linked user's collaborators, with their state in Sage 100 (rule 19's flags)."""
    rows = session.execute(
        select(CollaboratorLink.user_id, Environment.name, CollaboratorLink.co_no, Collaborator)
        .join(
            Environment,
            (Environment.id == CollaboratorLink.environment_id)
            & (Environment.account_id == account_id),
        )
        .outerjoin(
            Collaborator,
            (Collaborator.environment_id == CollaboratorLink.environment_id)
            & (Collaborator.co_no == CollaboratorLink.co_no),
        )
        .where(CollaboratorLink.account_id == account_id)
        .order_by(CollaboratorLink.user_id, Environment.id)
    ).all()
    found: dict[int, list[SageLink]] = defaultdict(list)
    for user_id, environment, co_no, row in rows:
        state = "present"
        if row is None or row.deleted_at is not None:
            state = "deleted"
        elif row.dormant:
            state = "dormant"
        found[user_id].append(SageLink(environment=environment, co_no=co_no, state=state))
    return dict(found)


USERS_PAGE_SIZE = 50


@dataclass(frozen=True)
class UserFilters:
    status: str = ""
    role: str = ""
    environment_id: int | None = None
    text: str = ""
    page: int = 1

    def query(self) -> dict[str, str]:
        """The filters as query parameters (for links that keep them)."""
        values = {
            "status": self.status,
            "role": self.role,
            "environment": str(self.environment_id or ""),
            "q": self.text,
        }
        return {key: value for key, value in values.items() if value}


def find_users(
    session: Session, *, account_id: int, filters: UserFilters
) -> tuple[list[User], int]:
    """One page of the account's users matching the filters (`directory.queries`), and how many
    match in all."""
    query = UserQuery(
        status=filters.status or None,
        role=filters.role or None,
        environment_id=filters.environment_id,
        text=filters.text or None,
    )
    return users_by_name(
        session, account_id=account_id, query=query, page=filters.page, size=USERS_PAGE_SIZE
    )


RUNS_PAGE_SIZE = 50


def find_runs(
    session: Session, *, account_id: int, environment_id: int | None, status: str, page: int
) -> tuple[list[SyncRun], int]:
    query = RunQuery(environment_id=environment_id, status=status or None)
    return runs_page(session, account_id=account_id, query=query, page=page, size=RUNS_PAGE_SIZE)


def get_run(session: Session, *, account_id: int, run_id: int) -> SyncRun | None:
    return find_run(session, account_id=account_id, run_id=run_id)


AUDIT_PAGE_SIZE = 100
AUDIT_EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    subject: str = ""  # subject type (user, environment, review_case, account...)
    since: dt.date | None = None
    until: dt.date | None = None
    page: int = 1

    def query(self) -> dict[str, str]:
        values = {
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {key: value for key, value in values.items() if value}


def _audit_query(filters: AuditFilters, zone: ZoneInfo) -> AuditQuery:
    """The page's filters (local days) as the audit log's query (instants)."""
    return AuditQuery(
        actor=filters.actor or None,
        action=filters.action or None,
        subject_type=filters.subject or None,
        since=_utc_start(filters.since, zone) if filters.since else None,
        until=_utc_start(filters.until + dt.timedelta(days=1), zone) if filters.until else None,
    )


def _utc_start(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """Midnight of a local day, as the aware UTC instant the store's UTC columns take."""
    local = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    return local.astimezone(dt.UTC)


def find_audit_events(
    session: Session, *, account_id: int, filters: AuditFilters, zone: ZoneInfo
) -> tuple[list[AuditEvent], int]:
    return events_page(
        session,
        account_id=account_id,
        query=_audit_query(filters, zone),
        page=filters.page,
        size=AUDIT_PAGE_SIZE,
    )


def export_audit_events(
    session: Session, *, account_id: int, filters: AuditFilters, zone: ZoneInfo
) -> Iterator[AuditEvent]:
    """Every matching event, oldest first, streamed (for the CSV export)."""
    yield from events_oldest_first(
        session, account_id=account_id, query=_audit_query(filters, zone), limit=AUDIT_EXPORT_LIMIT
    )


def audit_choices(session: Session, *, account_id: int) -> tuple[list[str], list[str]]:
    """The actions and subject types this account's log holds (for the filters' lists)."""
    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.account_id == account_id)
        .distinct()
        .order_by(AuditEvent.action)
    ).all()
    subjects = session.scalars(
        select(AuditEvent.subject_type)
        .where(AuditEvent.account_id == account_id)
        .distinct()
        .order_by(AuditEvent.subject_type)
    ).all()
    return list(actions), list(subjects)
