"""SMTP delivery against a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import threading
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.config import SmtpSettings
from seatbridge.mail import DeliveryReport, deliver_outbox
from seatbridge.mail.models import OutboxMessage
from seatbridge.mail.smtp import SmtpTransport
from tests.invitations.support import invite, link_in, make_settings
from tests.support.factories import clock
from tests.support.smtp import SmtpSink


def smtp_settings(sink: SmtpSink, **options: Any) -> SmtpSettings:
    return SmtpSettings(
        host="127.0.0.1",
        port=sink.port,
        security="none",
        sender="SSM <no-reply@bijou.test>",
        timeout_seconds=5,
        **options,
    )


class TestSmtpTransport:
    def test_welcome_emails_arrive_in_each_recipients_language(
        self, sessions: sessionmaker[Session], smtp_sink: SmtpSink, tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        now = clock()
        account, _ = invite(sessions, settings, now, "lea@bijou-sa.fr")
        invite(sessions, settings, now, "tom@bijou-sa.fr", account=account, locale="en")
        report = deliver_outbox(sessions, SmtpTransport(smtp_settings(smtp_sink)), now)
        assert report.sent == 2
        by_recipient = {mail.rcpt_tos[0]: mail.message for mail in smtp_sink.received}
        french, english = by_recipient["lea@bijou-sa.fr"], by_recipient["tom@bijou-sa.fr"]
        assert french["Subject"] == f"{account.name} vous invite sur SSM"
        assert english["Subject"] == f"{account.name} invites you to SSM"
        assert (french["Content-Language"], english["Content-Language"]) == ("fr", "en")
        for message in (french, english):
            text = message.get_body(preferencelist=("plain",))
            html = message.get_body(preferencelist=("html",))
            assert text is not None and html is not None
            link = link_in(text.get_content())
            assert link.startswith("http://testserver/auth/set-password/")
            assert f'href="{link}"' in html.get_content()
            assert message["Message-ID"].endswith("@bijou.test>")

    def test_starttls_and_login(self, sessions: sessionmaker[Session], tmp_path: Path) -> None:
        certificate, server_context = self_signed(tmp_path)
        logins: list[tuple[bytes, bytes]] = []

        def authenticator(
            server: Any, session: Any, envelope: Any, mechanism: str, data: Any
        ) -> Any:
            logins.append((data.login, data.password))
            return AuthResult(success=data.password == b"s3cret-relay")

        sink = SmtpSink(
            tls_context=server_context,
            require_starttls=True,
            authenticator=authenticator,
            auth_require_tls=True,
        )
        sink.start()
        try:
            settings = make_settings(tmp_path)
            invite(sessions, settings, clock(), "lea@bijou-sa.fr")
            transport = SmtpTransport(
                smtp_settings(
                    sink,
                    username="relay-user",
                    password=SecretStr("s3cret-relay"),
                ).model_copy(update={"security": "starttls", "ca_file": certificate})
            )
            assert deliver_outbox(sessions, transport, clock()).sent == 1
        finally:
            sink.stop()
        assert logins == [(b"relay-user", b"s3cret-relay")]
        assert [mail.rcpt_tos for mail in sink.received] == [["lea@bijou-sa.fr"]]

    def test_implicit_tls(self, sessions: sessionmaker[Session], tmp_path: Path) -> None:
        certificate, server_context = self_signed(tmp_path)
        sink = SmtpSink(ssl_context=server_context)
        sink.start()
        try:
            invite(sessions, make_settings(tmp_path), clock(), "lea@bijou-sa.fr")
            settings = smtp_settings(sink).model_copy(
                update={"security": "tls", "ca_file": certificate}
            )
            assert deliver_outbox(sessions, SmtpTransport(settings), clock()).sent == 1
        finally:
            sink.stop()
        assert [mail.rcpt_tos for mail in sink.received] == [["lea@bijou-sa.fr"]]

    def test_untrusted_certificate_is_retried_not_dropped(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        _, server_context = self_signed(tmp_path)
        sink = SmtpSink(ssl_context=server_context)
        sink.start()
        try:
            invite(sessions, make_settings(tmp_path), clock(), "lea@bijou-sa.fr")
            settings = smtp_settings(sink).model_copy(update={"security": "tls"})
            report = deliver_outbox(sessions, SmtpTransport(settings), clock())
        finally:
            sink.stop()
        assert (report.sent, report.deferred) == (0, 1) and sink.received == []


class TestSmtpOutage:
    def test_outage_delays_then_each_message_arrives_exactly_once(
        self, sessions: sessionmaker[Session], smtp_down: SmtpSink, tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        now = clock()
        emails = [f"rep{i}@bijou-sa.fr" for i in range(8)]
        invite(sessions, settings, now, *emails)
        transport = SmtpTransport(smtp_settings(smtp_down))

        down = deliver_outbox(sessions, transport, now)
        assert (down.sent, down.deferred) == (0, 8)
        with sessions() as session:
            rows = session.scalars(select(OutboxMessage)).all()
            assert {row.attempts for row in rows} == {1}
            assert {row.next_attempt_at for row in rows} == {now.now() + dt.timedelta(seconds=30)}
            assert all("Connection" in (row.last_error or "") for row in rows)
        assert deliver_outbox(sessions, transport, now).deferred == 0  # backing off

        smtp_down.start()
        now.advance(dt.timedelta(seconds=30))
        reports: list[DeliveryReport] = []
        start = threading.Barrier(2)

        def sender() -> None:
            start.wait()
            reports.append(deliver_outbox(sessions, transport, now))

        threads = [threading.Thread(target=sender) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)

        received = [mail.rcpt_tos[0] for mail in smtp_down.received]
        assert sorted(received) == sorted(emails)  # all of them, none twice
        assert sum(report.sent for report in reports) == 8
        with sessions() as session:
            rows = session.scalars(select(OutboxMessage)).all()
            assert all(row.sent_at is not None and row.claim_token is None for row in rows)
            assert {row.attempts for row in rows} == {2}
        assert deliver_outbox(sessions, transport, now).sent == 0
        assert len(smtp_down.received) == 8


def self_signed(folder: Path) -> tuple[Path, ssl.SSLContext]:
    """A certificate for 127.0.0.1, and a server TLS context that uses it."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    today = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(today - dt.timedelta(days=1))
        .not_valid_after(today + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp.pem", folder / "smtp.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    return cert_path, context
