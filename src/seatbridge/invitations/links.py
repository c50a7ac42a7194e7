"""Opening and using a set-password link.

Opening (check_link) only reads: mail scanners open links, so only submitting the form
(consume) spends the link, sets the password and activates an invited user.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from seatbridge import audit
from seatbridge.auth.passwords import Passwords, check_policy
from seatbridge.auth.sessions import end_user_sessions
from seatbridge.clock import Clock
from seatbridge.config import Settings
from seatbridge.db.engine import rows_changed
from seatbridge.directory import service as directory
from seatbridge.directory.models import User, UserStatus
from seatbridge.invitations import errors
from seatbridge.invitations.models import AuthToken, TokenPurpose
from seatbridge.invitations.tokens import find_token, format_moment, revoke_open_tokens

_USED = {TokenPurpose.INVITE: errors.InvitationUsed, TokenPurpose.RESET: errors.ResetLinkUsed}
_REPLACED = {
    TokenPurpose.INVITE: errors.InvitationReplaced,
    TokenPurpose.RESET: errors.ResetLinkReplaced,
}
_EXPIRED = {
    TokenPurpose.INVITE: errors.InvitationExpired,
    TokenPurpose.RESET: errors.ResetLinkExpired,
}


@dataclass(frozen=True, slots=True)
class OpenLink:
    token: AuthToken
    user: User

    @property
    def purpose(self) -> TokenPurpose:
        return TokenPurpose(self.token.purpose)


def check_link(
    session: Session,
    *,
    raw_token: str,
    clock: Clock,
    settings: Settings,
    purpose: TokenPurpose | None = None,
) -> OpenLink:
    """The link's token and user if it can set a password now; a LinkError otherwise.

    Reads only: opening a link never spends it.
    """
    token = find_token(session, raw_token)
    if token is None or (purpose is not None and token.purpose != purpose.value):
        raise errors.LinkUnknown()
    kind = TokenPurpose(token.purpose)
    user = session.scalar(
        select(User).where(User.account_id == token.account_id, User.id == token.user_id)
    )
    if user is None:
        raise errors.LinkUnknown()
    if user.status == UserStatus.DISABLED:
        raise errors.LinkUserDisabled()
    if token.used_at is not None:
        raise _USED[kind]()
    # A link issued before the user was last disabled stays dead after a re-activation.
    if token.revoked_at is not None or (
        user.disabled_at is not None and token.created_at < user.disabled_at
    ):
        raise _REPLACED[kind]()
    if token.expires_at <= clock.now():
        locale = user.locale
        raise _EXPIRED[kind](expired_at=format_moment(token.expires_at, locale, settings.timezone))
    if user.status not in (UserStatus.INVITED, UserStatus.ACTIVE):
        raise errors.LinkUnknown()
    return OpenLink(token=token, user=user)


def consume(
    session: Session,
    *,
    raw_token: str,
    password: str,
    clock: Clock,
    settings: Settings,
    passwords: Passwords,
    purpose: TokenPurpose | None = None,
) -> User:
    """Spend the link: set the password, activate an invited user, end their other sessions."""
    link = check_link(session, raw_token=raw_token, clock=clock, settings=settings, purpose=purpose)
    user = link.user
    # Checked before the link is spent, so a refused password leaves the link usable.
    check_policy(password, email=user.email)
    now = clock.now()
    spent = session.execute(
        update(AuthToken)
        .where(
            AuthToken.id == link.token.id,
            AuthToken.used_at.is_(None),
            AuthToken.revoked_at.is_(None),
            AuthToken.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(spent) != 1:
        raise _USED[link.purpose]()  # a concurrent submission of the same link won
    session.execute(
        update(User)
        .where(User.id == user.id, User.account_id == user.account_id)
        .values(password_hash=passwords.hash(password), updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if user.status == UserStatus.INVITED:
        directory.mark_active(session, account_id=user.account_id, user_id=user.id, clock=clock)
    revoke_open_tokens(session, account_id=user.account_id, user_id=user.id, clock=clock)
    end_user_sessions(session, account_id=user.account_id, user_id=user.id)
    audit.record(
        session,
        account_id=user.account_id,
        actor=user.email,
        action="password.set",
        subject_type="user",
        subject_id=user.id,
        after={"via": link.purpose.value, "token_id": link.token.id},
    )
    session.flush()
    session.refresh(user)
    return user
