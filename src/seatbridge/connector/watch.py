"""The connector's local change probe: push only when Sage 100 changed; otherwise stay silent,
but for one tiny heartbeat (`GET /state`) a minute.

The same probe as the server's direct look (`seatbridge.sage100.probe`): a database-wide token
where the database has one (SQLite file header and WAL, PostgreSQL WAL position), and the
per-table fingerprint (`MAX(cbMarq)`, `COUNT(*)`, `MAX(cbModification)`). The look is taken
*before* a pass reads, and remembered only once the pass was applied: a change committed while
the pass read is pushed by the next one. A look that fails (Sage unreachable) asks for a pass,
which then reports the failure.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from typing import Any

from seatbridge.errors import SeatbridgeError
from seatbridge.sage100.probe import database_token, table_fingerprint
from seatbridge.sage100.reader import Sage100Reader

HEARTBEAT_SECONDS = 60.0

Look = tuple[str | None, dict[str, list[Any]]]


class Next(enum.StrEnum):
    PUSH = "push"  # something changed (or we do not know): run a pass
    HEARTBEAT = "heartbeat"  # nothing changed, but the server has not heard from us for a while
    IDLE = "idle"  # nothing changed: no request at all


class Watch:
    def __init__(
        self,
        reader: Sage100Reader,
        *,
        heartbeat: float = HEARTBEAT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.reader = reader
        self.heartbeat = heartbeat
        self.clock = clock
        self.pushed_look: Look | None = None
        self.last_request = clock()

    def look(self) -> Look | None:
        try:
            token = database_token(self.reader)
            if token is not None and self.pushed_look and token == self.pushed_look[0]:
                return self.pushed_look  # nothing was committed: no table touched
            return token, table_fingerprint(self.reader)
        except SeatbridgeError:
            return None

    def next(self, look: Look | None) -> Next:
        if look is None or self.pushed_look is None or look[1] != self.pushed_look[1]:
            return Next.PUSH
        if self.clock() - self.last_request >= self.heartbeat:
            return Next.HEARTBEAT
        return Next.IDLE

    def pushed(self, look: Look | None) -> None:
        """A pass was applied with what `look` saw before it read."""
        self.pushed_look = look
        self.requested()

    def requested(self) -> None:
        self.last_request = self.clock()
