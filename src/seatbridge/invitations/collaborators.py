"""Inviting Sage 100 collaborators picked in several companies, welcome e-mails included."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from seatbridge.accounts import service as accounts
from seatbridge.clock import Clock
from seatbridge.config import Settings
from seatbridge.directory.models import User
from seatbridge.invitations.service import welcome
from seatbridge.sync.cases import invite_collaborators


def invite_picked_collaborators(
    session: Session,
    *,
    account_id: int,
    picks: Iterable[tuple[int, int]],
    actor: str,
    clock: Clock,
    settings: Settings,
) -> list[User]:
    """Invite (environment id, CO_No) picks: all-or-nothing, seats checked, e-mails queued."""
    by_company: dict[int, list[int]] = {}
    for environment_id, co_no in picks:
        by_company.setdefault(environment_id, []).append(co_no)
    invited: list[User] = []
    for environment_id, co_nos in sorted(by_company.items()):
        environment = accounts.get_environment(
            session, account_id=account_id, reference=environment_id
        )
        invited += invite_collaborators(
            session, environment=environment, co_nos=co_nos, actor=actor, clock=clock
        )
    welcome(
        session, account_id=account_id, users=invited, actor=actor, clock=clock, settings=settings
    )
    return invited
