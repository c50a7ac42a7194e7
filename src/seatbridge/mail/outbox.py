"""Queue an e-mail in the caller's transaction: it leaves only if that transaction commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from seatbridge.clock import Clock
from seatbridge.mail.models import OutboxMessage
from seatbridge.mail.render import mail_locale, render_mail


def queue_message(
    session: Session,
    *,
    account_id: int,
    recipient: str,
    locale: str,
    template: str,
    context: dict[str, Any],
    idempotency_key: str,
    clock: Clock,
) -> OutboxMessage:
    """Render `template` in `locale` and add it to the outbox; the same key queues it once."""
    existing = session.scalar(
        select(OutboxMessage).where(OutboxMessage.idempotency_key == idempotency_key)
    )
    if existing is not None:
        return existing
    rendered = render_mail(template, locale, context)
    now = clock.now()
    message = OutboxMessage(
        account_id=account_id,
        idempotency_key=idempotency_key,
        recipient=recipient,
        locale=mail_locale(locale),
        subject=rendered.subject,
        text_body=rendered.text_body,
        html_body=rendered.html_body,
        created_at=now,
        next_attempt_at=now,
        attempts=0,
    )
    session.add(message)
    session.flush()
    return message
