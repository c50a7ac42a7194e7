"""SMTP delivery with the standard library (STARTTLS, implicit TLS or plain; optional login)."""

from __future__ import annotations

import smtplib
import ssl
from pathlib import Path

from seatbridge.config import SmtpSettings
from seatbridge.mail.transport import (
    OutgoingMail,
    PermanentFailure,
    TemporaryFailure,
    build_message,
)


class SmtpTransport:
    """One connection per message: invitations come in small batches, relays drop idle links."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def send(self, mail: OutgoingMail) -> None:
        message = build_message(mail, self.settings.sender)
        try:
            with self._connect() as client:
                if self.settings.username:
                    client.login(self.settings.username, self.settings.password.get_secret_value())
                client.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            reason = "; ".join(f"{code} {text!r}" for code, text in error.recipients.values())
            if codes and all(500 <= code < 600 for code in codes):
                raise PermanentFailure(reason=f"recipient refused: {reason}") from error
            raise TemporaryFailure(reason=f"recipient deferred: {reason}") from error
        except smtplib.SMTPDataError as error:
            reason = f"{error.smtp_code} {error.smtp_error!r}"
            if 500 <= error.smtp_code < 600:
                raise PermanentFailure(reason=f"message refused: {reason}") from error
            raise TemporaryFailure(reason=f"message deferred: {reason}") from error
        # Login, sender and connection problems are the operator's to fix: retry, never drop.
        except (smtplib.SMTPException, OSError) as error:
            raise TemporaryFailure(reason=f"{type(error).__name__}: {error}") from error

    def _connect(self) -> smtplib.SMTP:
        smtp = self.settings
        if smtp.security == "tls":
            return smtplib.SMTP_SSL(
                smtp.host, smtp.port, timeout=smtp.timeout_seconds, context=self._tls_context()
            )
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
        try:
            if smtp.security == "starttls":
                client.ehlo()
                client.starttls(context=self._tls_context())
                client.ehlo()
        except BaseException:
            client.close()
            raise
        return client

    def _tls_context(self) -> ssl.SSLContext:
        cafile: Path | None = self.settings.ca_file
        return ssl.create_default_context(cafile=str(cafile) if cafile else None)
