"""The outbox: written with the event, delivered after commit, retried with back-off."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.clock import FixedClock
from seatbridge.mail import OutgoingMail, deliver_outbox, queue_message
from seatbridge.mail.errors import PermanentFailure, TemporaryFailure
from seatbridge.mail.mailbox import MailboxTransport
from seatbridge.mail.models import OutboxMessage
from seatbridge.mail.sender import BACKOFF_MAX, backoff
from tests.support.factories import clock, make_account

CONTEXT = {
    "name": "Léa",
    "email": "lea@bijou-sa.fr",
    "account_name": "Bijou SA",
    "product": "SSM",
    "link": "http://testserver/auth/set-password/abc",
    "expires_at": "demain",
}


def queue(session: Session, account_id: int, key: str, recipient: str = "lea@bijou-sa.fr") -> int:
    message = queue_message(
        session,
        account_id=account_id,
        recipient=recipient,
        locale="fr",
        template="invitation",
        context=CONTEXT,
        idempotency_key=key,
        clock=clock(),
    )
    return message.id


class Failing:
    def __init__(self, error: Exception) -> None:
        self.error = error
        self.calls = 0

    def send(self, mail: OutgoingMail) -> None:
        self.calls += 1
        raise self.error


class TestQueue:
    def test_rolled_back_event_sends_nothing(self, sessions: sessionmaker[Session]) -> None:
        with sessions.begin() as session:
            account_id = make_account(session).id
        with pytest.raises(RuntimeError), sessions.begin() as session:
            queue(session, account_id, "invitation:1")
            raise RuntimeError("the event failed")
        with sessions() as session:
            assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0

    def test_same_key_queues_once(self, sessions: sessionmaker[Session]) -> None:
        with sessions.begin() as session:
            account_id = make_account(session).id
            first = queue(session, account_id, "invitation:7")
        with sessions.begin() as session:
            assert queue(session, account_id, "invitation:7") == first
            assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


class TestDeliver:
    def test_mailbox_gets_an_eml_file(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        with sessions.begin() as session:
            account_id = make_account(session).id
            message_id = queue(session, account_id, "invitation:1")
        mailbox = MailboxTransport(tmp_path / "mailbox", "SSM <no-reply@bijou.test>")
        report = deliver_outbox(sessions, mailbox, clock())
        assert (report.sent, report.deferred) == (1, 0)
        (entry,) = mailbox.list_messages()
        assert entry.subject == "Bijou SA vous invite sur SSM"
        message = mailbox.read(entry.name)
        assert message is not None and message["To"] == "lea@bijou-sa.fr"
        assert message["Content-Language"] == "fr"
        assert mailbox.read("../../etc/passwd") is None
        with sessions() as session:
            row = session.get_one(OutboxMessage, message_id)
            assert row.sent_at == clock().now() and row.attempts == 1
        assert deliver_outbox(sessions, mailbox, clock()).sent == 0  # nothing twice

    def test_temporary_failure_backs_off_and_keeps_the_message(
        self, sessions: sessionmaker[Session]
    ) -> None:
        with sessions.begin() as session:
            account_id = make_account(session).id
            message_id = queue(session, account_id, "invitation:1")
        now = clock()
        transport = Failing(TemporaryFailure(reason="421 try later"))
        for attempt, wait in enumerate([30, 60, 120], start=1):
            assert deliver_outbox(sessions, transport, now).deferred == 1
            with sessions() as session:
                row = session.get_one(OutboxMessage, message_id)
                assert row.attempts == attempt
                assert row.next_attempt_at == now.now() + dt.timedelta(seconds=wait)
                assert "421 try later" in (row.last_error or "")
            assert deliver_outbox(sessions, transport, now).deferred == 0  # not due yet
            now.advance(dt.timedelta(seconds=wait))
        assert transport.calls == 3

    def test_permanent_refusal_stops_retries(self, sessions: sessionmaker[Session]) -> None:
        with sessions.begin() as session:
            account_id = make_account(session).id
            message_id = queue(session, account_id, "invitation:1")
        now = FixedClock(clock().now())
        transport = Failing(PermanentFailure(reason="550 no such user"))
        assert deliver_outbox(sessions, transport, now).failed == 1
        now.advance(dt.timedelta(days=1))
        assert deliver_outbox(sessions, transport, now).failed == 0
        with sessions() as session:
            row = session.get_one(OutboxMessage, message_id)
            assert row.failed_at is not None and row.sent_at is None

    def test_a_crashing_transport_does_not_lose_the_message(
        self, sessions: sessionmaker[Session]
    ) -> None:
        with sessions.begin() as session:
            account_id = make_account(session).id
            queue(session, account_id, "invitation:1")
        assert deliver_outbox(sessions, Failing(ValueError("bug")), clock()).deferred == 1
        with sessions() as session:
            row = session.scalars(select(OutboxMessage)).one()
            assert row.sent_at is None and row.failed_at is None
            assert row.last_error == "ValueError: bug"

    def test_backoff_doubles_up_to_one_hour(self) -> None:
        assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
        assert backoff(50) == BACKOFF_MAX
