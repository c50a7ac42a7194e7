"""Push runs of on-premise connectors and the batches staged for them until they are applied."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from seatbridge.db.base import Base, utcnow


class RunStatus(enum.StrEnum):
    OPEN = "open"  # receiving batches
    APPLYING = "applying"  # a commit is applying it (the environment's sync lease is held)
    APPLIED = "applied"  # done: the staged batches are gone, the outcome stays
    FAILED = "failed"  # could not be applied, or superseded by a newer run


class IngestRun(Base):
    """One push of a connector: what it read (full or since which watermark) and its outcome."""

    __tablename__ = "ingest_run"
    __table_args__ = (
        UniqueConstraint("account_id", "id"),
        UniqueConstraint("account_id", "environment_id", "connector_run_id"),
        ForeignKeyConstraint(
            ["account_id", "environment_id"],
            ["environment.account_id", "environment.id"],
            name="fk_ingest_run_environment",
            ondelete="CASCADE",
        ),
        Index("ix_ingest_run_environment", "account_id", "environment_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    environment_id: Mapped[int]
    # Chosen by the connector (a UUID): reopening with it finds this run again.
    connector_run_id: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.OPEN.value)
    actor: Mapped[str] = mapped_column(String(200))
    confirm: Mapped[bool] = mapped_column(default=False)
    # Per entity: {"full": bool, "since": watermark | null, "next": watermark}.
    entities: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Per entity, from the last commit: {"records": n, "keys": n | null, "count": n}.
    totals: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    keys_required: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Filled as the commit goes: the collaborators' sync run first, then the replication.
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]


class IngestBatch(Base):
    """One batch of a run as received: gzip-compressed canonical JSON rows."""

    __tablename__ = "ingest_batch"
    __table_args__ = (
        UniqueConstraint("run_id", "entity", "kind", "sequence"),
        ForeignKeyConstraint(
            ["account_id", "run_id"],
            ["ingest_run.account_id", "ingest_run.id"],
            name="fk_ingest_batch_run",
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    run_id: Mapped[int]
    entity: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(10))  # "records" or "keys"
    sequence: Mapped[int]
    # A hash of the batch's content: the same batch sent again has the same id.
    batch_id: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int]
    fields: Mapped[list[str] | None] = mapped_column(JSON)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
