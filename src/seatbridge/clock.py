"""Time as an outside system: services take a Clock so tests can pin expiry and grace dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime: ...

    def today(self) -> dt.date: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def today(self) -> dt.date:
        return self.now().date()


@dataclass
class FixedClock:
    """A clock that only moves when told to (tests, previews)."""

    current: dt.datetime

    def now(self) -> dt.datetime:
        return self.current

    def today(self) -> dt.date:
        return self.current.date()

    def advance(self, delta: dt.timedelta) -> None:
        self.current += delta


SYSTEM_CLOCK = SystemClock()
