"""Users of the account: read, create (rule 17), update role and status, explain."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field

from seatbridge.directory.models import Role
from seatbridge.web.api.pagination import Page
from seatbridge.web.api.schemas.common import PRINTABLE, Email, Name, ReadSchema, Schema
from seatbridge.web.api.schemas.reviews import ReviewCaseRead


class LinkRead(ReadSchema):
    environment_id: int
    co_no: int
    linked_at: dt.datetime
    linked_by: str
    reason: str


class UserRead(ReadSchema):
    id: int
    email: str
    first_name: str | None
    last_name: str | None
    display_name: str
    function: str | None
    phone: str | None
    mobile: str | None
    role: str
    status: str
    holds_seat: bool
    home_environment_id: int | None
    locale: str
    source: str
    created_at: dt.datetime
    updated_at: dt.datetime
    activated_at: dt.datetime | None
    disabled_at: dt.datetime | None
    links: list[LinkRead]


class UserPage(Page[UserRead]):
    pass


SSM_ONLY_HELP = (
    "Invite without any link to Sage 100, now or by a later sync, even when a collaborator has "
    "this e-mail (audited as `user.ssm_only`). By default rule 17 applies: exactly one "
    "collaborator with the e-mail links at once, none or several opens a manual verification."
)


class UserCreate(Schema):
    email: Email
    first_name: Name | None = None
    last_name: Name | None = None
    locale: Literal["fr", "en"] = "fr"
    ssm_only: bool = Field(default=False, description=SSM_ONLY_HELP)
    ssm_only_reason: Annotated[str, Field(max_length=200, pattern=PRINTABLE)] = Field(
        default="", description="Why SSM-only, kept in the audit log."
    )


class UserCreated(ReadSchema):
    user: UserRead
    review_case: ReviewCaseRead | None = Field(
        description="The manual verification opened when no single collaborator matched."
    )


class UserUpdate(Schema):
    role: Role | None = Field(default=None, description="Once the user has accepted.")
    status: Literal["active", "disabled"] | None = Field(
        default=None,
        description=(
            "`disabled` frees the seat; `active` re-activates (taking a seat): the user becomes "
            "active again, or invited if they never accepted."
        ),
    )


class ExplainedUser(ReadSchema):
    id: int
    email: str
    name: str
    role: str
    status: str
    source: str
    created_at: str


class ExplainedLink(ReadSchema):
    environment: str
    co_no: int
    collaborator: str
    linked_at: str
    linked_by: str
    reason: str
    sage_state: str
    home: bool


class ExplainedCase(ReadSchema):
    id: int
    kind: str
    status: str
    opened_at: str
    resolution: str | None
    resolved_by: str | None


class ExplainedEvent(ReadSchema):
    at: str
    actor: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ExplainRead(ReadSchema):
    user: ExplainedUser
    summary: str
    links: list[ExplainedLink]
    review_cases: list[ExplainedCase]
    history: list[ExplainedEvent]
