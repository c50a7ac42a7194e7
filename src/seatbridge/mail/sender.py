"""Deliver the outbox after commit: claim with a lease, send, then mark sent or back off.

A call drains the backlog: it keeps claiming due messages (a batch per transaction) and sending
them through one transport (one SMTP connection reused) until none is due.

Two senders (threads, processes or machines) never send one message twice: a message is taken
by a conditional UPDATE that only succeeds when nobody holds a live lease on it, and only the
holder of the lease may mark it sent. An outage only delays: every temporary failure pushes the
next attempt back (30 s, 1 min, 2 min, ... at most one hour) and nothing is ever given up,
except a message the server refused for good (a 5xx answer), which is marked failed.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from seatbridge.clock import Clock
from seatbridge.db.engine import rows_changed
from seatbridge.mail.models import OutboxMessage
from seatbridge.mail.transport import MailTransport, OutgoingMail, TransportError

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=5)  # far longer than one SMTP conversation (30 s time-out)
LEASE_MARGIN = dt.timedelta(minutes=1)  # a claimed message is not sent this close to its lease end
CLAIM_BATCH = 50  # messages leased per transaction; each is marked sent on its own
BACKOFF_BASE = dt.timedelta(seconds=30)
BACKOFF_MAX = dt.timedelta(hours=1)
MAX_ERROR_LENGTH = 2000


@dataclass
class DeliveryReport:
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    taken_by_others: int = 0


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: doubling from 30 s, capped at one hour."""
    exponent = min(max(attempts, 1) - 1, 16)
    factor: int = 2**exponent
    return min(BACKOFF_BASE * factor, BACKOFF_MAX)


def deliver_outbox(
    session_factory: sessionmaker[Session],
    transport: MailTransport,
    clock: Clock,
    batch: int = CLAIM_BATCH,
    *,
    limit: int | None = None,
) -> DeliveryReport:
    """Send due messages until none is left (or `limit` were handled): a backlog drains in one
    call, through one transport connection, `batch` messages claimed per transaction. Safe to
    run from several senders at once; the transport's connection is closed at the end. A call
    that had messages logs one line with its counts and duration (idle ticks stay silent)."""
    started = time.perf_counter()
    report = _deliver_outbox(session_factory, transport, clock, batch, limit)
    counts = {"sent": report.sent, "deferred": report.deferred, "failed": report.failed}
    if any(counts.values()):
        logger.info(
            "mail batch finished",
            extra={"work": "mail batch", "counts": counts, "duration_ms": _ms(started)},
        )
    return report


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def _deliver_outbox(
    session_factory: sessionmaker[Session],
    transport: MailTransport,
    clock: Clock,
    batch: int,
    limit: int | None,
) -> DeliveryReport:
    report = DeliveryReport()
    handled = 0
    try:
        while limit is None or handled < limit:
            wanted = batch if limit is None else min(batch, limit - handled)
            with session_factory.begin() as session:
                due_ids = list(
                    session.scalars(
                        select(OutboxMessage.id)
                        .where(_is_due(clock.now()))
                        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                        .limit(wanted)
                    )
                )
            if not due_ids:
                break
            claimed = _claim_many(session_factory, due_ids, clock)
            report.taken_by_others += len(due_ids) - len(claimed)
            handled += len(due_ids)
            _send_claimed(session_factory, transport, clock, claimed, report)
    finally:
        close = getattr(transport, "close", None)
        if callable(close):
            close()
    return report


