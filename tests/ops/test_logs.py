"""Structured logs: ids on every line of a request, and no secret on any line."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
import structlog
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.config import Settings
from seatbridge.ops.logs import bind_log_context, configure_logging
from seatbridge.sync.runner import run_sync
from seatbridge.web import create_app
from tests.support.factories import clock, make_account, make_environment
from tests.support.memory_sage import MemorySage

API_KEY = "sbk_0123456789ab_" + "Zq9" * 14
LINK_TOKEN = "x7Kp2vQ9mR4tW8yB1nC5dF3gH6jL0sA2eU7iO9pZ4qX"  # 43 chars, like a real one
PASSWORD = "Tr0ub4dor&3-horse"


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging("json", stream=stream)
    try:
        yield stream
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
        structlog.reset_defaults()
        structlog.contextvars.clear_contextvars()


def records(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_secrets_in_fields_urls_and_messages_are_redacted(lines: io.StringIO) -> None:
    logger = logging.getLogger("seatbridge.test")
    bind_log_context(account_id=7)
    logger.info(
        "connecting to %s with %s",
        "postgresql://reader:" + PASSWORD + "@db/BIJOU",
        "Bearer " + API_KEY,
        extra={
            "password": PASSWORD,
            "api_key": API_KEY,
            "link": f"/auth/set-password/{LINK_TOKEN}",
        },
    )
    structlog.get_logger("seatbridge.native").warning(
        "push", token=LINK_TOKEN, headers={"Authorization": "Bearer " + API_KEY}, rows=3
    )
    text = lines.getvalue()
    for secret in (PASSWORD, API_KEY, LINK_TOKEN, API_KEY[16:]):
        assert secret not in text
    first, second = records(lines)
    assert first["account_id"] == 7 and first["level"] == "info"
    assert (
        first["message"]
        == "connecting to postgresql://reader:[redacted]@db/BIJOU with Bearer [redacted]"
    )
    assert first["link"] == "/auth/set-password/[redacted]"
    assert second["rows"] == 3 and second["account_id"] == 7 and second["message"] == "push"


def test_every_request_has_an_id_on_its_lines_and_in_its_answer(
    engine: Engine, lines: io.StringIO
) -> None:
    client = TestClient(create_app(Settings(demo=True), engine=engine, clock=clock()))
    answered = client.get("/healthz", headers={"X-Request-ID": "lb-4f2a.17"})
    assert answered.headers["x-request-id"] == "lb-4f2a.17"
    fresh = client.get("/healthz", headers={"X-Request-ID": "no spaces\tor tabs"})
    generated = fresh.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)

    client.get(f"/auth/set-password/{LINK_TOKEN}")
    client.get("/api/v1/users", headers={"Authorization": f"Bearer {API_KEY}"})
    page = client.get("/auth/sign-in")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    client.post(
        "/auth/sign-in",
        data={"email": "nobody@example.fr", "password": PASSWORD, "csrf_token": csrf[1]},
    )
    text = lines.getvalue()
    for secret in (PASSWORD, API_KEY, LINK_TOKEN):
        assert secret not in text
    requests = [r for r in records(lines) if r["message"] == "request"]
    assert [r["request_id"] for r in requests[:2]] == ["lb-4f2a.17", generated]
    assert requests[0]["status"] == 200 and requests[0]["path"] == "/healthz"
    assert isinstance(requests[0]["duration_ms"], float)
    assert any(r["path"] == "/auth/set-password/[redacted]" for r in requests)
    assert len({r["request_id"] for r in requests}) == len(requests)


def test_a_sync_run_logs_its_start_and_end_with_ids_counts_and_duration(
    sessions: sessionmaker[Session], lines: io.StringIO
) -> None:
    with sessions.begin() as session:
        account = make_account(session, seats=5, name="Bijou SA")
        environment = make_environment(session, account, "BIJOU")
    sage = MemorySage()
    sage.add(1, "rep@bijou-sa.fr")
    outcome = run_sync(
        sessions,
        account_id=account.id,
        environment_id=environment.id,
        source=sage,
        actor="test",
        clock=clock(),
    )
    work = [r for r in records(lines) if r.get("work") == "sync"]
    assert [r["message"] for r in work] == ["sync started", "sync finished"]
    started, finished = work
    ids = {"account_id": account.id, "environment_id": environment.id}
    assert ids.items() <= started.items() and ids.items() <= finished.items()
    assert finished["run_id"] == outcome.run_id and finished["status"] == "succeeded"
    assert finished["counts"] == outcome.counts and isinstance(finished["duration_ms"], float)
    assert "Bijou" not in lines.getvalue() and "rep@bijou-sa.fr" not in lines.getvalue()
