"""Throttling in the store, so that it holds across processes and machines.

Sign-in attempts are counted per e-mail and address pair, per e-mail and per address *before*
the password is checked (`count_attempt`); past a key's free attempts each further one waits an
exponentially growing delay. Password-reset requests are counted per e-mail over a sliding
window (`wait_minutes`, `record`).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import math
from dataclasses import dataclass

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from seatbridge.auth import errors
from seatbridge.auth.models import SignInCounter, SignInFailure
from seatbridge.clock import Clock
from seatbridge.config import AuthSettings


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


# Sign-in counters (issue 13): counted before the password is checked, in one locked row per key.


class CounterKind(enum.StrEnum):
    PAIR = "email_address"  # one e-mail from one address: what a person mistyping hits
    EMAIL = "email"  # one e-mail from anywhere: a distributed guess at one account
    ADDRESS = "address"  # one address, any e-mail: spraying from one machine


@dataclass(frozen=True, slots=True)
class CounterKey:
    kind: CounterKind
    value: str
    free: int  # attempts allowed before delays start


def sign_in_keys(email: str, address: str, settings: AuthSettings) -> list[CounterKey]:
    return [
        CounterKey(CounterKind.PAIR, f"{email}\n{address}", settings.max_failures_per_email),
        CounterKey(CounterKind.EMAIL, email, settings.max_failures_per_account),
        CounterKey(CounterKind.ADDRESS, address, settings.max_failures_per_address),
    ]


def delay_after(attempts: int, free: int, settings: AuthSettings) -> dt.timedelta | None:
    """How long after its `attempts`-th attempt a key must wait: nothing while attempts are
    free, then base, 2 x base, 4 x base... capped (exponential back-off, OWASP ASVS 2.2.1)."""
    excess = attempts - free
    if excess < 0:
        return None
    seconds = min(
        settings.throttle_base_seconds * 2 ** min(excess, 40), settings.throttle_max_seconds
    )
    return dt.timedelta(seconds=seconds)


def count_attempt(
    session: Session, keys: list[CounterKey], *, clock: Clock, settings: AuthSettings
) -> None:
    """Count one attempt on every key, or raise SignInThrottled (counting nothing) when one of
    them must still wait. The keys' rows are locked (PostgreSQL row locks; SQLite's write lock),
    so concurrent attempts are counted one after the other and none slips past a limit."""
    now = clock.now()
    digests = {(key.kind.value, key_hash(key.value)): key for key in keys}
    _ensure_rows(session, sorted(digests), now)
    rows = _locked(session, list(digests))
    forget_before = now - dt.timedelta(hours=settings.throttle_memory_hours)
    wait = 0.0
    for row in rows:
        if row.last_attempt_at <= forget_before:
            row.attempts, row.next_attempt_at = 0, None
        if row.next_attempt_at is not None and row.next_attempt_at > now:
            wait = max(wait, (row.next_attempt_at - now).total_seconds())
    if wait > 0:
        raise errors.SignInThrottled(seconds=max(1, math.ceil(wait)))
    for row in rows:
        row.attempts += 1
        row.last_attempt_at = now
        delay = delay_after(row.attempts, digests[(row.kind, row.key_hash)].free, settings)
        row.next_attempt_at = None if delay is None else now + delay
    session.flush()


def clear_attempts(session: Session, keys: list[CounterKey]) -> None:
    """A successful sign-in forgets its e-mail's counts (not its address's)."""
    digests = [
        (key.kind.value, key_hash(key.value)) for key in keys if key.kind is not CounterKind.ADDRESS
    ]
    for row in _locked(session, digests):  # locked in the same order as count_attempt
        session.delete(row)
    session.flush()


def _locked(session: Session, digests: list[tuple[str, str]]) -> list[SignInCounter]:
    """The keys' rows, locked one after the other in one order (no deadlock between attempts)."""
    if not digests:
        return []
    condition = or_(
        *(
            and_(SignInCounter.kind == kind, SignInCounter.key_hash == digest)
            for kind, digest in digests
        )
    )
    return list(
        session.scalars(
            select(SignInCounter)
            .where(condition)
            .order_by(SignInCounter.kind, SignInCounter.key_hash)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


def _ensure_rows(session: Session, digests: list[tuple[str, str]], now: dt.datetime) -> None:
    values = [
        {"kind": kind, "key_hash": digest, "attempts": 0, "last_attempt_at": now}
        for kind, digest in digests
    ]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(postgresql.insert(SignInCounter).values(values).on_conflict_do_nothing())
    else:
        session.execute(sqlite.insert(SignInCounter).values(values).on_conflict_do_nothing())
