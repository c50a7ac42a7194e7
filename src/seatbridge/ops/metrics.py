"""Prometheus metrics through `prometheus-client`.

Two kinds live in one registry per web app:

* **store metrics**, computed from the database at scrape time by `StoreCollector` (sync runs,
  seats, environments, the mail backlog): every process of a deployment reports the same values,
  whichever one Prometheus scrapes;
* **process-local metrics**: HTTP requests (`HttpMetrics`, an ASGI middleware labelled by the
  route template, never the raw path), sign-in outcomes, and the client's process and platform
  collectors (CPU, memory, open files, Python version).

Labels are stable ids only (`account_id`, `environment_id`): never a tenant's name, slug or an
e-mail, which are private and can change (issue 13). Names follow the Prometheus conventions:
counters end in `_total`, units are base units in the name (`_seconds`), gauges carry no `_total`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    Metric,
    SummaryMetricFamily,
)
from prometheus_client.registry import Collector
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from seatbridge.accounts.models import Account, Environment
from seatbridge.mail.models import OutboxMessage
from seatbridge.sync.models import SyncRun

CONTENT_TYPE = CONTENT_TYPE_LATEST
# The text format's `_created` series read as extra gauges to most tools: left out.
disable_created_metrics()  # type: ignore[no-untyped-call]
# Request durations: an API call should answer in well under a second (SCIM clients give up at
# 60 s); the buckets resolve the p95/p99 of both fast reads and synchronous syncs.
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
_ENV = ["account_id", "environment_id"]
SIGN_IN_OUTCOMES = ("succeeded", "refused", "throttled", "choose_account")


def database_ok(session: Session) -> bool:
    session.execute(text("SELECT 1"))
    return True


class StoreCollector(Collector):
    """Metrics read from the store at each scrape (one short read-only transaction)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def collect(self) -> Iterator[Metric]:
        with self._sessions() as session:
            yield from store_metrics(session)

    def describe(self) -> list[Metric]:
        # Without describe(), registering would call collect() (a database read) at start-up.
        return []


def store_metrics(session: Session) -> list[Metric]:
    runs = CounterMetricFamily(
        "seatbridge_sync_runs", "Sync runs by environment and status.", labels=[*_ENV, "status"]
    )
    for account_id, environment_id, status, count in session.execute(
        select(SyncRun.account_id, SyncRun.environment_id, SyncRun.status, func.count()).group_by(
            SyncRun.account_id, SyncRun.environment_id, SyncRun.status
        )
    ):
        runs.add_metric([str(account_id), str(environment_id), status], count)

    duration = SummaryMetricFamily(
        "seatbridge_sync_run_duration_seconds", "Duration of finished sync runs.", labels=_ENV
    )
    records = CounterMetricFamily(
        "seatbridge_sync_records_read", "Sage 100 records read by finished sync runs.", labels=_ENV
    )
    seconds = func.sum(_seconds(SyncRun.finished_at, SyncRun.started_at, session))
    for account_id, environment_id, total, count, read in session.execute(
        select(
            SyncRun.account_id,
            SyncRun.environment_id,
            seconds,
            func.count(),
            func.coalesce(func.sum(SyncRun.records_read), 0),
        )
        .where(SyncRun.finished_at.is_not(None))
        .group_by(SyncRun.account_id, SyncRun.environment_id)
    ):
        labels = [str(account_id), str(environment_id)]
        duration.add_metric(labels, count_value=count, sum_value=max(0.0, float(total or 0)))
        records.add_metric(labels, int(read))

    failures = GaugeMetricFamily(
        "seatbridge_environment_sync_failures",
        "Consecutive failed syncs per environment.",
        labels=_ENV,
    )
    last_sync = GaugeMetricFamily(
        "seatbridge_environment_last_sync_timestamp_seconds",
        "When each environment last finished a sync (Unix time).",
        labels=_ENV,
    )
    for account_id, environment_id, failed, last in session.execute(
        select(
            Environment.account_id,
            Environment.id,
            Environment.sync_failures,
            Environment.last_sync_at,
        ).order_by(Environment.id)
    ):
        labels = [str(account_id), str(environment_id)]
        failures.add_metric(labels, failed)
        if last is not None:
            last_sync.add_metric(labels, _aware(last).timestamp())

    licensed = GaugeMetricFamily(
        "seatbridge_seats_licensed", "Seats of the activation code in force.", labels=["account_id"]
    )
    used = GaugeMetricFamily(
        "seatbridge_seats_used", "Seats held by invited or active users.", labels=["account_id"]
    )
    free = GaugeMetricFamily(
        "seatbridge_seats_free", "Seats still free (0 when over quota).", labels=["account_id"]
    )
    for account_id, seats, seats_used in session.execute(
        select(Account.id, Account.seats, Account.seats_used).order_by(Account.id)
    ):
        licensed.add_metric([str(account_id)], seats)
        used.add_metric([str(account_id)], seats_used)
        free.add_metric([str(account_id)], max(0, seats - seats_used))

    backlog = GaugeMetricFamily(
        "seatbridge_mail_backlog_messages",
        "E-mails waiting to be delivered (neither sent nor given up).",
        labels=["account_id"],
    )
    oldest = GaugeMetricFamily(
        "seatbridge_mail_backlog_oldest_timestamp_seconds",
        "When the oldest e-mail still waiting was queued (Unix time).",
        labels=["account_id"],
    )
    given_up = GaugeMetricFamily(
        "seatbridge_mail_failed_messages",
        "E-mails given up after their last attempt.",
        labels=["account_id"],
    )
    waiting = OutboxMessage.sent_at.is_(None) & OutboxMessage.failed_at.is_(None)
    for account_id, count, first in session.execute(
        select(OutboxMessage.account_id, func.count(), func.min(OutboxMessage.created_at))
        .where(waiting)
        .group_by(OutboxMessage.account_id)
    ):
        backlog.add_metric([str(account_id)], count)
        if first is not None:
            oldest.add_metric([str(account_id)], _aware(first).timestamp())
    for account_id, count in session.execute(
        select(OutboxMessage.account_id, func.count())
        .where(OutboxMessage.failed_at.is_not(None))
        .group_by(OutboxMessage.account_id)
    ):
        given_up.add_metric([str(account_id)], count)

    return [
        runs,
        duration,
        records,
        failures,
        last_sync,
        licensed,
        used,
        free,
        backlog,
        oldest,
        given_up,
    ]


