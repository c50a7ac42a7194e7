"""Outgoing e-mail: an outbox written with the event, delivered after commit by a sender."""

from seatbridge.mail.outbox import queue_message
from seatbridge.mail.sender import DeliveryReport, deliver_outbox
from seatbridge.mail.transport import MailTransport, OutgoingMail, TransportError

__all__ = [
    "DeliveryReport",
    "MailTransport",
    "OutgoingMail",
    "TransportError",
    "deliver_outbox",
    "queue_message",
]
