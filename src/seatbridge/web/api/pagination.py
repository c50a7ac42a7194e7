"""Keyset (cursor) pagination: `limit`, an opaque `cursor`, and `next_cursor` in each page.

A cursor holds the sort key of the last item sent, so a page is one indexed range scan whatever
its depth, and rows added meanwhile never shift the pages.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from seatbridge.web.api.errors import InvalidCursor

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_KEY = 2**62

T = TypeVar("T")

Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT}).")
]
Cursor = Annotated[
    str | None,
    Query(
        max_length=100,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="`next_cursor` of the previous page; leave out for the first page.",
    ),
]


class Page(BaseModel, Generic[T]):
    items: list[T]
    limit: int
    next_cursor: str | None = None


def encode_cursor(after: int) -> str:
    raw = json.dumps({"after": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The key after which the page starts, or None for the first page."""
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        after = json.loads(base64.urlsafe_b64decode(padded.encode()))["after"]
    except (ValueError, TypeError, KeyError):
        raise InvalidCursor() from None
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= MAX_KEY:
        raise InvalidCursor()
    return after


def next_cursor(keys: Sequence[int], limit: int) -> str | None:
    """Queries fetch `limit + 1` rows: the extra one only says that another page exists."""
    return encode_cursor(keys[limit - 1]) if len(keys) > limit else None
