"""API keys: only the SHA-256 of the secret is stored, with the public id that finds it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from seatbridge.apikeys.scim import ScimIdentity
from seatbridge.apikeys.scopes import Scope, ScopeKind
from seatbridge.db.base import Base, utcnow


class ApiKey(Base):
    __tablename__ = "api_key"
    __table_args__ = (
        ForeignKeyConstraint(
            ["account_id", "environment_id"],
            ["environment.account_id", "environment.id"],
            name="fk_api_key_environment",
            ondelete="CASCADE",
        ),
        Index("ix_api_key_account", "account_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    # The key's name in lists and on the command line; also inside the token (sbk_<id>_<secret>).
    public_id: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    scope_kind: Mapped[str] = mapped_column(String(20))
    # Set for connector keys only: the one environment they reach.
    environment_id: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(String(200))

    @property
    def scope(self) -> Scope:
        return Scope(ScopeKind(self.scope_kind), self.environment_id)

    @property
    def active(self) -> bool:
        return self.revoked_at is None


__all__ = ["ApiKey", "ScimIdentity"]
