"""Set-password links: one row per link, holding only the SHA-256 of the token in the e-mail."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from seatbridge.db.base import Base, utcnow


class TokenPurpose(enum.StrEnum):
    INVITE = "invite"
    RESET = "reset"


class AuthToken(Base):
    """A single-use, expiring link; `used_at` or `revoked_at` set means it is spent."""

    __tablename__ = "auth_token"
    __table_args__ = (
        UniqueConstraint("token_hash"),
        # The composite key makes a token's user belong to the token's account.
        ForeignKeyConstraint(
            ["account_id", "user_id"],
            ["user_account.account_id", "user_account.id"],
            name="fk_auth_token_user",
            ondelete="CASCADE",
        ),
        Index("ix_auth_token_user", "account_id", "user_id", "purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    user_id: Mapped[int]
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
