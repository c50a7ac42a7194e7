"""Batches are set-based: inviting N people costs the same number of statements whatever N, and
one delivery call drains a backlog larger than a claim batch over a real SMTP server."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge import onboarding
from seatbridge.audit.models import AuditEvent
from seatbridge.config import SmtpSettings
from seatbridge.directory.service import NewUser
from seatbridge.mail import deliver_outbox
from seatbridge.mail.models import OutboxMessage
from seatbridge.mail.sender import CLAIM_BATCH
from seatbridge.mail.smtp import SmtpTransport
from tests.invitations.support import make_settings
from tests.support.factories import clock, make_account
from tests.support.smtp import SmtpSink, smtp_sink  # noqa: F401  (fixture)


def statements_to_invite(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path, n: int
) -> int:
    settings = make_settings(tmp_path)
    with sessions.begin() as session:
        account = make_account(session, seats=n)
    seen: list[str] = []

    def count(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        with sessions.begin() as session:
            onboarding.create_users(
                session,
                account_id=account.id,
                people=[NewUser(email=f"rep{i}-{n}@bijou-sa.fr") for i in range(n)],
                actor="test",
                clock=clock(),
                settings=settings,
                source="admin",
                ssm_only=onboarding.SsmOnly("batch"),
            )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_statements_do_not_grow_with_the_batch(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    small = statements_to_invite(engine, sessions, tmp_path, 5)
    large = statements_to_invite(engine, sessions, tmp_path, 400)
    assert large == small, (small, large)
    with sessions() as session:
        assert len(session.scalars(select(OutboxMessage)).all()) == 405
        actions = session.scalars(select(AuditEvent.action)).all()
        assert actions.count("user.ssm_only") == 405 and actions.count("invitation.send") == 405


def test_one_call_drains_a_backlog_over_one_connection(
    sessions: sessionmaker[Session],
    tmp_path: Path,
    smtp_sink: SmtpSink,  # noqa: F811
) -> None:
    n = CLAIM_BATCH * 2 + 7
    settings = make_settings(tmp_path)
    with sessions.begin() as session:
        account = make_account(session, seats=n)
        onboarding.create_users(
            session,
            account_id=account.id,
            people=[NewUser(email=f"r{i}@bijou-sa.fr") for i in range(n)],
            actor="test",
            clock=clock(),
            settings=settings,
            source="admin",
            ssm_only=onboarding.SsmOnly("batch"),
        )
    smtp = SmtpSettings(host="127.0.0.1", port=smtp_sink.port, security="none", sender="a@b.fr")
    report = deliver_outbox(sessions, SmtpTransport(smtp), clock())
    assert report.sent == n and (report.deferred, report.failed) == (0, 0)
    received = sorted(mail.rcpt_tos[0] for mail in smtp_sink.received)
    assert received == sorted(f"r{i}@bijou-sa.fr" for i in range(n))  # each exactly once
    assert deliver_outbox(sessions, SmtpTransport(smtp), clock()).sent == 0


def test_a_rate_limit_spaces_the_messages(
    sessions: sessionmaker[Session],
    tmp_path: Path,
    smtp_sink: SmtpSink,  # noqa: F811
) -> None:
    settings = make_settings(tmp_path)
    with sessions.begin() as session:
        account = make_account(session, seats=6)
        onboarding.create_users(
            session,
            account_id=account.id,
            people=[NewUser(email=f"s{i}@bijou-sa.fr") for i in range(6)],
            actor="test",
            clock=clock(),
            settings=settings,
            source="admin",
            ssm_only=onboarding.SsmOnly("batch"),
        )
    smtp = SmtpSettings(
        host="127.0.0.1", port=smtp_sink.port, security="none", sender="a@b.fr", max_per_second=20
    )
    started = time.perf_counter()
    assert deliver_outbox(sessions, SmtpTransport(smtp), clock()).sent == 6
    assert time.perf_counter() - started >= 5 / 20  # six sends, five gaps of 50 ms at least
