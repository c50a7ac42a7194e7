"""Creating users in SSM: the one use case behind every edge (rule 17).

`create_users` serves the CLI (`users create`, `users invite`), the REST API (`POST /users`,
`POST /invitations`), SCIM (`POST /Users`) and the Admin's "invite by e-mail";
`invite_collaborators` serves the wizard and the Admin's "invite from Sage 100". Both create and
link through `seatbridge.sync.creation` (whose rules the sync's auto-invite follows too) and
queue the welcome e-mail of everyone invited, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from seatbridge.clock import Clock
from seatbridge.config import Settings
from seatbridge.directory.service import NewUser
from seatbridge.invitations import service as invitations
from seatbridge.sync import creation
from seatbridge.sync.creation import Creation, Outcome, SsmOnly

__all__ = ["Creation", "NewUser", "Outcome", "SsmOnly", "create_users", "invite_collaborators"]


def create_users(
    session: Session,
    *,
    account_id: int,
    people: Sequence[NewUser],
    actor: str,
    clock: Clock,
    settings: Settings,
    source: str,
    ssm_only: SsmOnly | None = None,
    send_welcome: bool = True,
) -> list[Creation]:
    """Create people as rule 17 says (or SSM-only, the admin's audited choice), in input order:
    all or nothing. `send_welcome=False` leaves the welcome e-mail to the caller (SCIM sends it
    once the identity provider's `active` is applied)."""
    created = creation.create_people(
        session,
        account_id=account_id,
        people=people,
        actor=actor,
        clock=clock,
        source=source,
        ssm_only=ssm_only,
    )
    if send_welcome:
        _welcome(session, account_id, created, actor, clock, settings)
    return created


def invite_collaborators(
    session: Session,
    *,
    account_id: int,
    picks: Iterable[tuple[int, int]],
    actor: str,
    clock: Clock,
    settings: Settings,
    source: str = "admin",
) -> list[Creation]:
    """Invite (environment id, CO_No) picks: all-or-nothing, seats checked, linked, welcome
    e-mails queued."""
    created = creation.create_from_picks(
        session, account_id=account_id, picks=picks, actor=actor, clock=clock, source=source
    )
    _welcome(session, account_id, created, actor, clock, settings)
    return created


def _welcome(
    session: Session,
    account_id: int,
    created: Sequence[Creation],
    actor: str,
    clock: Clock,
    settings: Settings,
) -> None:
    invitations.welcome(
        session,
        account_id=account_id,
        users=[c.user for c in created],
        actor=actor,
        clock=clock,
        settings=settings,
    )
