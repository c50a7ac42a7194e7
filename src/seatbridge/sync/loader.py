"""Loads the EnvironmentState a change set needs: everything for a full run, and for an
incremental run only the rows its collaborators touch (so 10 changes cost 10, not 5,000)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from seatbridge.accounts.models import Environment, OnDormant
from seatbridge.directory.emails import check_email
from seatbridge.directory.models import CollaboratorLink, User
from seatbridge.sync.models import CaseStatus, Collaborator, ReviewCase
from seatbridge.sync.records import ChangeSet
from seatbridge.sync.state import EnvironmentState, MirrorView, UserView

CHUNK = 500  # SQL Server takes at most 2,100 parameters in one statement
T = TypeVar("T")


def load_state(
    session: Session, *, environment: Environment, change_set: ChangeSet
) -> EnvironmentState:
    account_id, environment_id = environment.account_id, environment.id
    state = EnvironmentState(
        account_id=account_id,
        environment_id=environment_id,
        deactivate_on_dormant=environment.on_dormant == OnDormant.DEACTIVATE.value,
        auto_invite_salespeople=environment.auto_invite_salespeople,
    )
    mirror_query = select(Collaborator).where(Collaborator.environment_id == environment_id)
    if change_set.full:
        rows = list(session.scalars(mirror_query))
    else:
        wanted = [record.co_no for record in change_set.records]
        rows = _in_chunks(session, mirror_query, Collaborator.co_no, wanted)
    state.mirror = {row.co_no: _mirror_view(row) for row in rows}
    emails = {row.email_normalized for row in rows if row.email_normalized}
    for record in change_set.records:
        check = check_email(record.email)
        if check.ok and check.normalized:
            emails.add(check.normalized)
    peer_rows = (
        rows
        if change_set.full
        else _in_chunks(session, mirror_query, Collaborator.email_normalized, sorted(emails))
    )
    for row in peer_rows:
        if row.email_normalized and row.deleted_at is None:
            state.peers.setdefault(row.email_normalized, set()).add(row.co_no)
        state.mirror.setdefault(row.co_no, _mirror_view(row))
    link_query = select(CollaboratorLink.co_no, CollaboratorLink.user_id).where(
        CollaboratorLink.environment_id == environment_id
    )
    link_rows: Sequence[Any] = (
        session.execute(link_query).all()
        if change_set.full
        else _in_chunks_rows(session, link_query, CollaboratorLink.co_no, sorted(state.mirror))
    )
    state.links = {row.co_no: row.user_id for row in link_rows}
    _load_users(session, state, emails)
    _load_cases(session, state, emails)
    state.linked_users = (
        session.scalar(
            select(func.count())
            .select_from(CollaboratorLink)
            .where(CollaboratorLink.environment_id == environment_id)
        )
        or 0
    )
    return state


def _load_users(session: Session, state: EnvironmentState, emails: set[str]) -> None:
    base = select(User).where(User.account_id == state.account_id)
    users = {u.id: u for u in _in_chunks(session, base, User.id, sorted(set(state.links.values())))}
    for user in _in_chunks(session, base, User.email_normalized, sorted(emails)):
        users[user.id] = user
    links_here = dict(
        (row.user_id, row.co_no)
        for row in _in_chunks_rows(
            session,
            select(CollaboratorLink.user_id, CollaboratorLink.co_no).where(
                CollaboratorLink.environment_id == state.environment_id
            ),
            CollaboratorLink.user_id,
            sorted(users),
        )
    )
    for user in users.values():
        state.users[user.id] = UserView(
            id=user.id,
            email=user.email,
            email_normalized=user.email_normalized,
            status=user.status,
            first_name=user.first_name,
            last_name=user.last_name,
            function=user.function,
            phone=user.phone,
            mobile=user.mobile,
            home_environment_id=user.home_environment_id,
            linked_co_no=links_here.get(user.id),
            ssm_only=user.ssm_only,
        )
        state.user_by_email[user.email_normalized] = user.id


def _load_cases(session: Session, state: EnvironmentState, emails: set[str]) -> None:
    base = select(ReviewCase).where(
        ReviewCase.account_id == state.account_id, ReviewCase.status == CaseStatus.OPEN.value
    )
    for case in _in_chunks(session, base, ReviewCase.user_id, sorted(state.users)):
        if case.kind == "email_collision":
            state.open_cases[("collision", str(case.user_id))] = case.id
        elif case.kind in ("no_match", "several_matches"):
            state.open_cases[("user", str(case.user_id))] = case.id
    shared = base.where(
        ReviewCase.kind == "shared_email", ReviewCase.environment_id == state.environment_id
    )
    for case in _in_chunks(session, shared, ReviewCase.email_normalized, sorted(emails)):
        state.open_cases[("shared_email", case.email_normalized or "")] = case.id


def _mirror_view(row: Collaborator) -> MirrorView:
    return MirrorView(
        co_no=row.co_no,
        cb_marq=row.cb_marq,
        last_name=row.last_name,
        first_name=row.first_name,
        function=row.function,
        phone=row.phone,
        mobile=row.mobile,
        email=row.email,
        email_normalized=row.email_normalized,
        is_salesperson=row.is_salesperson,
        dormant=row.dormant,
        modified_at=row.modified_at,
        deleted=row.deleted_at is not None,
        not_invitable=row.not_invitable,
    )


def _chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _in_chunks(
    session: Session, query: Select[Any], column: Any, values: Iterable[Any]
) -> list[Any]:
    found: list[Any] = []
    for chunk in _chunks(list(values)):
        found.extend(session.scalars(query.where(column.in_(chunk))))
    return found


def _in_chunks_rows(session: Session, query: Any, column: Any, values: Iterable[Any]) -> list[Any]:
    found: list[Any] = []
    for chunk in _chunks(list(values)):
        found.extend(session.execute(query.where(column.in_(chunk))).all())
    return found
