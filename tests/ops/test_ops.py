"""/healthz and /metrics, on SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient
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


def test_metrics_report_runs_seats_and_the_outbox(
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
    response = client(engine).get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    samples = dict(
        line.rsplit(" ", 1) for line in response.text.splitlines() if not line.startswith("#")
    )
    assert samples['seatbridge_sync_runs_total{status="succeeded"}'] == "1"
    assert samples[f'seatbridge_seats_used{{account="{account.slug}"}}'] == "3"
    assert samples[f'seatbridge_seats_free{{account="{account.slug}"}}'] == "7"
    assert samples["seatbridge_sync_run_duration_seconds_count"] == "1"
    assert "seatbridge_outbox_backlog" in samples


def test_metrics_can_require_a_token(engine: Engine) -> None:
    guarded = client(engine, metrics_token="s3cret-scrape-token")
    assert guarded.get("/metrics").status_code == 401
    assert (
        guarded.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape-token"}).status_code
        == 200
    )


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
