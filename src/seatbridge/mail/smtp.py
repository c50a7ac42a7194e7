"""SMTP delivery with the standard library (STARTTLS, implicit TLS or plain; optional login)."""

from __future__ import annotations

import smtplib
import ssl
import threading
import time
from pathlib import Path

from seatbridge.config import SmtpSettings
from seatbridge.mail.transport import (
    OutgoingMail,
    PermanentFailure,
    TemporaryFailure,
    build_message,
)

IDLE_REUSE_SECONDS = 10.0  # a connection idle longer is closed, not reused (relays drop them)


class SmtpTransport:
    """Delivers through one SMTP connection per sending thread, reused while a backlog drains
    (login once, then one MAIL/RCPT/DATA per message); a connection idle for more than
    `IDLE_REUSE_SECONDS`, or one an error touched, is closed and the next message opens a new
    one. Never retries a message by itself: a failure goes back to the outbox's back-off, so a
    message is never sent twice. `max_per_second` (> 0) spaces messages for relays that limit
    senders, across every thread of the process."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._local = threading.local()
        self._pace = threading.Lock()
        self._next_slot = 0.0

    def send(self, mail: OutgoingMail) -> None:
        message = build_message(mail, self.settings.sender)
        self._wait_for_slot()
        try:
            client = self._client()
            client.send_message(message)
            self._local.used_at = time.monotonic()
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
            self.close()
            raise TemporaryFailure(reason=f"{type(error).__name__}: {error}") from error

    def close(self) -> None:
        """Say QUIT on this thread's connection, if any (the end of a delivery round)."""
        client: smtplib.SMTP | None = getattr(self._local, "client", None)
        self._local.client = None
        if client is not None:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()

    def _client(self) -> smtplib.SMTP:
        client: smtplib.SMTP | None = getattr(self._local, "client", None)
        used_at: float = getattr(self._local, "used_at", 0.0)
        if client is not None and time.monotonic() - used_at > IDLE_REUSE_SECONDS:
            self.close()
            client = None
        if client is None:
            client = self._connect()
            try:
                if self.settings.username:
                    client.login(self.settings.username, self.settings.password.get_secret_value())
            except BaseException:
                client.close()
                raise
            self._local.client = client
            self._local.used_at = time.monotonic()
        return client

    def _wait_for_slot(self) -> None:
        rate = self.settings.max_per_second
        if rate <= 0:
            return
        with self._pace:
            now = time.monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + 1.0 / rate
        if slot > now:
            time.sleep(slot - now)

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
