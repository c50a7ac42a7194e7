"""Users of an account, and the links (environment, CO_No) -> user."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from seatbridge.db.base import Base, utcnow


class Role(enum.StrEnum):
    SALESREP = "salesrep"
    MANAGER = "manager"
    ADMIN = "admin"


class UserStatus(enum.StrEnum):
    PENDING_REVIEW = "pending_review"
    INVITED = "invited"
    ACTIVE = "active"
    DISABLED = "disabled"

    @property
    def holds_seat(self) -> bool:
        return self in SEAT_HOLDING


SEAT_HOLDING = frozenset({UserStatus.INVITED, UserStatus.ACTIVE})


class User(Base):
    """One person of an account: one login, at most one licence (seat)."""

    __tablename__ = "user_account"
    __table_args__ = (
        UniqueConstraint("account_id", "email_normalized"),
        UniqueConstraint("account_id", "id"),
        ForeignKeyConstraint(
            ["account_id", "home_environment_id"],
            ["environment.account_id", "environment.id"],
            name="fk_user_account_home_environment",
        ),
        Index("ix_user_account_status", "account_id", "status"),
        # SCIM's `filter=userName eq` in one index probe (see web/scim/views.py).
        Index(
            "ix_user_account_scim_user_name",
            "account_id",
            text("coalesce(scim_user_name, email_normalized)"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320))
    email_normalized: Mapped[str] = mapped_column(String(320))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    function: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    mobile: Mapped[str | None] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(20), default=Role.SALESREP.value)
    status: Mapped[str] = mapped_column(String(20))
    home_environment_id: Mapped[int | None]
    locale: Mapped[str] = mapped_column(String(10), default="fr")
    source: Mapped[str] = mapped_column(String(20))
    # An admin chose "SSM only": never linked by e-mail, at creation or by a later sync.
    ssm_only: Mapped[bool] = mapped_column(default=False)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    activated_at: Mapped[dt.datetime | None]
    disabled_at: Mapped[dt.datetime | None]
    # The normalised userName an identity provider gave (scim_identity keeps it as sent); NULL
    # while SCIM never named the user, whose userName is then their e-mail.
    scim_user_name: Mapped[str | None] = mapped_column(String(320))
    # Hidden from SCIM by a SCIM DELETE (scim_identity.deleted_at says when).
    scim_hidden: Mapped[bool] = mapped_column(default=False, server_default=false())

    @property
    def display_name(self) -> str:
        names = " ".join(part for part in (self.first_name, self.last_name) if part)
        return names or self.email


class CollaboratorLink(Base):
    """(environment, CO_No) -> user: once linked, syncs follow this, not the e-mail."""

    __tablename__ = "collaborator_link"
    __table_args__ = (
        UniqueConstraint("environment_id", "co_no"),
        UniqueConstraint("environment_id", "user_id"),
        ForeignKeyConstraint(
            ["account_id", "environment_id"],
            ["environment.account_id", "environment.id"],
            name="fk_collaborator_link_environment",
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["account_id", "user_id"],
            ["user_account.account_id", "user_account.id"],
            name="fk_collaborator_link_user",
            ondelete="CASCADE",
        ),
        Index("ix_collaborator_link_user", "account_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    environment_id: Mapped[int]
    co_no: Mapped[int]
    user_id: Mapped[int]
    linked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    linked_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(200))
