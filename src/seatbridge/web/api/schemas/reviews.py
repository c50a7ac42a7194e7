"""The manual verification queue (rule 17, 20)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, model_validator

from seatbridge.web.api.pagination import Page
from seatbridge.web.api.schemas.common import Id, ReadSchema, Schema


class CandidateRead(ReadSchema):
    environment_id: int
    co_no: int
    name: str | None = None
    email: str | None = None
    function: str | None = None
    score: float | None = None


class ReviewCaseRead(ReadSchema):
    id: int
    kind: str
    status: str
    user_id: int | None
    environment_id: int | None
    email: str | None
    candidates: list[CandidateRead]
    detail: dict[str, Any]
    opened_at: dt.datetime
    opened_by: str
    resolved_at: dt.datetime | None
    resolved_by: str | None
    resolution: str | None


class ReviewCasePage(Page[ReviewCaseRead]):
    pass


class ReviewResolution(Schema):
    action: Literal["link", "ssm_only", "invite", "dismiss"] = Field(
        description=(
            "`link` to a collaborator (environment_id, co_no), confirm as `ssm_only`, `invite` a "
            "user who waited for a seat, or `dismiss` a shared e-mail / collision case."
        )
    )
    environment_id: Id | None = None
    co_no: Id | None = None

    @model_validator(mode="after")
    def _link_names_a_collaborator(self) -> ReviewResolution:
        if (self.action == "link") != (self.environment_id is not None and self.co_no is not None):
            raise ValueError("environment_id and co_no go with action 'link', and only with it")
        return self
