"""Start and end lines of a unit of work (a sync run, a mail batch, a connector push).

stdlib logging only, so that the lean connector can use it too; with `configure_logging` the
lines become JSON with their fields. The end line carries the ids given at the start, what the
work recorded (counts, run id, status) and its duration; a failure logs the error's code instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger("seatbridge.work")


@contextmanager
def logged(work: str, **ids: Any) -> Iterator[dict[str, Any]]:
    """``with logged("sync", account_id=1, environment_id=3) as done: ... done["counts"] = ...``"""
    done: dict[str, Any] = {}
    started = time.perf_counter()
    log.info("%s started", work, extra={"work": work, **ids})
    try:
        yield done
    except BaseException as error:
        code = getattr(error, "code", type(error).__name__)
        log.warning(
            "%s failed",
            work,
            extra={"work": work, **ids, **done, "error": code, "duration_ms": _ms(started)},
        )
        raise
    log.info("%s finished", work, extra={"work": work, **ids, **done, "duration_ms": _ms(started)})


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
