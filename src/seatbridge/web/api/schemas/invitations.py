"""Invitations: a batch (all or nothing, seats included), re-sending, revoking."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from seatbridge.web.api.schemas.common import PRINTABLE, Email, Id, Name, ReadSchema, Schema
from seatbridge.web.api.schemas.reviews import ReviewCaseRead
from seatbridge.web.api.schemas.users import SSM_ONLY_HELP, UserRead


class Invitee(Schema):
    email: Email
    first_name: Name | None = None
    last_name: Name | None = None
    locale: Literal["fr", "en"] = "fr"
    home_environment_id: Id | None = None


class InvitationCreate(Schema):
    people: Annotated[list[Invitee], Field(min_length=1, max_length=100)]
    ssm_only: bool = Field(default=False, description=SSM_ONLY_HELP)
    ssm_only_reason: Annotated[str, Field(max_length=200, pattern=PRINTABLE)] = Field(
        default="", description="Why SSM-only, kept in the audit log."
    )


class UserIds(Schema):
    user_ids: Annotated[list[Id], Field(min_length=1, max_length=100)]


class InvitationResult(ReadSchema):
    users: list[UserRead]
    review_cases: list[ReviewCaseRead] = Field(
        default_factory=list,
        description="The manual verifications opened for people no single collaborator matched.",
    )
