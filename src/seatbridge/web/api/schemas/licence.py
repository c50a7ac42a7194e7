"""The licence in force and the seat pool (rules 5-9)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from seatbridge.web.api.schemas.common import ReadSchema


class EnvironmentSeatsRead(ReadSchema):
    environment_id: int
    name: str
    seat_cap: int | None
    seats_used: int


class LicenceRead(ReadSchema):
    edition: str | None
    licence_state: Literal["none", "valid", "grace", "expired"]
    expires_on: dt.date | None
    grace_days: int
    max_environments: int
    seats_total: int
    seats_used: int
    seats_free: int
    over_quota: bool
    can_assign: bool
    environments: list[EnvironmentSeatsRead]
