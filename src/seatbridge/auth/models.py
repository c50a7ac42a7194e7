"""Server-side web sessions and the sign-in failures that throttling counts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from seatbridge.db.base import Base, utcnow


class WebSession(Base):
    """A signed-in browser; the cookie holds a random id, the table only its SHA-256."""

    __tablename__ = "web_session"
    __table_args__ = (
        UniqueConstraint("token_hash"),
        # The composite key makes a session's user belong to the session's account.
        ForeignKeyConstraint(
            ["account_id", "user_id"],
            ["user_account.account_id", "user_account.id"],
            name="fk_web_session_user",
            ondelete="CASCADE",
        ),
        Index("ix_web_session_user", "account_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    user_id: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]


class SignInFailure(Base):
    """One failed sign-in (or password-reset request), keyed by a hash of the e-mail or address.

    Not tied to an account: the e-mail may belong to none. Only hashes are kept, so the table
    holds no personal data in clear.
    """

    __tablename__ = "sign_in_failure"
    __table_args__ = (Index("ix_sign_in_failure_key", "kind", "key_hash", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    key_hash: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SignInCounter(Base):
    """Sign-in attempts of one key (an e-mail and address pair, an e-mail, an address), counted
    before the password is checked, and when the next attempt may be made.

    One row per key, locked while an attempt is counted, so that concurrent attempts can never
    slip past the limit. Only hashes of the e-mail and address are kept.
    """

    __tablename__ = "sign_in_counter"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[dt.datetime | None]
