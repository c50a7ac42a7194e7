"""The outbox: e-mails written in the same transaction as the event that sends them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from seatbridge.db.base import Base, utcnow


class OutboxMessage(Base):
    """One e-mail to deliver; the sender claims it with a lease before each attempt."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        # e.g. "invitation:<token id>": queuing the same event twice yields one e-mail.
        UniqueConstraint("idempotency_key"),
        Index("ix_outbox_message_due", "sent_at", "failed_at", "next_attempt_at"),
        Index("ix_outbox_message_account", "account_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(320))
    locale: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # A sender owns the message while claimed_until is in the future and claim_token is its own.
    claimed_until: Mapped[dt.datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[dt.datetime | None]
    # Set only when the server refused the message for good (a 5xx answer): no more retries.
    failed_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
