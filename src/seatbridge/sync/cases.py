"""Links and review cases: the writes that both syncs and admins make."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from seatbridge import audit
from seatbridge.accounts.errors import AccountError
from seatbridge.accounts.models import Environment
from seatbridge.clock import Clock
from seatbridge.directory import service as directory
from seatbridge.directory.models import CollaboratorLink, User
from seatbridge.i18n import Text, _, dumps
from seatbridge.sync import errors
from seatbridge.sync.models import CaseKind, CaseStatus, Collaborator, NotInvitable, ReviewCase


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
    taken = session.scalar(
        select(CollaboratorLink).where(
            CollaboratorLink.environment_id == environment.id,
            (CollaboratorLink.co_no == co_no) | (CollaboratorLink.user_id == user_id),
        )
    )
    if taken is not None:
        raise errors.AlreadyLinked(co_no=co_no, environment=environment.name)
    link = CollaboratorLink(
        account_id=environment.account_id,
        environment_id=environment.id,
        co_no=co_no,
        user_id=user_id,
        linked_at=clock.now(),
        linked_by=actor,
        reason=dumps(reason),
    )
    session.add(link)
    session.flush()
    collaborator_email = session.scalar(
        select(Collaborator.email_normalized).where(
            Collaborator.environment_id == environment.id, Collaborator.co_no == co_no
        )
    )
    user_email = session.scalar(select(User.email_normalized).where(User.id == user_id))
    audit.record(
        session,
        account_id=environment.account_id,
        actor=actor,
        action="user.link",
        subject_type="user",
        subject_id=user_id,
        after={
            "environment_id": environment.id,
            "environment": environment.name,
            "co_no": co_no,
            "reason": reason.to_json(),
            "collaborator_email": collaborator_email,
            "user_email": user_email,
        },
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


def invite_collaborators(
    session: Session,
    *,
    environment: Environment,
    co_nos: Sequence[int],
    actor: str,
    clock: Clock,
) -> list[User]:
    """Create invited users from mirror collaborators and link them (all-or-nothing)."""
    rows = list(
        session.scalars(
            select(Collaborator).where(
                Collaborator.environment_id == environment.id, Collaborator.co_no.in_(co_nos)
            )
        )
    )
    found = {row.co_no: row for row in rows}
    for co_no in co_nos:
        row = found.get(co_no)
        if row is None:
            raise errors.CollaboratorNotFound(co_no=co_no, environment=environment.name)
        if row.not_invitable is not None or row.email is None:
            raise errors.NotInvitableCollaborator(
                co_no=co_no,
                name=_name(row),
                reason=NotInvitable(row.not_invitable or "no_email").label,
            )
    people = [
        directory.NewUser(
            email=found[co].email or "",
            first_name=found[co].first_name,
            last_name=found[co].last_name,
            function=found[co].function,
            phone=found[co].phone,
            mobile=found[co].mobile,
            home_environment_id=environment.id,
        )
        for co in co_nos
    ]
    users = directory.invite_users(
        session, account_id=environment.account_id, people=people, actor=actor, clock=clock
    )
    for co_no, user in zip(co_nos, users, strict=True):
        link_collaborator(
            session,
            environment=environment,
            co_no=co_no,
            user_id=user.id,
            actor=actor,
            reason=_("invité depuis Sage 100"),
            clock=clock,
        )
        found[co_no].not_invitable = "already_user"
    return users


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


def _name(row: Collaborator) -> str:
    return " ".join(p for p in (row.first_name, row.last_name) if p) or f"n° {row.co_no}"
