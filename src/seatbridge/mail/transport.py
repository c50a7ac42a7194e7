"""The mail transport protocol and the MIME message every transport sends."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Protocol

from seatbridge.mail.errors import PermanentFailure, TemporaryFailure, TransportError

__all__ = [
    "MailTransport",
    "OutgoingMail",
    "PermanentFailure",
    "TemporaryFailure",
    "TransportError",
    "build_message",
]


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    outbox_id: int
    idempotency_key: str
    recipient: str
    locale: str
    subject: str
    text_body: str
    html_body: str
    created_at: dt.datetime


class MailTransport(Protocol):
    """Hands one message over; raises TransportError (temporary or permanent) on failure."""

    def send(self, mail: OutgoingMail) -> None: ...


def build_message(mail: OutgoingMail, sender: str) -> EmailMessage:
    """A plain-text message with an HTML alternative and a stable Message-ID.

    The Message-ID depends only on the outbox row, so the rare resend after a crash between
    "handed over" and "marked sent" carries the same id and mail systems can drop the copy.
    """
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = sender
    message["To"] = mail.recipient
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = message_id(mail, sender)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    # After the body: set_content() and add_alternative() move or drop Content-* headers.
    message["Content-Language"] = mail.locale
    return message


def message_id(mail: OutgoingMail, sender: str) -> str:
    domain = parseaddr(sender)[1].rpartition("@")[2] or "seatbridge.invalid"
    digest = hashlib.sha256(mail.idempotency_key.encode()).hexdigest()[:20]
    return f"<outbox.{mail.outbox_id}.{digest}@{domain}>"
