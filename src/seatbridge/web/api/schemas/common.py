"""Shared field types: bounded, printable text (what the store can hold) and ids."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from seatbridge.web.api.auth import MAX_ID

# No control characters (NUL breaks PostgreSQL text, the others are never meant).
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Checked by the directory (rule 2), which keeps the address as typed: the format is a hint.
Email = Annotated[
    str,
    Field(min_length=3, max_length=320, pattern=PRINTABLE, json_schema_extra={"format": "email"}),
]
Name = Annotated[str, Field(max_length=100, pattern=PRINTABLE)]


class Schema(BaseModel):
    """Bodies refuse unknown members, so a misspelt field is an error, not a silent no-op."""

    model_config = ConfigDict(extra="forbid")


class ReadSchema(BaseModel):
    model_config = ConfigDict(from_attributes=True)
