"""What identity providers (clients of `scim` keys) know a user by: userName, externalId.

A user that SCIM never touched has no row: its SCIM userName is its e-mail. A SCIM DELETE keeps
the user (disabled, history intact) and sets `deleted_at`, which hides it from SCIM until the
identity provider creates the same person again.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from seatbridge.db.base import Base, utcnow


class ScimIdentity(Base):
    __tablename__ = "scim_identity"
    __table_args__ = (
        UniqueConstraint("account_id", "user_name_normalized"),
        UniqueConstraint("user_id"),
        ForeignKeyConstraint(
            ["account_id", "user_id"],
            ["user_account.account_id", "user_account.id"],
            name="fk_scim_identity_user",
            ondelete="CASCADE",
        ),
        Index("ix_scim_identity_external", "account_id", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    user_id: Mapped[int]
    user_name: Mapped[str] = mapped_column(String(320))
    # userName is case-insensitive (RFC 7643 §4.1): one folded form for lookups and uniqueness.
    user_name_normalized: Mapped[str] = mapped_column(String(320))
    external_id: Mapped[str | None] = mapped_column(String(255))
    # How the identity provider described the e-mail it gave (echoed back, as SCIM expects).
    email_type: Mapped[str | None] = mapped_column(String(20))
    email_primary: Mapped[bool | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[dt.datetime | None]
