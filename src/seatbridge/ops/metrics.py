"""Prometheus metrics, computed from the store at scrape time (every process reports the same)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from seatbridge.accounts.models import Account, Environment
from seatbridge.mail.models import OutboxMessage
from seatbridge.sync.models import SyncRun


def database_ok(session: Session) -> bool:
    session.execute(text("SELECT 1"))
    return True


def render_metrics(session: Session, *, now: dt.datetime) -> str:
    lines: list[str] = []
    _family(
        lines,
        "seatbridge_sync_runs_total",
        "counter",
        "Sync runs by status.",
        (
            (f'status="{status}"', count)
            for status, count in session.execute(
                select(SyncRun.status, func.count()).group_by(SyncRun.status)
            )
        ),
    )
    seconds = func.sum(_seconds(SyncRun.finished_at, SyncRun.started_at, session))
    total, count, rows = session.execute(
        select(seconds, func.count(), func.coalesce(func.sum(SyncRun.records_read), 0)).where(
            SyncRun.finished_at.is_not(None)
        )
    ).one()
    _family(
        lines,
        "seatbridge_sync_run_duration_seconds",
        "summary",
        "Duration of finished sync runs.",
        [("", None)],
        summary=(float(total or 0), count),
    )
    _family(
        lines,
        "seatbridge_sync_records_read_total",
        "counter",
        "Sage 100 records read by sync runs.",
        [("", int(rows))],
    )
    _family(
        lines,
        "seatbridge_environment_sync_failures",
        "gauge",
        "Consecutive failed syncs per environment.",
        (
            (f'account="{a}",environment="{_escape(n)}"', f)
            for a, n, f in session.execute(
                select(Account.slug, Environment.name, Environment.sync_failures).join(
                    Account, Account.id == Environment.account_id
                )
            )
        ),
    )
    _family(
        lines,
        "seatbridge_environment_last_sync_timestamp_seconds",
        "gauge",
        "When each environment last finished a sync (Unix time).",
        (
            (f'account="{a}",environment="{_escape(n)}"', t.timestamp() if t else 0)
            for a, n, t in session.execute(
                select(Account.slug, Environment.name, Environment.last_sync_at)
                .join(Account, Account.id == Environment.account_id)
                .where(Environment.last_sync_at.is_not(None))
            )
        ),
    )
    accounts = session.execute(select(Account.slug, Account.seats, Account.seats_used)).all()
    _family(
        lines,
        "seatbridge_seats_total",
        "gauge",
        "Seats of the code in force.",
        ((f'account="{slug}"', seats) for slug, seats, _ in accounts),
    )
    _family(
        lines,
        "seatbridge_seats_used",
        "gauge",
        "Seats held by invited or active users.",
        ((f'account="{slug}"', used) for slug, _, used in accounts),
    )
    _family(
        lines,
        "seatbridge_seats_free",
        "gauge",
        "Seats still free (0 when over quota).",
        ((f'account="{slug}"', max(0, seats - used)) for slug, seats, used in accounts),
    )
    backlog = session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
    )
    _family(
        lines,
        "seatbridge_outbox_backlog",
        "gauge",
        "E-mails waiting to be delivered.",
        [("", backlog or 0)],
    )
    return "\n".join(lines) + "\n"


def _family(
    lines: list[str],
    name: str,
    kind: str,
    help_text: str,
    samples: Iterable[tuple[str, float | int | None]],
    summary: tuple[float, int] | None = None,
) -> None:
    lines.append(f"# HELP {name} {help_text}")
    lines.append(f"# TYPE {name} {kind}")
    if summary is not None:
        lines.append(f"{name}_sum {summary[0]:.3f}")
        lines.append(f"{name}_count {summary[1]}")
        return
    for labels, value in samples:
        label_text = f"{{{labels}}}" if labels else ""
        lines.append(f"{name}{label_text} {value}")


def _seconds(end: Any, start: Any, session: Session) -> Any:
    """Seconds between two timestamp columns, in the store's own dialect."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return func.extract("epoch", end) - func.extract("epoch", start)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
