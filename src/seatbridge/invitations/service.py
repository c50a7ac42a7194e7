"""Invitations and password links: invite, resend, revoke, send links, forgotten password.

Each function works in the caller's transaction: the seats, the users, the link and its e-mail
(an outbox row) commit together or not at all; the e-mail leaves after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from seatbridge import audit
from seatbridge.accounts.models import Account
from seatbridge.auth import throttle
from seatbridge.auth.sessions import end_user_sessions
from seatbridge.auth.throttle import ThrottleKind
from seatbridge.clock import Clock
from seatbridge.config import Settings
from seatbridge.directory import service as directory
from seatbridge.directory.emails import normalize_email
from seatbridge.directory.errors import UserNotFound
from seatbridge.directory.models import User, UserStatus
from seatbridge.i18n import _
from seatbridge.invitations import errors
from seatbridge.invitations.links import OpenLink, check_link, consume
from seatbridge.invitations.models import AuthToken, TokenPurpose
from seatbridge.invitations.tokens import (
    format_moment,
    issue_tokens,
    link_for,
    revoke_open_tokens,
    revoke_open_tokens_of,
)
from seatbridge.mail.outbox import QueuedMail, queue_messages

__all__ = [
    "OpenLink",
    "check_link",
    "consume",
    "request_password_reset",
    "resend",
    "revoke",
    "send_link",
    "send_links",
    "send_password_links",
]

SELF_SERVICE = "self-service"
# A forgotten-password form is open to anyone: cap the e-mails one address can be sent.
RESET_REQUESTS_PER_HOUR = 3

_TEMPLATES = {TokenPurpose.INVITE: "invitation", TokenPurpose.RESET: "password_reset"}
_KEYS = {TokenPurpose.INVITE: "invitation", TokenPurpose.RESET: "password-reset"}


def resend(
    session: Session,
    *,
    account_id: int,
    user_ids: Iterable[int],
    actor: str,
    clock: Clock,
    settings: Settings,
) -> list[User]:
    """Send invited users a new link; their earlier links stop working."""
    users = _load(session, account_id, user_ids)
    for user in users:
        if user.status != UserStatus.INVITED:
            raise errors.NotInvited(
                user=user.email,
                status=user.status,
                action=_("renvoi de l'invitation"),
            )
    send_links(
        session,
        account=session.get_one(Account, account_id),
        users=users,
        purpose=TokenPurpose.INVITE,
        actor=actor,
        clock=clock,
        settings=settings,
    )
    return users


def revoke(
    session: Session, *, account_id: int, user_ids: Iterable[int], actor: str, clock: Clock
) -> list[User]:
    """Withdraw invitations not yet accepted: the users are disabled, their seats freed."""
    users = _load(session, account_id, user_ids)
    for user in users:
        if user.status != UserStatus.INVITED:
            raise errors.NotInvited(
                user=user.email,
                status=user.status,
                action=_("annulation de l'invitation"),
            )
    directory.deactivate_users(
        session, account_id=account_id, user_ids=[u.id for u in users], actor=actor, clock=clock
    )
    for user in users:
        revoke_open_tokens(session, account_id=account_id, user_id=user.id, clock=clock)
        end_user_sessions(session, account_id=account_id, user_id=user.id)
        audit.record(
            session,
            account_id=account_id,
            actor=actor,
            action="invitation.revoke",
            subject_type="user",
            subject_id=user.id,
        )
    return users


def send_password_links(
    session: Session,
    *,
    account_id: int,
    user_ids: Iterable[int],
    actor: str,
    clock: Clock,
    settings: Settings,
) -> list[tuple[User, TokenPurpose]]:
    """The admin's "Envoyer mot de passe": a new invitation to invited users, a reset link to
    active ones. All-or-nothing: one disabled user in the batch refuses the batch."""
    users = _load(session, account_id, user_ids)
    for user in users:
        if user.status not in (UserStatus.INVITED, UserStatus.ACTIVE):
            raise errors.NoPasswordLink(user=user.email, status=user.status)
    account = session.get_one(Account, account_id)
    purposes = {
        user.id: TokenPurpose.INVITE if user.status == UserStatus.INVITED else TokenPurpose.RESET
        for user in users
    }
    for purpose in (TokenPurpose.INVITE, TokenPurpose.RESET):
        send_links(
            session,
            account=account,
            users=[user for user in users if purposes[user.id] is purpose],
            purpose=purpose,
            actor=actor,
            clock=clock,
            settings=settings,
        )
    return [(user, purposes[user.id]) for user in users]


def request_password_reset(
    session: Session,
    *,
    email: str,
    clock: Clock,
    settings: Settings,
    account_id: int | None = None,
) -> None:
    """ "Mot de passe oublié": mail a link to every invited or active user with this address.

    Returns nothing and raises nothing for an unknown address, so the page says the same
    thing whether the address exists or not.
    """
    normalized = normalize_email(email)
    window = dt.timedelta(hours=1)
    if throttle.wait_minutes(
        session,
        kind=ThrottleKind.RESET_EMAIL,
        value=normalized,
        limit=RESET_REQUESTS_PER_HOUR,
        window=window,
        clock=clock,
    ):
        return
    throttle.record(
        session, kind=ThrottleKind.RESET_EMAIL, value=normalized, window=window, clock=clock
    )
    query = select(User).where(
        User.email_normalized == normalized,
        User.status.in_([UserStatus.INVITED.value, UserStatus.ACTIVE.value]),
    )
    if account_id is not None:
        query = query.where(User.account_id == account_id)
    for user in session.scalars(query.order_by(User.account_id)):
        purpose = TokenPurpose.INVITE if user.status == UserStatus.INVITED else TokenPurpose.RESET
        account = session.get_one(Account, user.account_id)
        send_link(
            session,
            account=account,
            user=user,
            purpose=purpose,
            actor=SELF_SERVICE,
            clock=clock,
            settings=settings,
        )


def send_link(
    session: Session,
    *,
    account: Account,
    user: User,
    purpose: TokenPurpose,
    actor: str,
    clock: Clock,
    settings: Settings,
) -> AuthToken:
    """Replace the user's live links with a new one and queue its e-mail (same transaction)."""
    (token,) = send_links(
        session,
        account=account,
        users=[user],
        purpose=purpose,
        actor=actor,
        clock=clock,
        settings=settings,
    )
    return token


