"""The audit log (rule 23)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from seatbridge.web.api.pagination import Page
from seatbridge.web.api.schemas.common import ReadSchema


class AuditEventRead(ReadSchema):
    id: int
    occurred_at: dt.datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditPage(Page[AuditEventRead]):
    pass
