"""Random sequences of Sage 100 changes and SSM actions through repeated syncs (hypothesis).

After every sync: a collaborator links to at most one user, a user to at most one collaborator per
environment, seats never exceed the pool and the counters are true, a second sync is a no-op, and
no user was ever linked without an exact e-mail match (no admin resolves anything here).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts import seats
from seatbridge.accounts.errors import AccountError
from seatbridge.audit.models import AuditEvent
from seatbridge.directory import seat_counts
from seatbridge.directory import service as directory
from seatbridge.directory.errors import DirectoryError
from seatbridge.directory.models import CollaboratorLink, UserStatus
from seatbridge.sync.errors import SyncError
from seatbridge.sync.models import RunStatus
from tests.support.factories import TODAY, clock
from tests.support.people import invite_picks
from tests.sync.helpers import World, make_world

EMAILS = ["ana@bijou.fr", "ANA@bijou.fr ", "bob@bijou.fr", "cy@bijou.fr", None, "pas-valide"]
SSM_EMAILS = ["ana@bijou.fr", "bob@bijou.fr", "dan@bijou.fr"]
COMPANY = st.sampled_from(["A", "B"])
CO_NO = st.integers(1, 6)

steps = st.one_of(
    st.tuples(st.just("insert"), COMPANY, CO_NO, st.sampled_from(EMAILS)),
    st.tuples(st.just("email"), COMPANY, CO_NO, st.sampled_from(EMAILS)),
    st.tuples(st.just("dormant"), COMPANY, CO_NO, st.booleans()),
    st.tuples(st.just("delete"), COMPANY, CO_NO),
    st.tuples(st.just("create"), st.sampled_from(SSM_EMAILS)),
    st.tuples(st.just("invite"), COMPANY, CO_NO),
    st.tuples(st.just("disable"), st.sampled_from([*SSM_EMAILS, "ana@bijou.fr"])),
    st.tuples(st.just("sync"), COMPANY, st.booleans()),
)


def act(world: World, step: tuple[Any, ...]) -> None:
    kind = step[0]
    if kind in ("insert", "email", "dormant", "delete"):
        _, company, co_no, *rest = step
        sage = world.sage[company]
        if kind == "insert" and co_no not in sage.rows:
            sage.add(co_no, rest[0])
        elif kind == "email" and co_no in sage.rows:
            sage.edit(co_no, email=rest[0])
        elif kind == "dormant" and co_no in sage.rows:
            sage.edit(co_no, dormant=rest[0])
        elif kind == "delete":
            sage.rows.pop(co_no, None)
        return
    if kind == "sync":
        sync_and_check(world, step[1], full=step[2])
        return
    try:
        with world.sessions.begin() as session:
            if kind == "create":
                if (
                    directory.find_user_by_email(
                        session, account_id=world.account.id, email=step[1]
                    )
                    is None
                ):
                    world_create(world, session, step[1])
            elif kind == "invite":
                invite_picks(
                    session,
                    environment=world.environments[step[1]],
                    co_nos=[step[2]],
                    actor="admin",
                    clock=clock(),
                )
            elif kind == "disable":
                user = directory.find_user_by_email(
                    session, account_id=world.account.id, email=step[1]
                )
                if user is not None:
                    directory.deactivate_users(
                        session,
                        account_id=world.account.id,
                        user_ids=[user.id],
                        actor="admin",
                        clock=clock(),
                    )
    except (AccountError, DirectoryError, SyncError):
        pass  # refused as a person would be (no seat, not invitable...): nothing changed


def world_create(world: World, session: Session, email: str) -> None:
    from tests.support.people import create_user

    create_user(
        session,
        account_id=world.account.id,
        actor="admin",
        clock=clock(),
        person=directory.NewUser(email=email),
    )


def sync_and_check(world: World, company: str, *, full: bool) -> None:
    outcome = world.sync(company, full=full, confirm=True)
    assert outcome.status is RunStatus.SUCCEEDED
    again = world.sync(company, full=full, confirm=True)
    assert again.plan is not None and again.plan.is_noop, again.plan.actions
    check_invariants(world)


def check_invariants(world: World) -> None:
    holding = sum(1 for u in world.users() if UserStatus(u.status).holds_seat)
    with world.sessions() as session:
        links = session.scalars(
            select(CollaboratorLink).where(CollaboratorLink.account_id == world.account.id)
        ).all()
        assert max(Counter((k.environment_id, k.co_no) for k in links).values(), default=1) == 1
        assert max(Counter((k.environment_id, k.user_id) for k in links).values(), default=1) == 1
        usage = seats.seat_usage(session, account_id=world.account.id, today=TODAY)
        counted, _ = seat_counts.counted(session, account_id=world.account.id)
        assert usage.used == counted <= usage.total
        assert holding == counted
        for event in session.scalars(
            select(AuditEvent).where(
                AuditEvent.account_id == world.account.id,
                AuditEvent.action == "user.link",
            )
        ):
            after = event.after or {}
            assert after["collaborator_email"] == after["user_email"], after


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(steps, min_size=1, max_size=14))
def test_random_histories_keep_every_invariant(
    sessions: sessionmaker[Session], history: list[tuple[Any, ...]]
) -> None:
    world = make_world(sessions, seats=3, companies=("A", "B"))
    for step in history:
        act(world, step)
    for company in ("A", "B"):
        sync_and_check(world, company, full=True)
