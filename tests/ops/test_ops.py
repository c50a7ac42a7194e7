"""/healthz and /metrics, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.config import Settings
from seatbridge.directory import service as directory
from seatbridge.sync.runner import run_sync
from seatbridge.web import create_app
from tests.support.factories import clock, make_account, make_environment, people
from tests.support.memory_sage import MemorySage


def client(engine: Engine, **settings: object) -> TestClient:
    return TestClient(create_app(Settings(demo=True, **settings), engine=engine, clock=clock()))


def test_healthz_says_the_database_answers(engine: Engine) -> None:
    response = client(engine).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def scrape(guarded: TestClient, **headers: str) -> dict[str, Metric]:
    response = guarded.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {family.name: family for family in text_string_to_metric_families(response.text)}


def value(families: dict[str, Metric], sample: str, **labels: str) -> float:
    found = [
        s.value
        for family in families.values()
        for s in family.samples
        if s.name == sample and all(s.labels.get(k) == v for k, v in labels.items())
    ]
    assert len(found) == 1, (sample, labels, found)
    return found[0]


# Prometheus naming (https://prometheus.io/docs/practices/naming/): snake case, one prefix,
# `_total` only on counters, base units; labels from a fixed set of stable, bounded values.
NAME = re.compile(r"^seatbridge_[a-z][a-z0-9_]*$")
STABLE_LABELS = {"account_id", "environment_id", "status", "method", "route", "outcome", "le"}


def check_conventions(families: dict[str, Metric]) -> None:
    for name, family in families.items():
        if name.startswith(("process_", "python_")):
            continue  # the client's own collectors
        assert NAME.match(name), name
        if family.type != "counter":
            assert not name.endswith("_total"), f"{name} is a {family.type} named like a counter"
        if "duration" in name or "timestamp" in name:
            assert name.endswith("_seconds"), name
        for sample in family.samples:
            assert set(sample.labels) <= STABLE_LABELS, (sample.name, sample.labels)
            for key in ("account_id", "environment_id"):
                if key in sample.labels:
                    assert sample.labels[key].isdigit(), (sample.name, sample.labels)


def test_metrics_report_runs_seats_and_the_mail_backlog_by_id(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        account = make_account(session, seats=10, name="Bijou SA")
        environment = make_environment(session, account, "BIJOU")
        directory.invite_users(
            session, account_id=account.id, people=people(3), actor="a", clock=clock()
        )
    sage = MemorySage()
    sage.add(1, "rep@bijou-sa.fr")
    run_sync(
        sessions,
        account_id=account.id,
        environment_id=environment.id,
        source=sage,
        actor="test",
        clock=clock(),
    )
    guarded = client(engine)
    response = guarded.get("/metrics")
    # Tenants' names and slugs are private: ids only.
    for private in ("Bijou", "BIJOU", account.slug, "rep@bijou-sa.fr"):
        assert private not in response.text
    families = scrape(guarded)
    check_conventions(families)
    ids = {"account_id": str(account.id), "environment_id": str(environment.id)}
    assert value(families, "seatbridge_sync_runs_total", status="succeeded", **ids) == 1
    assert value(families, "seatbridge_sync_run_duration_seconds_count", **ids) == 1
    assert value(families, "seatbridge_sync_records_read_total", **ids) == 1
    assert value(families, "seatbridge_environment_sync_failures", **ids) == 0
    assert value(families, "seatbridge_seats_licensed", account_id=str(account.id)) == 10
    assert value(families, "seatbridge_seats_used", account_id=str(account.id)) == 3
    assert value(families, "seatbridge_seats_free", account_id=str(account.id)) == 7
    assert families["seatbridge_mail_backlog_messages"].type == "gauge"
    assert "process_cpu_seconds" in families  # the client's process collector
    assert "seatbridge_seats_total" not in families  # a gauge must not look like a counter


def test_http_requests_are_counted_by_route_template(engine: Engine) -> None:
    guarded = client(engine)
    for user_id in (1, 2, 3):
        guarded.get(f"/api/v1/users/{user_id}")  # 401 without a key: still a request
    guarded.get("/no/such/page")
    guarded.get("/healthz")
    families = scrape(guarded)
    check_conventions(families)
    template = "/api/v1/users/{user_id}"
    assert (
        value(
            families, "seatbridge_http_requests_total", method="GET", route=template, status="401"
        )
        == 3
    )
    assert (
        value(
            families, "seatbridge_http_request_duration_seconds_count", method="GET", route=template
        )
        == 3
    )
    assert (
        value(
            families, "seatbridge_http_requests_total", method="GET", route="/healthz", status="200"
        )
        == 1
    )
    routes = {s.labels["route"] for s in families["seatbridge_http_requests"].samples}
    assert "unmatched" in routes
    assert not any(route.endswith(("/1", "/2", "/3")) for route in routes)


def test_sign_ins_are_counted_by_outcome(engine: Engine) -> None:
    guarded = client(engine)
    page = guarded.get("/auth/sign-in")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    refused = guarded.post(
        "/auth/sign-in",
        data={"email": "nobody@example.fr", "password": "wrong-pass", "csrf_token": found[1]},
        follow_redirects=False,
    )
    assert refused.status_code == 400
    families = scrape(guarded)
    check_conventions(families)
    assert value(families, "seatbridge_sign_ins_total", outcome="refused") == 1
    assert value(families, "seatbridge_sign_ins_total", outcome="succeeded") == 0
    assert value(families, "seatbridge_sign_ins_total", outcome="throttled") == 0


def test_metrics_are_private_unless_the_operator_opens_them(engine: Engine) -> None:
    production = TestClient(create_app(Settings(secret_key="x" * 40), engine=engine, clock=clock()))
    closed = production.get("/metrics")
    assert closed.status_code == 401
    assert "SEATBRIDGE_METRICS_TOKEN" in closed.text
    assert "seatbridge_" not in closed.text
    opened = TestClient(
        create_app(Settings(secret_key="x" * 40, metrics_public=True), engine=engine, clock=clock())
    )
    assert opened.get("/metrics").status_code == 200
    # The demo keeps it open by default, and may close it.
    assert client(engine).get("/metrics").status_code == 200
    assert client(engine, metrics_public=False).get("/metrics").status_code == 401


def test_metrics_can_require_a_token(engine: Engine) -> None:
    guarded = client(engine, metrics_token="s3cret-scrape-token")
    assert guarded.get("/metrics").status_code == 401
    assert guarded.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    scrape(guarded, Authorization="Bearer s3cret-scrape-token")


def test_json_logs_are_one_object_per_line(capsys: object) -> None:
    import json
    import logging

    from seatbridge.ops.logs import configure_logging

    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    configure_logging("json")
    try:
        logging.getLogger("seatbridge.test").warning(
            "sync of %s failed", "BIJOU", extra={"environment_id": 3}
        )
        line = capsys.readouterr().err.strip().splitlines()[-1]  # type: ignore[attr-defined]
        record = json.loads(line)
        assert record["message"] == "sync of BIJOU failed"
        assert (record["level"], record["environment_id"]) == ("warning", 3)
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