def send_links(
    session: Session,
    *,
    account: Account,
    users: Sequence[User],
    purpose: TokenPurpose,
    actor: str,
    clock: Clock,
    settings: Settings,
) -> list[AuthToken]:
    """`send_link` for many users in a constant number of statements (per 500 users): their
    live links revoked, the new tokens, the outbox messages and the audit rows each inserted
    as one batch."""
    if not users:
        return []
    for user in users:
        if user.account_id != account.id:
            raise UserNotFound(user=user.id)
    revoke_open_tokens_of(
        session, account_id=account.id, user_ids=[user.id for user in users], clock=clock
    )
    issued = issue_tokens(
        session, users=users, purpose=purpose, actor=actor, clock=clock, settings=settings
    )
    queue_messages(
        session,
        [
            QueuedMail(
                account_id=account.id,
                recipient=user.email,
                locale=user.locale,
                template=_TEMPLATES[purpose],
                context={
                    "name": user.display_name,
                    "email": user.email,
                    "account_name": account.name,
                    "product": settings.product_name,
                    "link": link_for(settings, purpose, raw_token),
                    "expires_at": format_moment(token.expires_at, user.locale, settings.timezone),
                },
                idempotency_key=f"{_KEYS[purpose]}:{token.id}",
            )
            for user, (raw_token, token) in zip(users, issued, strict=True)
        ],
        clock=clock,
    )
    audit.record_many(
        session,
        [
            {
                "account_id": account.id,
                "actor": actor,
                "action": f"{_KEYS[purpose]}.send",
                "subject_type": "user",
                "subject_id": user.id,
                "after": {"token_id": token.id, "expires_at": token.expires_at.isoformat()},
            }
            for user, (_raw, token) in zip(users, issued, strict=True)
        ],
    )
    return [token for _raw, token in issued]


def _load(session: Session, account_id: int, user_ids: Iterable[int]) -> list[User]:
    wanted = list(dict.fromkeys(user_ids))
    found = {
        user.id: user
        for user in session.scalars(
            select(User).where(User.account_id == account_id, User.id.in_(wanted))
        )
    }
    for user_id in wanted:
        if user_id not in found:
            raise UserNotFound(user=user_id)
    return [found[user_id] for user_id in wanted]


def welcome(
    session: Session,
    *,
    account_id: int,
    users: Sequence[User],
    actor: str,
    clock: Clock,
    settings: Settings,
) -> None:
    """Queue the welcome e-mail of users who just became `invited` by another path than
    `invite` (the first admin, a sync's link, an admin's review decision, a re-activation)."""
    invited = [user.id for user in users if user.status == UserStatus.INVITED]
    if invited:
        send_password_links(
            session,
            account_id=account_id,
            user_ids=invited,
            actor=actor,
            clock=clock,
            settings=settings,
        )


def welcome_hook(
    *, settings: Settings, clock: Clock, actor: str
) -> Callable[[Session, Sequence[User]], None]:
    """`welcome` bound to its collaborators, for the sync engine's `on_invited`."""

    def hook(session: Session, users: Sequence[User]) -> None:
        if users:
            welcome(
                session,
                account_id=users[0].account_id,
                users=users,
                actor=actor,
                clock=clock,
                settings=settings,
            )

    return hook