@dataclass
class Metrics:
    """The registry of one web app, with the process-local instruments the edges update."""

    registry: CollectorRegistry = field(
        default_factory=lambda: CollectorRegistry(auto_describe=True)
    )
    requests: Counter = field(init=False)
    durations: Histogram = field(init=False)
    in_flight: Gauge = field(init=False)
    sign_ins: Counter = field(init=False)

    def __post_init__(self) -> None:
        self.requests = Counter(
            "seatbridge_http_requests",
            "HTTP requests answered, by method, route template and status code.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.durations = Histogram(
            "seatbridge_http_request_duration_seconds",
            "Time to answer HTTP requests, by method and route template.",
            ["method", "route"],
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "seatbridge_http_requests_in_flight",
            "HTTP requests being answered now.",
            registry=self.registry,
        )
        self.sign_ins = Counter(
            "seatbridge_sign_ins",
            "Sign-in attempts on the web pages, by outcome.",
            ["outcome"],
            registry=self.registry,
        )
        for outcome in SIGN_IN_OUTCOMES:
            self.sign_ins.labels(outcome)  # every outcome is reported from 0
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)

    def watch_store(self, sessions: sessionmaker[Session]) -> None:
        self.registry.register(StoreCollector(sessions))

    def render(self) -> bytes:
        return generate_latest(self.registry)

    def signed_in(self, outcome: str) -> None:
        self.sign_ins.labels(outcome).inc()


class HttpMetrics:
    """ASGI middleware: count and time every HTTP request by its route template.

    The label is the template that matched (`/api/v1/users/{user_id}`), so that ids in paths
    never multiply the series; a request no route matched is labelled `unmatched`.
    """

    def __init__(
        self, app: ASGIApp, metrics: Metrics, clock: Callable[[], float] = time.perf_counter
    ):
        self.app = app
        self.metrics = metrics
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = self.clock()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive, sending)
        finally:
            self.metrics.in_flight.dec()
            route = route_template(scope)
            method = str(scope.get("method", "GET"))
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.durations.labels(method, route).observe(self.clock() - started)


def route_template(scope: Scope) -> str:
    """The matched route's path template, with its mount prefix (Starlette updates the scope of
    a mounted app in place, so the innermost route and the full root_path are both visible)."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    if not isinstance(template, str):
        return "unmatched"
    return f"{scope.get('root_path', '')}{template}" or "/"


def _seconds(end: Any, start: Any, session: Session) -> Any:
    """Seconds between two timestamp columns, in the store's own dialect."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return func.extract("epoch", end) - func.extract("epoch", start)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