def _send_claimed(
    session_factory: sessionmaker[Session],
    transport: MailTransport,
    clock: Clock,
    claimed: list[tuple[OutgoingMail, str]],
    report: DeliveryReport,
) -> None:
    # Never send on a lease about to run out (a slow relay): another sender may take it then.
    deadline = time.monotonic() + (LEASE - LEASE_MARGIN).total_seconds()
    for position, (mail, claim_token) in enumerate(claimed):
        if time.monotonic() > deadline:
            _release(session_factory, claimed[position:])
            return
        try:
            transport.send(mail)
        except TransportError as error:
            _record_failure(session_factory, mail, claim_token, error, clock)
            if error.permanent:
                report.failed += 1
            else:
                report.deferred += 1
        # A transport bug must not stop the other messages; this one is retried like an outage.
        except Exception as error:
            logger.exception("mail transport crashed on outbox message %s", mail.outbox_id)
            _record_failure(session_factory, mail, claim_token, error, clock)
            report.deferred += 1
        else:
            _mark_sent(session_factory, mail, claim_token, clock)
            report.sent += 1


def _is_due(now: dt.datetime) -> ColumnElement[bool]:
    return (
        OutboxMessage.sent_at.is_(None)
        & OutboxMessage.failed_at.is_(None)
        & (OutboxMessage.next_attempt_at <= now)
        & or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until <= now)
    )


def _claim_many(
    session_factory: sessionmaker[Session], message_ids: list[int], clock: Clock
) -> list[tuple[OutgoingMail, str]]:
    """Lease the messages still due among `message_ids` (one conditional UPDATE): those another
    sender holds or sent meanwhile are left alone."""
    claim_token = secrets.token_hex(16)
    now = clock.now()
    with session_factory.begin() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids), _is_due(now))
            .values(
                claimed_until=now + LEASE,
                claim_token=claim_token,
                attempts=OutboxMessage.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.claim_token == claim_token)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        ).all()
        return [
            (
                OutgoingMail(
                    outbox_id=row.id,
                    idempotency_key=row.idempotency_key,
                    recipient=row.recipient,
                    locale=row.locale,
                    subject=row.subject,
                    text_body=row.text_body,
                    html_body=row.html_body,
                    created_at=row.created_at,
                ),
                claim_token,
            )
            for row in rows
        ]


def _release(
    session_factory: sessionmaker[Session], claimed: list[tuple[OutgoingMail, str]]
) -> None:
    """Give back leases not used (their attempt did not happen)."""
    with session_factory.begin() as session:
        for mail, claim_token in claimed:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == mail.outbox_id, OutboxMessage.claim_token == claim_token)
                .values(claimed_until=None, claim_token=None, attempts=OutboxMessage.attempts - 1)
                .execution_options(synchronize_session=False)
            )


def _mark_sent(
    session_factory: sessionmaker[Session], mail: OutgoingMail, claim_token: str, clock: Clock
) -> None:
    with session_factory.begin() as session:
        marked = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == mail.outbox_id, OutboxMessage.claim_token == claim_token)
            .values(sent_at=clock.now(), claimed_until=None, claim_token=None, last_error=None)
            .execution_options(synchronize_session=False)
        )
    if rows_changed(marked) != 1:
        # Only possible if sending outlived the lease and another sender took the message.
        logger.warning("outbox message %s: lease lost before it was marked sent", mail.outbox_id)


def _record_failure(
    session_factory: sessionmaker[Session],
    mail: OutgoingMail,
    claim_token: str,
    error: Exception,
    clock: Clock,
) -> None:
    now = clock.now()
    permanent = isinstance(error, TransportError) and error.permanent
    text = str(error) if isinstance(error, TransportError) else f"{type(error).__name__}: {error}"
    with session_factory.begin() as session:
        attempts = session.scalar(
            select(OutboxMessage.attempts).where(OutboxMessage.id == mail.outbox_id)
        )
        values: dict[str, object] = {
            "claimed_until": None,
            "claim_token": None,
            "last_error": text[:MAX_ERROR_LENGTH],
        }
        if permanent:
            values["failed_at"] = now
        else:
            values["next_attempt_at"] = now + backoff(attempts or 1)
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == mail.outbox_id, OutboxMessage.claim_token == claim_token)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    logger.info(
        "outbox message %s not sent (%s): %s",
        mail.outbox_id,
        "final" if permanent else "will retry",
        text,
    )
