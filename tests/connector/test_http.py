"""The connector endpoints over real HTTP: a push, keys and scopes, limits, problems, busy."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from seatbridge.accounts.models import Environment
from seatbridge.config import JobSettings
from seatbridge.connector.errors import ServerRefused
from seatbridge.connector.http import HttpApi
from seatbridge.connector.push import Pusher
from seatbridge.ingest.codec import batch_id
from seatbridge.ingest.wire import ENTITY_NAMES, RunCommit
from seatbridge.jobs import schedule
from seatbridge.sage100.reader import Sage100Reader
from tests.connector.conftest import Server
from tests.ingest.support import copies, sync_directly
from tests.support.factories import make_account

PROBLEM = "application/problem+json"


def call(server: Server, method: str, path: str, token: str | None, **options: Any) -> Any:
    headers = options.pop("headers", {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    url = f"{server.url}/api/v1/connector{path}"
    return httpx.request(method, url, headers=headers, timeout=30, **options)


def opening() -> dict[str, Any]:
    plan = {"full": True, "next": {"modified_since": None, "max_cbmarq": 0}}
    return {"connector_run_id": str(uuid.uuid4()), "entities": dict.fromkeys(ENTITY_NAMES, plan)}


def key_batch(sequence: int = 0) -> dict[str, Any]:
    rows = [["C001", 1]]
    return {
        "batch_id": batch_id("customers", "keys", sequence, None, rows),
        "entity": "customers",
        "kind": "keys",
        "sequence": sequence,
        "rows": rows,
    }


def test_a_push_over_http_ends_like_a_direct_read(server: Server, sage: Path) -> None:
    with HttpApi(server.url, server.token) as api, Sage100Reader(f"sqlite:///{sage}") as reader:
        report = Pusher(reader, api, sage.with_suffix(".json"), server=server.url,
                        batch_rows=50).push()  # fmt: skip
    assert report.outcome["collaborators"]["status"] == "succeeded"
    assert sum(entity.sent for entity in report.entities.values()) > 10
    with server.sessions.begin() as session:
        account = make_account(session)
        direct = Environment(account_id=account.id, name="BIJOU", source_url=f"sqlite:///{sage}")
        session.add(direct)
        session.flush()
        session.expunge(direct)
    sync_directly(server.sessions, environment=direct, sage=sage, clock=server.clock)
    with server.sessions() as session:
        pushed = copies(session, account_id=server.account_id,
                        environment_id=server.environment.id)  # fmt: skip
        assert pushed == copies(session, account_id=account.id, environment_id=direct.id)
        assert len(pushed["commerce_document_line"]) > 500


class TestKeys:
    def test_without_a_key_the_answer_is_401_problem(self, server: Server) -> None:
        response = call(server, "GET", "/state", None)
        assert response.status_code == 401
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["code"] == "api_key_rejected"

    @pytest.mark.parametrize("scope", ["admin", "read", "scim"])
    def test_only_connector_keys_push(self, server: Server, scope: str) -> None:
        response = call(server, "POST", "/runs", server.key(scope), json=opening())
        assert response.status_code == 403
        assert response.json()["code"] == "scope_denied"

    def test_a_connector_key_reaches_only_its_environment(self, server: Server) -> None:
        run = call(server, "POST", "/runs", server.token, json=opening()).json()["id"]
        other = server.connector_environment("SUD")
        sibling = server.key(f"connector:{other.id}")
        with server.sessions.begin() as session:
            stranger_account = make_account(session)
        elsewhere = server.connector_environment("EST", account_id=stranger_account.id)
        stranger = server.key(f"connector:{elsewhere.id}", account_id=stranger_account.id)
        for token in (sibling, stranger):
            assert call(server, "GET", f"/runs/{run}", token).status_code == 404
            assert call(server, "POST", f"/runs/{run}/batches", token,
                        json=key_batch()).status_code == 404  # fmt: skip
            commit = call(server, "POST", f"/runs/{run}/commit", token, json={"entities": {}})
            assert commit.status_code in (404, 422)
        assert call(server, "GET", f"/runs/{run}", server.token).json()["received"] == {}

    def test_the_state_of_an_environment_read_directly_is_refused(self, server: Server) -> None:
        with server.sessions.begin() as session:
            direct = Environment(account_id=server.account_id, name="DIR", source_url="sqlite://")
            session.add(direct)
            session.flush()
            direct_id = direct.id
        response = call(server, "GET", "/state", server.key(f"connector:{direct_id}"))
        assert response.status_code == 409 and response.json()["code"] == "ingest.not_connector"


class TestBodies:
    def test_a_batch_sent_again_is_acknowledged_without_staging(self, server: Server) -> None:
        run = call(server, "POST", "/runs", server.token, json=opening()).json()["id"]
        body = gzip.compress(json.dumps(key_batch()).encode())
        headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
        first = call(server, "POST", f"/runs/{run}/batches", server.token, content=body,
                     headers=dict(headers))  # fmt: skip
        again = call(server, "POST", f"/runs/{run}/batches", server.token, content=body,
                     headers=dict(headers))  # fmt: skip
        assert (first.status_code, first.json()) == (201, {"status": "staged", "rows": 1})
        assert (again.status_code, again.json()) == (200, {"status": "duplicate", "rows": 1})

    def test_too_large_bodies_are_refused_before_reading_them(self, server: Server) -> None:
        response = call(server, "POST", "/runs", server.token, content=b"x" * 1_100_000,
                        headers={"Content-Type": "application/json"})  # fmt: skip
        assert response.status_code == 413
        assert response.json()["code"] == "ingest.payload_too_large"

    def test_a_compressed_bomb_is_refused(self, server: Server) -> None:
        run = call(server, "POST", "/runs", server.token, json=opening()).json()["id"]
        bomb = gzip.compress(b" " * (65 * 1024 * 1024), compresslevel=9)
        response = call(server, "POST", f"/runs/{run}/batches", server.token, content=bomb,
                        headers={"Content-Encoding": "gzip"})  # fmt: skip
        assert response.status_code == 413 and "decompressed" in response.json()["detail"]

    def test_unreadable_and_invalid_bodies_are_problems(self, server: Server) -> None:
        run = call(server, "POST", "/runs", server.token, json=opening()).json()["id"]
        path = f"/runs/{run}/batches"
        broken = call(server, "POST", path, server.token, content=b"not gzip",
                      headers={"Content-Encoding": "gzip"})  # fmt: skip
        assert broken.status_code == 422 and broken.json()["code"] == "ingest.invalid_body"
        invalid = call(server, "POST", path, server.token, json={"entity": "customers"})
        assert invalid.status_code == 422 and invalid.json()["code"] == "invalid_input"
        assert {tuple(e["loc"]) for e in invalid.json()["errors"]} >= {("batch_id",), ("rows",)}
        wrong = call(server, "POST", path, server.token,
                     json=key_batch() | {"rows": [["C001", "one"]]})  # fmt: skip
        assert wrong.status_code == 422 and wrong.json()["code"] == "ingest.invalid_batch"
        english = call(server, "POST", path, server.token, json=key_batch() | {"sequence": 1},
                       headers={"Accept-Language": "en"})  # fmt: skip
        assert english.status_code == 422 and "is not the hash" in english.json()["detail"]


def test_a_commit_waits_while_another_sync_holds_the_environment(server: Server) -> None:
    environment_id = server.environment.id
    assert schedule.claim(server.sessions, environment_id=environment_id, owner="other",
                          now=server.clock.now(), lease=dt.timedelta(minutes=10))  # fmt: skip
    run = call(server, "POST", "/runs", server.token, json=opening()).json()["id"]
    totals = {"entities": {name: {"records": 0, "count": 0} for name in ENTITY_NAMES}}
    busy = call(server, "POST", f"/runs/{run}/commit", server.token, json=totals)
    assert busy.status_code == 409 and busy.headers["Retry-After"] == "5"
    assert busy.json()["code"] == "ingest.busy"
    with pytest.raises(ServerRefused) as refused:
        HttpApi(server.url, server.token, busy_patience=0).commit(
            run, RunCommit.model_validate(totals)
        )
    assert refused.value.problem == "ingest.busy"
    waited: list[float] = []

    def other_sync_ends(seconds: float) -> None:
        waited.append(seconds)
        schedule.finish(server.sessions, environment_id=environment_id, owner="other",
                        now=server.clock.now(), status="succeeded", error=None,
                        settings=JobSettings())  # fmt: skip

    patient = HttpApi(server.url, server.token, sleep=other_sync_ends)
    assert patient.commit(run, RunCommit.model_validate(totals)).status == "applied"
    assert waited == [5.0]  # as the server's Retry-After says


def test_the_openapi_document_describes_the_connector_endpoints(server: Server) -> None:
    document = httpx.get(f"{server.url}/api/v1/openapi.json").json()
    paths = document["paths"]
    run = "/connector/runs/{run_id}"
    for path in ("/connector/state", "/connector/runs", run, f"{run}/batches", f"{run}/commit"):
        assert path in paths, path
    schemas = document["components"]["schemas"]
    text = json.dumps(document)
    refs = {part.split('"')[0] for part in text.split('"$ref": "#/components/schemas/')[1:]}
    assert refs <= set(schemas), refs - set(schemas)
    body = paths["/connector/runs/{run_id}/batches"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["properties"]["rows"]
