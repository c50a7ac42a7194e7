"""The connector protocol's messages, shared by the connector (client) and the server.

Dates of Sage rows and watermarks are Sage server-local times without a zone, as Sage stores
them; the server's own times (opened_at, last_full_at) are UTC.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Final, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from seatbridge.sage100.records import Watermark

PROTOCOL: Final = 1
EntityName = Literal["collaborators", "customers", "document_headers", "document_lines"]
ENTITY_NAMES: Final[tuple[EntityName, ...]] = get_args(EntityName)
BatchKind = Literal["records", "keys"]
RunState = Literal["open", "applying", "applied", "failed"]

MAX_BATCH_ROWS: Final = 10_000
MAX_BODY_BYTES: Final = 16 * 1024 * 1024  # as sent (gzip-compressed or not)
MAX_DECODED_BYTES: Final = 64 * 1024 * 1024  # once decompressed
BATCH_ID_PATTERN: Final = r"^[0-9a-f]{32}$"


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WireWatermark(WireModel):
    modified_since: dt.datetime | None = None  # MAX(cbModification), Sage local time
    max_cbmarq: int = Field(default=0, ge=0)

    @field_validator("modified_since")
    @classmethod
    def _local_time(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and value.tzinfo is not None:
            raise ValueError("a Sage time has no zone (send it as Sage stores it)")
        return value

    def to_watermark(self) -> Watermark:
        return Watermark(self.modified_since, self.max_cbmarq)

    @classmethod
    def of(cls, watermark: Watermark) -> WireWatermark:
        return cls(modified_since=watermark.modified_since, max_cbmarq=watermark.max_cbmarq)


class EntityPlan(WireModel):
    """How the connector reads one entity in a run."""

    full: bool  # every row (the server may then detect deletions from the rows themselves)
    since: WireWatermark | None = None  # where a delta read starts (None on a full read)
    next: WireWatermark  # taken before reading: where the next run will start

    @model_validator(mode="after")
    def _since_matches_full(self) -> EntityPlan:
        if self.full and self.since is not None:
            raise ValueError("a full read has no 'since' watermark")
        if not self.full and self.since is None:
            raise ValueError("a delta read needs its 'since' watermark")
        return self


def _every_entity(entities: dict[EntityName, Any]) -> None:
    missing = [name for name in ENTITY_NAMES if name not in entities]
    if missing:
        raise ValueError(f"every entity is pushed in a run; missing: {', '.join(missing)}")


class RunOpen(WireModel):
    protocol: int = PROTOCOL
    connector_run_id: uuid.UUID
    confirm: bool = False  # apply the collaborators even past the safety brake
    entities: dict[EntityName, EntityPlan]

    @model_validator(mode="after")
    def _complete(self) -> RunOpen:
        if self.protocol != PROTOCOL:
            raise ValueError(f"this server speaks protocol {PROTOCOL}, not {self.protocol}")
        _every_entity(self.entities)
        return self


class BatchIn(WireModel):
    """Rows of one entity: records (with their field names) or keys ([key..., cbMarq])."""

    batch_id: str = Field(pattern=BATCH_ID_PATTERN)
    entity: EntityName
    kind: BatchKind
    sequence: int = Field(ge=0, le=10_000_000)
    fields: list[str] | None = Field(default=None, max_length=100)
    rows: list[list[Any]] = Field(min_length=1, max_length=MAX_BATCH_ROWS)


class BatchAck(WireModel):
    status: Literal["staged", "duplicate"]
    rows: int


class EntityTotals(WireModel):
    records: int = Field(ge=0)  # record batches sent: sequences 0 .. records-1
    keys: int | None = Field(default=None, ge=0)  # key batches sent; None: no key scan sent
    count: int = Field(ge=0)  # rows of the entity in Sage 100 after the read


class RunCommit(WireModel):
    entities: dict[EntityName, EntityTotals]

    @model_validator(mode="after")
    def _complete(self) -> RunCommit:
        _every_entity(self.entities)
        return self


class RunView(WireModel):
    id: int
    connector_run_id: uuid.UUID
    status: RunState
    confirm: bool
    opened_at: dt.datetime
    entities: dict[EntityName, EntityPlan]
    # Batch ids received, by entity, kind and sequence (to skip them when resuming).
    received: dict[EntityName, dict[BatchKind, dict[int, str]]]
    # What the last commit announced (None before the first commit).
    totals: dict[EntityName, EntityTotals] | None
    keys_required: list[EntityName]
    outcome: dict[str, Any]
    error: str | None


class EntityState(WireModel):
    watermark: WireWatermark | None  # None: nothing applied yet (the next read is full)
    last_full_at: dt.datetime | None
    full_due: bool


class ConnectorLimits(WireModel):
    max_batch_rows: int = MAX_BATCH_ROWS
    max_body_bytes: int = MAX_BODY_BYTES
    max_decoded_bytes: int = MAX_DECODED_BYTES


class StateView(WireModel):
    """What the server last applied for the environment: where a connector resumes."""

    protocol: int = PROTOCOL
    environment_id: int
    environment: str
    entities: dict[EntityName, EntityState]
    open_run: int | None
    limits: ConnectorLimits = Field(default_factory=ConnectorLimits)


class CommitView(WireModel):
    # keys_required: send the key scans of run.keys_required, then commit again.
    status: Literal["applied", "keys_required"]
    run: RunView
    state: StateView | None = None  # once applied
