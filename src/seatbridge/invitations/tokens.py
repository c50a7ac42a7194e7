"""Link tokens: 32 random bytes in the e-mail, only their SHA-256 in the store."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from seatbridge.clock import Clock
from seatbridge.config import Settings
from seatbridge.db.base import table_of
from seatbridge.db.engine import rows_changed
from seatbridge.directory.models import User
from seatbridge.invitations.models import AuthToken, TokenPurpose

CHUNK = 500
LINK_PATHS = {
    TokenPurpose.INVITE: "/auth/set-password/",
    TokenPurpose.RESET: "/auth/reset-password/",
}


def hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def link_for(settings: Settings, purpose: TokenPurpose, raw_token: str) -> str:
    return settings.base_url.rstrip("/") + LINK_PATHS[purpose] + raw_token


def lifetime(settings: Settings, purpose: TokenPurpose) -> dt.timedelta:
    if purpose is TokenPurpose.INVITE:
        return dt.timedelta(days=settings.auth.invitation_ttl_days)
    return dt.timedelta(hours=settings.auth.reset_ttl_hours)


def issue_token(
    session: Session,
    *,
    user: User,
    purpose: TokenPurpose,
    actor: str,
    clock: Clock,
    settings: Settings,
) -> tuple[str, AuthToken]:
    """Create a link for `user` and return (raw token for the e-mail, stored row)."""
    (issued,) = issue_tokens(
        session, users=[user], purpose=purpose, actor=actor, clock=clock, settings=settings
    )
    return issued


def issue_tokens(
    session: Session,
    *,
    users: Sequence[User],
    purpose: TokenPurpose,
    actor: str,
    clock: Clock,
    settings: Settings,
) -> list[tuple[str, AuthToken]]:
    """One link per user, inserted in one batch: (raw token for the e-mail, stored row)."""
    now = clock.now()
    expires_at = now + lifetime(settings, purpose)
    raw = [secrets.token_urlsafe(32) for _ in users]
    hashes = [hash_token(token) for token in raw]
    session.flush()
    session.execute(
        insert(table_of(AuthToken)),
        [
            {
                "account_id": user.account_id,
                "user_id": user.id,
                "purpose": purpose.value,
                "token_hash": token_hash,
                "created_at": now,
                "created_by": actor,
                "expires_at": expires_at,
            }
            for user, token_hash in zip(users, hashes, strict=True)
        ],
    )
    stored: dict[str, AuthToken] = {}
    for start in range(0, len(hashes), CHUNK):
        stored |= {
            token.token_hash: token
            for token in session.scalars(
                select(AuthToken).where(AuthToken.token_hash.in_(hashes[start : start + CHUNK]))
            )
        }
    return [(token, stored[token_hash]) for token, token_hash in zip(raw, hashes, strict=True)]


def revoke_open_tokens(session: Session, *, account_id: int, user_id: int, clock: Clock) -> int:
    """Spend every live link of a user (a newer link replaces them); returns how many."""
    return revoke_open_tokens_of(session, account_id=account_id, user_ids=[user_id], clock=clock)


def revoke_open_tokens_of(
    session: Session, *, account_id: int, user_ids: Sequence[int], clock: Clock
) -> int:
    """`revoke_open_tokens` for many users: one UPDATE per 500 users; returns how many."""
    revoked = 0
    for start in range(0, len(user_ids), CHUNK):
        result = session.execute(
            update(AuthToken)
            .where(
                AuthToken.account_id == account_id,
                AuthToken.user_id.in_(user_ids[start : start + CHUNK]),
                AuthToken.used_at.is_(None),
                AuthToken.revoked_at.is_(None),
            )
            .values(revoked_at=clock.now())
            .execution_options(synchronize_session=False)
        )
        revoked += rows_changed(result)
    return revoked


def find_token(session: Session, raw_token: str) -> AuthToken | None:
    if not raw_token or len(raw_token) > 200:
        return None
    return session.scalar(select(AuthToken).where(AuthToken.token_hash == hash_token(raw_token)))


@functools.lru_cache(maxsize=256)  # a batch of links shares one expiry: format it once
def format_moment(moment: dt.datetime, locale: str, timezone: str) -> str:
    """'5 décembre 2026 à 10:00' / 'December 5, 2026 at 10:00 AM' in the account's time zone."""
    local = moment.astimezone(ZoneInfo(timezone))
    language = "en" if locale.startswith("en") else "fr"
    joiner = " at " if language == "en" else " à "
    return (
        format_date(local.date(), "long", locale=language)
        + joiner
        + format_time(local.time(), "short", locale=language)
    )
