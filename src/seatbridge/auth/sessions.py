"""Server-side web sessions: the cookie holds a random id, the store its SHA-256.

Every request re-checks the session against its user (status, disable date) and the account's
licence, so disabling a user ends their sessions at once, on every process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from seatbridge.accounts.models import Account
from seatbridge.auth.access import ensure_may_sign_in
from seatbridge.auth.errors import AuthError
from seatbridge.auth.models import WebSession
from seatbridge.clock import Clock
from seatbridge.config import AuthSettings
from seatbridge.db.engine import rows_changed
from seatbridge.directory.models import User

# Refresh last_seen_at at most this often: a write on every request would serialise SQLite.
TOUCH_INTERVAL = dt.timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: User
    account: Account
    session_id: int


def token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def open_session(session: Session, *, user: User, clock: Clock, settings: AuthSettings) -> str:
    """Start a session for `user` and return the raw id for the cookie (never stored)."""
    now = clock.now()
    session.execute(
        delete(WebSession).where(
            WebSession.account_id == user.account_id,
            WebSession.user_id == user.id,
            WebSession.expires_at <= now,
        )
    )
    raw_token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_hash=token_hash(raw_token),
            account_id=user.account_id,
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + dt.timedelta(hours=settings.session_max_hours),
        )
    )
    session.flush()
    return raw_token


def resolve_session(
    session: Session, *, raw_token: str, clock: Clock, settings: AuthSettings
) -> SignedIn | None:
    """The signed-in user behind a cookie, or None (an invalid session is deleted)."""
    row = session.scalar(select(WebSession).where(WebSession.token_hash == token_hash(raw_token)))
    if row is None:
        return None
    now = clock.now()
    idle = dt.timedelta(minutes=settings.session_idle_minutes)
    user = session.scalar(
        select(User).where(User.account_id == row.account_id, User.id == row.user_id)
    )
    account = session.get(Account, row.account_id)
    if (
        user is None
        or account is None
        or row.expires_at <= now
        or row.last_seen_at + idle <= now
        # Disabled then re-enabled: sessions opened before the disable stay ended.
        or (user.disabled_at is not None and row.created_at < user.disabled_at)
    ):
        session.delete(row)
        return None
    try:
        ensure_may_sign_in(user, account, clock.today())
    except AuthError:
        session.delete(row)
        return None
    if now - row.last_seen_at >= TOUCH_INTERVAL:
        row.last_seen_at = now
    return SignedIn(user=user, account=account, session_id=row.id)


def end_session(session: Session, *, raw_token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == token_hash(raw_token)))


def end_user_sessions(session: Session, *, account_id: int, user_id: int) -> int:
    """End every session of a user (password changed, access removed); returns how many."""
    result = session.execute(
        delete(WebSession).where(WebSession.account_id == account_id, WebSession.user_id == user_id)
    )
    return rows_changed(result)
