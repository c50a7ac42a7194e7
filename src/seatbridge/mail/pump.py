"""A background thread that delivers the outbox every few seconds (embedded mode)."""

from __future__ import annotations

import logging
import threading

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.clock import Clock
from seatbridge.mail.sender import deliver_outbox
from seatbridge.mail.transport import MailTransport

logger = logging.getLogger(__name__)


class OutboxPump:
    """Runs deliver_outbox until stopped; a store hiccup is logged and retried next round."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        transport: MailTransport,
        clock: Clock,
        *,
        interval_seconds: float,
    ) -> None:
        self.session_factory = session_factory
        self.transport = transport
        self.clock = clock
        self.interval_seconds = interval_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox-pump", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                report = deliver_outbox(self.session_factory, self.transport, self.clock)
                if report.sent or report.deferred or report.failed:
                    logger.info("outbox: %s", report)
            except SQLAlchemyError:
                logger.exception(
                    "outbox delivery round failed; retrying in %ss", self.interval_seconds
                )
            self._stop.wait(self.interval_seconds)
