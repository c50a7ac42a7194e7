"""The connector's client side alone: retries and back-off, intervals, the state file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from seatbridge.connector import errors
from seatbridge.connector.http import HttpApi
from seatbridge.connector.state import LocalState, OpenRun, load_state, save_state
from seatbridge.connector.timing import parse_interval, retry_after

TOKEN = "sbk_0123456789ab_" + "s" * 43
STATE = {
    "protocol": 1,
    "environment_id": 3,
    "environment": "NORD",
    "entities": {
        name: {"watermark": None, "last_full_at": None, "full_due": True}
        for name in ("collaborators", "customers", "document_headers", "document_lines")
    },
    "open_run": None,
}


def api(answers: list[Callable[[httpx.Request], httpx.Response]], **options: float) -> HttpApi:
    """A client whose server answers each request with the next of `answers`."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers[len(seen) - 1](request)

    made = HttpApi("https://ssm.example.com/", TOKEN, transport=httpx.MockTransport(handle),
                   sleep=slept.append, **options)  # fmt: skip
    made.seen = seen  # type: ignore[attr-defined]
    return made


slept: list[float] = []


@pytest.fixture(autouse=True)
def _no_sleep() -> None:
    slept.clear()


def ok(_request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=STATE)


def status(code: int, **headers: str) -> Callable[[httpx.Request], httpx.Response]:
    return lambda _request: httpx.Response(code, headers=headers, json={"detail": "down"})


def cut(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


class TestRetries:
    def test_5xx_and_cut_connections_are_retried_with_growing_waits(self) -> None:
        client = api([cut, status(502), status(503), ok])
        assert client.state().environment == "NORD"
        assert len(slept) == 3 and slept[0] < slept[2] <= 4.0

    def test_retry_after_is_honoured(self) -> None:
        client = api([status(429, **{"Retry-After": "7"}), ok])
        client.state()
        assert slept == [7.0]

    def test_giving_up_says_why_in_one_line_without_the_key(self) -> None:
        client = api([cut] * 3, attempts=3)
        with pytest.raises(errors.ServerUnreachable) as failure:
            client.state()
        message = str(failure.value)
        assert "https://ssm.example.com" in message and "3" in message
        assert TOKEN not in message and "sbk_" not in repr(client)

    def test_a_refusal_is_not_retried(self) -> None:
        problem = {"code": "api_key_rejected", "detail": "Clé d'API absente"}
        client = api([lambda _r: httpx.Response(401, json=problem)])
        with pytest.raises(errors.ServerRefused) as refused:
            client.state()
        assert refused.value.fatal and refused.value.problem == "api_key_rejected"
        assert slept == []

    def test_not_a_seatbridge_server(self) -> None:
        client = api([lambda _r: httpx.Response(200, text="<html>hello</html>")])
        with pytest.raises(errors.UnexpectedAnswer):
            client.state()

    def test_the_key_travels_only_in_the_authorization_header(self) -> None:
        client = api([ok])
        client.state()
        (request,) = client.seen  # type: ignore[attr-defined]
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        assert TOKEN not in str(request.url)
        assert str(request.url) == "https://ssm.example.com/api/v1/connector/state"


class TestTiming:
    @pytest.mark.parametrize(
        ("text", "seconds"), [("30s", 30), ("5m", 300), ("1h", 3600), ("90", 90), (" 2M ", 120)]
    )
    def test_intervals(self, text: str, seconds: float) -> None:
        assert parse_interval(text) == seconds

    @pytest.mark.parametrize("text", ["", "0s", "5 minutes", "-1m", "1d"])
    def test_bad_intervals(self, text: str) -> None:
        with pytest.raises(errors.InvalidInterval):
            parse_interval(text)

    def test_retry_after_as_a_date(self) -> None:
        assert retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
        assert retry_after("soon") is None and retry_after("100000") == 600.0


class TestStateFile:
    def test_it_is_replaced_in_one_step(self, tmp_path: Path) -> None:
        path = tmp_path / "state" / "nord.json"
        assert load_state(path) is None
        state = LocalState(server="https://x", environment_id=3, open_run=OpenRun(7, "u", 100))
        save_state(path, state)
        assert load_state(path) == state
        state.open_run = None
        save_state(path, state)
        assert load_state(path) == state
        assert [p.name for p in path.parent.iterdir()] == ["nord.json"]  # no temporary left

    def test_a_damaged_file_is_one_clear_error(self, tmp_path: Path) -> None:
        path = tmp_path / "nord.json"
        path.write_text(json.dumps({"version": 1, "server": "x"}))
        with pytest.raises(errors.StateFileError, match="delete it"):
            load_state(path)
