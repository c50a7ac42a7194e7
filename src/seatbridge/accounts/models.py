"""Accounts (tenants), their applied activation codes and environments (Sage 100 companies)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from seatbridge.db.base import Base, utcnow


class SourceMode(enum.StrEnum):
    DIRECT = "direct"  # the server reads the Sage 100 database itself
    CONNECTOR = "connector"  # an on-premise connector pushes change batches


class OnDormant(enum.StrEnum):
    FLAG = "flag"
    DEACTIVATE = "deactivate"


class Account(Base):
    """A customer of the SaaS. Seat counters are kept in step by seatbridge.accounts.seats only."""

    __tablename__ = "account"
    __table_args__ = (
        CheckConstraint("seats_used >= 0", name="seats_used_not_negative"),
        CheckConstraint("seats >= 0", name="seats_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Terms of the activation code in force (NULL until the first code is applied).
    edition: Mapped[str | None] = mapped_column(String(20))
    seats: Mapped[int] = mapped_column(default=0)
    seats_used: Mapped[int] = mapped_column(default=0)
    max_environments: Mapped[int] = mapped_column(default=0)
    license_serial: Mapped[str | None] = mapped_column(String(64))
    license_issued_on: Mapped[dt.date | None]
    license_expires_on: Mapped[dt.date | None]
    license_grace_days: Mapped[int] = mapped_column(default=0)
    activated_at: Mapped[dt.datetime | None]
    # Off by default (rule 17): a user an identity provider creates over SCIM with no matching
    # collaborator waits for review. On, the admin trusts the IdP: such users are confirmed as
    # SSM-only at once (Okta's "auto-confirm" of imports).
    scim_confirm_unmatched: Mapped[bool] = mapped_column(default=False)


class AppliedLicense(Base):
    """Every activation code ever applied to an account: the history behind Account's terms."""

    __tablename__ = "applied_license"
    __table_args__ = (UniqueConstraint("account_id", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    serial: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(Text)
    key_id: Mapped[str] = mapped_column(String(64))
    customer: Mapped[str] = mapped_column(String(200))
    edition: Mapped[str] = mapped_column(String(20))
    seats: Mapped[int]
    max_environments: Mapped[int]
    issued_on: Mapped[dt.date]
    expires_on: Mapped[dt.date]
    grace_days: Mapped[int]
    applied_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    applied_by: Mapped[str] = mapped_column(String(200))


class Environment(Base):
    """One connected Sage 100 company of an account."""

    __tablename__ = "environment"
    __table_args__ = (
        UniqueConstraint("account_id", "name"),
        UniqueConstraint("account_id", "id"),
        CheckConstraint("seats_used >= 0", name="seats_used_not_negative"),
        CheckConstraint("seat_cap IS NULL OR seat_cap >= 0", name="seat_cap_not_negative"),
        CheckConstraint("sync_interval_minutes >= 1", name="sync_interval_at_least_a_minute"),
        CheckConstraint("probe_seconds >= 1", name="probe_at_least_a_second"),
        Index("ix_environment_account", "account_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    mode: Mapped[str] = mapped_column(String(20), default=SourceMode.DIRECT.value)
    source_url: Mapped[str | None] = mapped_column(Text)
    seat_cap: Mapped[int | None]
    # Seats held by users whose home environment this is (for the advanced edition's caps).
    seats_used: Mapped[int] = mapped_column(default=0)
    on_dormant: Mapped[str] = mapped_column(String(20), default=OnDormant.FLAG.value)
    # Off by default (rule 16): new salespeople are only invited by an admin's action.
    auto_invite_salespeople: Mapped[bool] = mapped_column(default=False)
    full_sync_interval_hours: Mapped[int] = mapped_column(default=24)
    # Scheduling (seatbridge.jobs): each environment syncs on its own interval, never twice at once.
    sync_interval_minutes: Mapped[int] = mapped_column(default=15)
    next_sync_at: Mapped[dt.datetime | None]
    # Connected by the activation wizard and not synced yet: the scheduler leaves it alone until
    # the admin starts its first sync from the wizard (so step 3 shows the run that happened).
    awaiting_first_sync: Mapped[bool] = mapped_column(default=False, server_default=false())
    sync_lease_owner: Mapped[str | None] = mapped_column(String(100))
    sync_lease_until: Mapped[dt.datetime | None]
    # When the holder took the lease, its last heartbeat, what it is doing (seatbridge.jobs.lease).
    sync_lease_since: Mapped[dt.datetime | None]
    sync_lease_beat_at: Mapped[dt.datetime | None]
    sync_progress: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    sync_failures: Mapped[int] = mapped_column(default=0)
    # Live sync (seatbridge.jobs.live): a cheap change probe every probe_seconds; a delta runs
    # only when it saw a change. The last look's result, and since when the copy is known to be
    # in step with Sage 100 ("à jour il y a N s").
    probe_seconds: Mapped[int] = mapped_column(default=5)
    next_probe_at: Mapped[dt.datetime | None]
    probed_at: Mapped[dt.datetime | None]
    probe_status: Mapped[str | None] = mapped_column(String(20))
    probe_error: Mapped[str | None] = mapped_column(Text)
    probe_failures: Mapped[int] = mapped_column(default=0)
    probe_token: Mapped[str | None] = mapped_column(String(200))
    probe_fingerprint: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    probe_changed_at: Mapped[dt.datetime | None]
    in_step_at: Mapped[dt.datetime | None]
    last_sync_at: Mapped[dt.datetime | None]
    last_sync_status: Mapped[str | None] = mapped_column(String(20))
    last_sync_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
