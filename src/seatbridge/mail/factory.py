"""The transport the settings ask for: SMTP when a relay is configured, the mailbox otherwise."""

from __future__ import annotations

from seatbridge.config import Settings
from seatbridge.mail.mailbox import MailboxTransport, mailbox_dir
from seatbridge.mail.smtp import SmtpTransport
from seatbridge.mail.transport import MailTransport


def transport_from_settings(settings: Settings) -> MailTransport:
    if settings.smtp.enabled:
        return SmtpTransport(settings.smtp)
    return MailboxTransport(mailbox_dir(settings), settings.smtp.sender)
