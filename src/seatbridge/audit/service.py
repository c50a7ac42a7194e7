"""Recording audit events (in the caller's transaction, so a rolled-back change leaves none)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from seatbridge.audit.models import AuditEvent
from seatbridge.db.base import table_of, utcnow


def record(
    session: Session,
    *,
    account_id: int,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        account_id=account_id,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        before=before,
        after=after,
    )
    session.add(event)
    return event


def record_many(session: Session, events: Sequence[dict[str, Any]]) -> None:
    """Many events in one executemany (no ORM objects): each a dict of `record`'s arguments."""
    if not events:
        return
    now = utcnow()
    session.execute(
        insert(table_of(AuditEvent)),
        [
            {
                "account_id": event["account_id"],
                "occurred_at": now,
                "actor": event["actor"],
                "action": event["action"],
                "subject_type": event["subject_type"],
                "subject_id": str(event["subject_id"]),
                "before": event.get("before"),
                "after": event.get("after"),
            }
            for event in events
        ],
    )
