"""Queue an e-mail in the caller's transaction: it leaves only if that transaction commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from seatbridge.clock import Clock
from seatbridge.db.base import table_of
from seatbridge.mail.models import OutboxMessage
from seatbridge.mail.render import mail_locale, render_mail

CHUNK = 500


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
    (message,) = queue_messages(
        session,
        [QueuedMail(account_id, recipient, locale, template, context, idempotency_key)],
        clock=clock,
    )
    return message


@dataclass(frozen=True, slots=True)
class QueuedMail:
    account_id: int
    recipient: str
    locale: str
    template: str
    context: dict[str, Any]
    idempotency_key: str


def queue_messages(
    session: Session, mails: Sequence[QueuedMail], *, clock: Clock
) -> list[OutboxMessage]:
    """`queue_message` for many e-mails: one look-up of the keys already queued and one
    batched INSERT per 500 messages."""
    existing: dict[str, OutboxMessage] = {}
    keys = [mail.idempotency_key for mail in mails]
    for start in range(0, len(keys), CHUNK):
        existing |= {
            message.idempotency_key: message
            for message in session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.idempotency_key.in_(keys[start : start + CHUNK])
                )
            )
        }
    now = clock.now()
    rows: list[dict[str, Any]] = []
    seen = set(existing)
    for mail in mails:
        if mail.idempotency_key in seen:
            continue  # queued already, or twice in this batch: once is enough
        seen.add(mail.idempotency_key)
        rendered = render_mail(mail.template, mail.locale, mail.context)
        rows.append(
            {
                "account_id": mail.account_id,
                "idempotency_key": mail.idempotency_key,
                "recipient": mail.recipient,
                "locale": mail_locale(mail.locale),
                "subject": rendered.subject,
                "text_body": rendered.text_body,
                "html_body": rendered.html_body,
                "created_at": now,
                "next_attempt_at": now,
                "attempts": 0,
            }
        )
    if rows:
        # One executemany (the ORM would insert row by row on SQLite), then read back.
        session.flush()
        session.execute(insert(table_of(OutboxMessage)), rows)
        new_keys = [row["idempotency_key"] for row in rows]
        for start in range(0, len(new_keys), CHUNK):
            existing |= {
                message.idempotency_key: message
                for message in session.scalars(
                    select(OutboxMessage).where(
                        OutboxMessage.idempotency_key.in_(new_keys[start : start + CHUNK])
                    )
                )
            }
    return [existing[mail.idempotency_key] for mail in mails]
