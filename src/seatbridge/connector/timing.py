"""Intervals (`--every 5m`) and the back-off between retries."""

from __future__ import annotations

import email.utils
import random
import re
import time
from typing import Final

from seatbridge.connector.errors import InvalidInterval

_INTERVAL: Final = re.compile(r"^\s*(\d+)\s*([smh]?)\s*$", re.IGNORECASE)
_UNITS: Final = {"": 1, "s": 1, "m": 60, "h": 3600}
MAX_RETRY_AFTER: Final = 600.0


def parse_interval(text: str) -> float:
    """Seconds in `30s`, `5m`, `1h` (a bare number is seconds)."""
    match = _INTERVAL.match(text)
    if match is None or int(match.group(1)) == 0:
        raise InvalidInterval(value=text)
    return float(int(match.group(1)) * _UNITS[match.group(2).lower()])


def backoff(attempt: int, *, base: float, cap: float) -> float:
    """Exponential back-off with jitter: about base, 2 base, 4 base... up to cap."""
    delay = min(cap, base * 2.0 ** max(0, attempt - 1))
    return delay * (0.5 + random.random() / 2)  # noqa: S311 (jitter, not a secret)


def retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), capped."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    return min(max(0.0, moment.timestamp() - current), MAX_RETRY_AFTER)
