"""Recording audit events (in the caller's transaction, so a rolled-back change leaves none)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from seatbridge.audit.models import AuditEvent


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
