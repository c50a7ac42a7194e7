"""Throttling in the store, so that it holds across processes and machines.

Failures are counted per e-mail and per client address over a sliding window; past the limit a
key is refused until its oldest failure in the window leaves it.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import math

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from seatbridge.auth.models import SignInFailure
from seatbridge.clock import Clock


class ThrottleKind(enum.StrEnum):
    EMAIL = "email"
    ADDRESS = "address"
    RESET_EMAIL = "reset_email"


def key_hash(value: str) -> str:
    return hashlib.sha256(value.strip().casefold().encode()).hexdigest()


def wait_minutes(
    session: Session,
    *,
    kind: ThrottleKind,
    value: str,
    limit: int,
    window: dt.timedelta,
    clock: Clock,
) -> int:
    """Minutes (rounded up) before `value` may try again; 0 when it may try now."""
    now = clock.now()
    in_window = (
        SignInFailure.kind == kind.value,
        SignInFailure.key_hash == key_hash(value),
        SignInFailure.occurred_at > now - window,
    )
    count = session.scalar(select(func.count()).select_from(SignInFailure).where(*in_window)) or 0
    if count < limit:
        return 0
    # The key may try again once enough failures left the window to fall below the limit.
    pivot = session.scalar(
        select(SignInFailure.occurred_at)
        .where(*in_window)
        .order_by(SignInFailure.occurred_at)
        .offset(count - limit)
        .limit(1)
    )
    if pivot is None:
        return 0
    return max(1, math.ceil((pivot + window - now).total_seconds() / 60))


def record(
    session: Session, *, kind: ThrottleKind, value: str, window: dt.timedelta, clock: Clock
) -> None:
    """Count one failure for `value`, and forget this key's failures older than the window."""
    now = clock.now()
    digest = key_hash(value)
    session.execute(
        delete(SignInFailure).where(
            SignInFailure.kind == kind.value,
            SignInFailure.key_hash == digest,
            SignInFailure.occurred_at <= now - window,
        )
    )
    session.add(SignInFailure(kind=kind.value, key_hash=digest, occurred_at=now))
    session.flush()


def clear(session: Session, *, kind: ThrottleKind, value: str) -> None:
    """Forget a key's failures (a successful sign-in clears its e-mail, not its address)."""
    session.execute(
        delete(SignInFailure).where(
            SignInFailure.kind == kind.value, SignInFailure.key_hash == key_hash(value)
        )
    )
