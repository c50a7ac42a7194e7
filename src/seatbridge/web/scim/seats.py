"""`active` in SCIM: holding a seat. Setting it moves the user through the directory's own
transitions, so the seat pool's checks (rules 5, 8, 9) apply to identity providers too."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from seatbridge import audit
from seatbridge.auth.sessions import end_user_sessions
from seatbridge.clock import Clock
from seatbridge.config import Settings
from seatbridge.db.engine import rows_changed
from seatbridge.directory import errors as directory_errors
from seatbridge.directory import service as directory
from seatbridge.directory.models import User, UserStatus
from seatbridge.invitations import service as invitations
from seatbridge.invitations.tokens import revoke_open_tokens


def set_active(
    session: Session,
    user: User,
    active: bool | None,
    *,
    unverified: bool,
    actor: str,
    clock: Clock,
    settings: Settings,
) -> None:
    """Bring the user to what `active` asks, as far as the rules allow.

    A user awaiting review stays so when asked to be active (rule 17: an administrator decides);
    a disabled one that still awaits review goes back to waiting rather than taking a seat.
    """
    status = UserStatus(user.status)
    if active is None:
        return
    if not active:
        deactivate(session, user, actor=actor, clock=clock)
    elif status is UserStatus.DISABLED and unverified:
        _back_to_review(session, user, actor=actor, clock=clock)
    elif status is UserStatus.DISABLED:
        directory.reactivate_users(
            session, account_id=user.account_id, user_ids=[user.id], actor=actor, clock=clock
        )
        invitations.welcome(
            session,
            account_id=user.account_id,
            users=[user],
            actor=actor,
            clock=clock,
            settings=settings,
        )


def deactivate(session: Session, user: User, *, actor: str, clock: Clock) -> None:
    """Disable the user and free their seat; their links and sessions die with the access."""
    if user.status == UserStatus.DISABLED.value:
        return
    directory.deactivate_users(
        session, account_id=user.account_id, user_ids=[user.id], actor=actor, clock=clock
    )
    revoke_open_tokens(session, account_id=user.account_id, user_id=user.id, clock=clock)
    end_user_sessions(session, account_id=user.account_id, user_id=user.id)


def _back_to_review(session: Session, user: User, *, actor: str, clock: Clock) -> None:
    # Neither status holds a seat: no counter moves, only the status (guarded like the rest).
    changed = session.execute(
        update(User)
        .where(
            User.id == user.id,
            User.account_id == user.account_id,
            User.status == UserStatus.DISABLED.value,
        )
        .values(status=UserStatus.PENDING_REVIEW.value, updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if rows_changed(changed) != 1:
        raise directory_errors.ConcurrentChange(user=user.email)
    session.refresh(user)
    audit.record(
        session,
        account_id=user.account_id,
        actor=actor,
        action="user.reactivate",
        subject_type="user",
        subject_id=user.id,
        before={"status": UserStatus.DISABLED.value},
        after={"status": UserStatus.PENDING_REVIEW.value},
    )
