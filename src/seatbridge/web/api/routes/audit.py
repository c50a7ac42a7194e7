"""GET /audit: who changed what, when (rule 23), newest first."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request

from seatbridge.web.api import pagination, queries
from seatbridge.web.api.auth import Reader
from seatbridge.web.api.problems import problem_responses
from seatbridge.web.api.schemas.audit import AuditEventRead, AuditPage
from seatbridge.web.api.schemas.common import PRINTABLE
from seatbridge.web.state import web_state

router = APIRouter(tags=["audit"])
Exact = Annotated[str | None, Query(max_length=200, pattern=PRINTABLE)]


@router.get("/audit", responses=problem_responses(422))
def list_audit_events(
    request: Request,
    caller: Reader,
    action: Exact = None,
    actor: Exact = None,
    subject_type: Exact = None,
    subject_id: Exact = None,
    since: Annotated[
        dt.datetime | None, Query(description="From (inclusive); UTC if naive.")
    ] = None,
    until: Annotated[dt.datetime | None, Query(description="Until (exclusive).")] = None,
    limit: pagination.Limit = pagination.DEFAULT_LIMIT,
    cursor: pagination.Cursor = None,
) -> AuditPage:
    """Events of the account, filtered by exact action (e.g. `user.deactivate`), actor,
    subject and time."""
    after = pagination.decode_cursor(cursor)
    with web_state(request).sessions.begin() as session:
        events = queries.audit_page(
            session,
            account_id=caller.account_id,
            after=after,
            limit=limit,
            action=action,
            actor=actor,
            subject_type=subject_type,
            subject_id=subject_id,
            since=_utc(since),
            until=_utc(until),
        )
        return AuditPage(
            items=[AuditEventRead.model_validate(event) for event in events[:limit]],
            limit=limit,
            next_cursor=pagination.next_cursor([event.id for event in events], limit),
        )


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
