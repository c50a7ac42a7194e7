"""Environments (Sage 100 companies), their sync runs and their collaborator mirror."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field

from seatbridge.accounts.models import OnDormant, SourceMode
from seatbridge.web.api.pagination import Page
from seatbridge.web.api.schemas.common import PRINTABLE, ReadSchema, Schema


class EnvironmentCreate(Schema):
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=PRINTABLE)]
    mode: SourceMode = SourceMode.DIRECT
    source_url: Annotated[str | None, Field(max_length=2000, pattern=PRINTABLE)] = Field(
        default=None,
        description="SQLAlchemy URL of the Sage 100 database (direct mode). Never returned.",
    )
    seat_cap: Annotated[int | None, Field(ge=0, le=1_000_000)] = None
    on_dormant: OnDormant = OnDormant.FLAG


class EnvironmentRead(ReadSchema):
    id: int
    name: str
    mode: str
    seat_cap: int | None
    seats_used: int
    on_dormant: str
    auto_invite_salespeople: bool
    full_sync_interval_hours: int
    probe_seconds: int = Field(description="How often the server looks for changes in Sage 100.")
    sync_interval_minutes: int = Field(
        description="Incremental sync at least this often, whatever the probe says."
    )
    in_step_at: dt.datetime | None = Field(
        default=None, description="Until this moment, the copy is known to match Sage 100."
    )
    probed_at: dt.datetime | None = None
    probe_status: str | None = Field(
        default=None, description="The last look: unchanged, synced, changed or failed."
    )
    last_sync_at: dt.datetime | None = None
    last_sync_status: str | None = None
    created_at: dt.datetime


class EnvironmentUpdate(Schema):
    """The cadences of an environment's sync (absent: unchanged)."""

    probe_seconds: Annotated[int | None, Field(ge=1, le=3600)] = None
    sync_interval_minutes: Annotated[int | None, Field(ge=1, le=7 * 24 * 60)] = None
    full_sync_interval_hours: Annotated[int | None, Field(ge=1, le=24 * 31)] = None


class EnvironmentList(ReadSchema):
    items: list[EnvironmentRead]


class SyncRequest(Schema):
    dry_run: bool = Field(default=False, description="Plan only: record a preview, change nothing.")
    full: bool = Field(default=False, description="Read every collaborator (detects deletions).")
    confirm: bool = Field(default=False, description="Apply even past the safety brake (rule 21).")
    collaborators_only: bool = Field(
        default=False,
        description="Sync the collaborators only, not the customers and sales documents.",
    )


class SyncRunRead(ReadSchema):
    id: int
    environment_id: int
    status: str
    full: bool
    dry_run: bool
    actor: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    records_read: int
    counts: dict[str, int]
    error: str | None


class SyncRunDetail(SyncRunRead):
    actions: list[dict[str, Any]]
    rows_report: dict[str, Any] | None = Field(
        default=None,
        description=(
            "Sage 100 rows set aside or cleaned, per table: counts per reason, the first 200 "
            "rows (cbMarq, column, reason, French detail) and the missing optional columns."
        ),
    )


class SyncRunPage(Page[SyncRunRead]):
    pass


class CollaboratorRead(ReadSchema):
    co_no: int
    first_name: str | None
    last_name: str | None
    function: str | None
    email: str | None
    is_salesperson: bool
    dormant: bool | None
    deleted: bool
    invitable: bool
    not_invitable: str | None = Field(description="Why it cannot be invited, when it cannot.")
    user_id: int | None = Field(description="The user it is linked to, if any.")


class CollaboratorPage(Page[CollaboratorRead]):
    pass


class QualityItemRead(Schema):
    table: str = Field(description="The Sage 100 table to fix it in.")
    key: str = Field(description="The row: CO_No, CT_Num, DO_Piece or cbMarq.")
    name: str | None
    problem: str
    fix: str = Field(description="The Sage field to correct.")


class QualitySectionRead(Schema):
    kind: str = Field(
        description="collaborators | rows_set_aside | customers_without_rep | documents_without_rep"
    )
    title: str
    count: int = Field(description="All of them; `items` lists the first 200.")
    items: list[QualityItemRead]


class QualityReportRead(Schema):
    environment_id: int
    environment: str
    problems: int
    sections: list[QualitySectionRead]
