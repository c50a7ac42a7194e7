"""Tables of the sync engine: the collaborator mirror, watermarks, runs and review cases."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from seatbridge.db.base import Base, utcnow
from seatbridge.i18n import N_, Text

SAGE_TIME = DateTime(timezone=False)  # Sage stores server-local times without a zone


class NotInvitable(enum.StrEnum):
    """Why a collaborator cannot be invited (shown to admins beside the collaborator)."""

    NO_EMAIL = "no_email"
    INVALID_EMAIL = "invalid_email"
    SEVERAL_EMAILS = "several_emails"
    SHARED_EMAIL = "shared_email"
    DORMANT = "dormant"
    DELETED = "deleted"
    ALREADY_USER = "already_user"

    @property
    def label(self) -> Text:
        return Text(NOT_INVITABLE_LABELS[self])


NOT_INVITABLE_LABELS = {
    NotInvitable.NO_EMAIL: N_("pas d'adresse e-mail"),
    NotInvitable.INVALID_EMAIL: N_("adresse e-mail invalide"),
    NotInvitable.SEVERAL_EMAILS: N_("plusieurs adresses dans le même champ"),
    NotInvitable.SHARED_EMAIL: N_("adresse partagée avec un autre collaborateur"),
    NotInvitable.DORMANT: N_("en sommeil dans Sage 100"),
    NotInvitable.DELETED: N_("supprimé dans Sage 100"),
    NotInvitable.ALREADY_USER: N_("déjà utilisateur"),
}


class Collaborator(Base):
    """The mirror of one environment's F_COLLABORATEUR, with what seatbridge concludes of it."""

    __tablename__ = "collaborator"
    __table_args__ = (
        UniqueConstraint("environment_id", "co_no"),
        ForeignKeyConstraint(
            ["account_id", "environment_id"],
            ["environment.account_id", "environment.id"],
            name="fk_collaborator_environment",
            ondelete="CASCADE",
        ),
        Index("ix_collaborator_email", "account_id", "email_normalized"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    environment_id: Mapped[int]
    co_no: Mapped[int]
    cb_marq: Mapped[int]
    last_name: Mapped[str | None] = mapped_column(String(35))
    first_name: Mapped[str | None] = mapped_column(String(35))
    function: Mapped[str | None] = mapped_column(String(35))
    phone: Mapped[str | None] = mapped_column(String(21))
    mobile: Mapped[str | None] = mapped_column(String(21))
    email: Mapped[str | None] = mapped_column(String(69))
    email_normalized: Mapped[str | None] = mapped_column(String(69))
    is_salesperson: Mapped[bool] = mapped_column(default=False)
    dormant: Mapped[bool | None]
    modified_at: Mapped[dt.datetime | None] = mapped_column(SAGE_TIME)
    deleted_at: Mapped[dt.datetime | None]
    not_invitable: Mapped[str | None] = mapped_column(String(20))
    first_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SyncWatermark(Base):
    """Per environment and entity: where the next incremental read starts."""

    __tablename__ = "sync_watermark"
    __table_args__ = (
        UniqueConstraint("environment_id", "entity"),
        ForeignKeyConstraint(
            ["account_id", "environment_id"],
            ["environment.account_id", "environment.id"],
            name="fk_sync_watermark_environment",
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    environment_id: Mapped[int]
    entity: Mapped[str] = mapped_column(String(30))
    modified_since: Mapped[dt.datetime | None] = mapped_column(SAGE_TIME)
    max_cb_marq: Mapped[int] = mapped_column(default=0)
    last_full_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The rows the entity's last run set aside or cleaned (commerce entities; collaborators keep
    # theirs on their sync_run): what « Qualité des données Sage 100 » lists.
    rows_report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The rows the last delta saw at settled stamps (seatbridge.sage100.records.Seen, as dicts):
    # the next delta skips them while they are still exactly those (bulk stamps not re-read).
    seen: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)


class RunStatus(enum.StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    PREVIEW = "preview"  # dry run: planned, nothing applied
    BLOCKED = "blocked"  # safety brake: waits for an admin's confirmation
    FAILED = "failed"


class SyncRun(Base):
    __tablename__ = "sync_run"
    __table_args__ = (
        ForeignKeyConstraint(
            ["account_id", "environment_id"],
            ["environment.account_id", "environment.id"],
            name="fk_sync_run_environment",
            ondelete="CASCADE",
        ),
        Index("ix_sync_run_environment", "account_id", "environment_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    environment_id: Mapped[int]
    full: Mapped[bool]
    dry_run: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    records_read: Mapped[int] = mapped_column(default=0)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    actions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(String(2000))
    # Rows set aside or cleaned, per Sage table (seatbridge.sage100.screening.RowReport).
    rows_report: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class CaseKind(enum.StrEnum):
    NO_MATCH = "no_match"  # a user created in SSM matches no collaborator
    SEVERAL_MATCHES = "several_matches"  # ... or several
    SHARED_EMAIL = "shared_email"  # two collaborators of one company share an e-mail
    EMAIL_COLLISION = "email_collision"  # a linked user's new Sage e-mail is another user's
    AWAITING_SEAT = "awaiting_seat"  # linked by a sync, but no seat was free to invite them


CASE_KIND_LABELS = {
    CaseKind.NO_MATCH.value: N_("Aucun collaborateur ne correspond"),
    CaseKind.SEVERAL_MATCHES.value: N_("Plusieurs collaborateurs correspondent"),
    CaseKind.SHARED_EMAIL.value: N_("Adresse partagée dans Sage 100"),
    CaseKind.EMAIL_COLLISION.value: N_("Nouvelle adresse déjà utilisée"),
    CaseKind.AWAITING_SEAT.value: N_("En attente d'une licence"),
}


class CaseStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class ReviewCase(Base):
    """A manual verification: never resolved silently, only by an admin or an exact match."""

    __tablename__ = "review_case"
    __table_args__ = (
        Index("ix_review_case_open", "account_id", "status"),
        Index("ix_review_case_user", "account_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), default=CaseStatus.OPEN.value)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    environment_id: Mapped[int | None] = mapped_column(
        ForeignKey("environment.id", ondelete="CASCADE")
    )
    email_normalized: Mapped[str | None] = mapped_column(String(320))
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    opened_by: Mapped[str] = mapped_column(String(200))
    resolved_at: Mapped[dt.datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    resolution: Mapped[str | None] = mapped_column(String(30))
