"""Creating users in tests through the one use case the edges call (`seatbridge.onboarding`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from seatbridge import onboarding
from seatbridge.accounts.models import Environment
from seatbridge.clock import Clock
from seatbridge.config import Settings
from seatbridge.directory.models import User
from seatbridge.directory.service import NewUser


def create_user(
    session: Session,
    *,
    account_id: int,
    person: NewUser,
    actor: str,
    clock: Clock,
    source: str = "admin",
    settings: Settings | None = None,
    ssm_only: onboarding.SsmOnly | None = None,
    welcome: bool = False,
) -> onboarding.Creation:
    """One person, rule 17 (or SSM-only); the welcome e-mail only when asked for."""
    (created,) = onboarding.create_users(
        session,
        account_id=account_id,
        people=[person],
        actor=actor,
        clock=clock,
        settings=settings or Settings(demo=True),
        source=source,
        ssm_only=ssm_only,
        send_welcome=welcome,
    )
    return created


def invite_ssm_only(
    session: Session,
    *,
    account_id: int,
    people: list[NewUser],
    actor: str,
    clock: Clock,
    settings: Settings,
) -> list[User]:
    """People invited without a Sage 100 link (the admin's SSM-only choice): seats all or
    nothing, welcome e-mails queued."""
    created = onboarding.create_users(
        session,
        account_id=account_id,
        people=people,
        actor=actor,
        clock=clock,
        settings=settings,
        source="admin",
        ssm_only=onboarding.SsmOnly("test"),
    )
    return [c.user for c in created]


def invite_picks(
    session: Session,
    *,
    environment: Environment,
    co_nos: list[int],
    actor: str,
    clock: Clock,
    settings: Settings | None = None,
) -> list[User]:
    """Collaborators of one company invited as the wizard and the Admin do."""
    created = onboarding.invite_collaborators(
        session,
        account_id=environment.account_id,
        picks=[(environment.id, co) for co in co_nos],
        actor=actor,
        clock=clock,
        settings=settings or Settings(demo=True),
    )
    return [c.user for c in created]
