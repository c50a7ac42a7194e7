"""Links and review cases: the writes that both syncs and admins make."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from seatbridge import audit
from seatbridge.accounts.errors import AccountError
from seatbridge.accounts.models import Environment
from seatbridge.clock import Clock
from seatbridge.db.base import table_of
from seatbridge.directory import service as directory
from seatbridge.directory.models import CollaboratorLink, User
from seatbridge.i18n import Text, dumps
from seatbridge.sync import errors
from seatbridge.sync.models import CaseKind, CaseStatus, Collaborator, ReviewCase

CHUNK = 500  # IN lists stay far below SQL Server's 2,100 parameters


def link_collaborator(
    session: Session,
    *,
    environment: Environment,
    co_no: int,
    user_id: int,
    actor: str,
    reason: Text,
    clock: Clock,
) -> CollaboratorLink:
    """Link (environment, CO_No) -> user; a user without a home environment gets this one."""
    (link,) = link_collaborators(
        session,
        links=[(environment, co_no, user_id)],
        actor=actor,
        reason=reason,
        clock=clock,
    )
    user = session.get(User, user_id)
    if user is not None and user.home_environment_id is None:
        try:
            with session.begin_nested():
                directory.set_home_environment(
                    session,
                    account_id=environment.account_id,
                    user_id=user_id,
                    environment_id=environment.id,
                    actor=actor,
                    clock=clock,
                )
        except AccountError:
            pass  # the environment's seat cap is full: the user keeps no home environment
    return link


def link_collaborators(
    session: Session,
    *,
    links: Sequence[tuple[Environment, int, int]],
    actor: str,
    reason: Text,
    clock: Clock,
) -> list[CollaboratorLink]:
    """Link many (environment, CO_No, user id) at once: a constant number of statements per
    500 links, each audited; refused whole if one collaborator or user is linked there already.
    Home environments are the caller's business (see `link_collaborator`)."""
    by_environment: dict[int, list[tuple[int, int]]] = {}
    environments: dict[int, Environment] = {}
    for environment, co_no, user_id in links:
        environments[environment.id] = environment
        by_environment.setdefault(environment.id, []).append((co_no, user_id))
    collaborator_emails: dict[tuple[int, int], str | None] = {}
    for environment_id, pairs in sorted(by_environment.items()):
        name = environments[environment_id].name
        co_nos = [co for co, _user in pairs]
        if len(set(co_nos)) < len(co_nos) or len({u for _co, u in pairs}) < len(pairs):
            raise errors.AlreadyLinked(co_no=_first_repeat(co_nos) or pairs[0][0], environment=name)
        for start in range(0, len(pairs), CHUNK):
            chunk = pairs[start : start + CHUNK]
            taken = session.scalar(
                select(CollaboratorLink.co_no).where(
                    CollaboratorLink.environment_id == environment_id,
                    CollaboratorLink.co_no.in_([co for co, _user in chunk])
                    | CollaboratorLink.user_id.in_([u for _co, u in chunk]),
                )
            )
            if taken is not None:
                raise errors.AlreadyLinked(co_no=taken, environment=name)
            rows = session.execute(
                select(Collaborator.co_no, Collaborator.email_normalized).where(
                    Collaborator.environment_id == environment_id,
                    Collaborator.co_no.in_([co for co, _user in chunk]),
                )
            )
            collaborator_emails |= {(environment_id, co): email for co, email in rows}
    user_ids = sorted({user_id for _env, _co, user_id in links})
    user_emails: dict[int, str] = {}
    for start in range(0, len(user_ids), CHUNK):
        found = session.execute(
            select(User.id, User.email_normalized).where(
                User.id.in_(user_ids[start : start + CHUNK])
            )
        )
        user_emails |= {user_id: email for user_id, email in found}
    now = clock.now()
    stored_reason = dumps(reason)
    session.flush()
    session.execute(
        insert(table_of(CollaboratorLink)),
        [
            {
                "account_id": environment.account_id,
                "environment_id": environment.id,
                "co_no": co_no,
                "user_id": user_id,
                "linked_at": now,
                "linked_by": actor,
                "reason": stored_reason,
            }
            for environment, co_no, user_id in links
        ],
    )
    audit.record_many(
        session,
        [
            {
                "account_id": environment.account_id,
                "actor": actor,
                "action": "user.link",
                "subject_type": "user",
                "subject_id": user_id,
                "after": {
                    "environment_id": environment.id,
                    "environment": environment.name,
                    "co_no": co_no,
                    "reason": reason.to_json(),
                    "collaborator_email": collaborator_emails.get((environment.id, co_no)),
                    "user_email": user_emails.get(user_id),
                },
            }
            for environment, co_no, user_id in links
        ],
    )
    created: dict[tuple[int, int], CollaboratorLink] = {}
    for environment_id, pairs in by_environment.items():
        for start in range(0, len(pairs), CHUNK):
            created |= {
                (link.environment_id, link.co_no): link
                for link in session.scalars(
                    select(CollaboratorLink).where(
                        CollaboratorLink.environment_id == environment_id,
                        CollaboratorLink.co_no.in_(
                            [co for co, _user in pairs[start : start + CHUNK]]
                        ),
                    )
                )
            }
    return [created[(environment.id, co_no)] for environment, co_no, _user in links]


def open_case(
    session: Session,
    *,
    account_id: int,
    kind: CaseKind,
    user_id: int | None,
    environment_id: int | None,
    actor: str,
    clock: Clock,
    email: str | None = None,
    candidates: list[dict[str, Any]] | None = None,
    detail: dict[str, Any] | None = None,
) -> ReviewCase:
    case = ReviewCase(
        account_id=account_id,
        kind=kind.value,
        user_id=user_id,
        environment_id=environment_id,
        email_normalized=email,
        candidates=candidates or [],
        detail=detail or {},
        opened_at=clock.now(),
        opened_by=actor,
    )
    session.add(case)
    session.flush()
    audit.record(
        session,
        account_id=account_id,
        actor=actor,
        action="review.open",
        subject_type="review_case",
        subject_id=case.id,
        after={"kind": kind.value, "user_id": user_id, "email": email},
    )
    return case


def close_case(
    session: Session,
    *,
    account_id: int,
    case_id: int,
    resolution: str,
    actor: str,
    clock: Clock,
    note: Text | None = None,
) -> ReviewCase:
    case = session.get(ReviewCase, case_id)
    if case is None or case.account_id != account_id:
        raise errors.CaseNotFound(case=case_id)
    if case.status != CaseStatus.OPEN.value:
        raise errors.CaseAlreadyResolved(case=case_id, resolution=case.resolution)
    case.status = CaseStatus.RESOLVED.value
    case.resolution = resolution
    case.resolved_at = clock.now()
    case.resolved_by = actor
    stored_note = note.to_json() if note is not None else ""
    case.detail = {**case.detail, "note": stored_note}
    audit.record(
        session,
        account_id=account_id,
        actor=actor,
        action="review.resolve",
        subject_type="review_case",
        subject_id=case.id,
        before={"status": "open"},
        after={"status": "resolved", "resolution": resolution, "note": stored_note},
    )
    session.flush()
    return case


def _first_repeat(values: Sequence[int]) -> int | None:
    seen: set[int] = set()
    for value in values:
        if value in seen:
            return value
        seen.add(value)
    return None
