"""The server as the connector sees it: the protocol, and its HTTP implementation (httpx).

Every call may be repeated safely (runs reopen by the connector's run id, batches are named by
their content, a commit is idempotent), so connection errors, timeouts, 5xx and 429 are retried
with exponential back-off, honouring Retry-After. The key only travels in the Authorization
header; it is never logged nor put in a message.
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable
from typing import Any, Final, Protocol, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from seatbridge.connector import errors
from seatbridge.connector.timing import backoff, retry_after
from seatbridge.ingest.wire import (
    BatchAck,
    BatchIn,
    CommitView,
    RunCommit,
    RunOpen,
    RunView,
    StateView,
)

API_PREFIX: Final = "/api/v1/connector"
RETRYABLE: Final = frozenset({429, 500, 502, 503, 504})
BUSY: Final = "ingest.busy"
M = TypeVar("M", bound=BaseModel)


class ConnectorApi(Protocol):
    """What the connector asks the server (HTTP in production, in-process in tests)."""

    def state(self) -> StateView: ...

    def open_run(self, request: RunOpen) -> RunView: ...

    def get_run(self, run_id: int) -> RunView | None: ...

    def send_batch(self, run_id: int, batch: BatchIn) -> BatchAck: ...

    def commit(self, run_id: int, request: RunCommit) -> CommitView: ...


class HttpApi:
    """The connector endpoints of a seatbridge server."""

    def __init__(
        self,
        server: str,
        key: str,
        *,
        timeout: float = 60.0,
        commit_timeout: float = 1800.0,
        attempts: int = 6,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        busy_patience: float = 1800.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.server = server.rstrip("/")
        self.commit_timeout = commit_timeout
        self.attempts = max(1, attempts)
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.busy_patience = busy_patience
        self.sleep = sleep
        self._client = httpx.Client(
            base_url=self.server + API_PREFIX,
            headers={"Authorization": f"Bearer {key}", "User-Agent": "seatbridge-connector"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)),
            transport=transport,
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"HttpApi({self.server!r})"

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpApi:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def state(self) -> StateView:
        return self._parse(StateView, self._call("GET", "/state"), "state")

    def open_run(self, request: RunOpen) -> RunView:
        response = self._call("POST", "/runs", body=request.model_dump_json().encode())
        return self._parse(RunView, response, "run")

    def get_run(self, run_id: int) -> RunView | None:
        response = self._call("GET", f"/runs/{run_id}", missing_ok=True)
        return None if response is None else self._parse(RunView, response, "run")

    def send_batch(self, run_id: int, batch: BatchIn) -> BatchAck:
        body = gzip.compress(batch.model_dump_json().encode(), compresslevel=6)
        response = self._call("POST", f"/runs/{run_id}/batches", body=body, gzipped=True)
        return self._parse(BatchAck, response, "batch")

    def commit(self, run_id: int, request: RunCommit) -> CommitView:
        response = self._call(
            "POST",
            f"/runs/{run_id}/commit",
            body=request.model_dump_json().encode(),
            timeout=self.commit_timeout,
            wait_while_busy=True,
        )
        return self._parse(CommitView, response, "commit")

    # Plumbing

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        gzipped: bool = False,
        timeout: float | None = None,
        wait_while_busy: bool = False,
        missing_ok: bool = False,
    ) -> Any:
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
            if gzipped:
                headers["Content-Encoding"] = "gzip"
        options: dict[str, Any] = {"content": body, "headers": headers}
        if timeout is not None:
            options["timeout"] = httpx.Timeout(timeout, connect=15.0)
        attempt, busy_since = 0, None
        while True:
            try:
                response = self._client.request(method, path, **options)
            except httpx.TransportError as error:
                attempt += 1
                if attempt >= self.attempts:
                    raise errors.ServerUnreachable(
                        server=self.server, attempts=attempt, detail=_describe(error)
                    ) from None
                self.sleep(backoff(attempt, base=self.backoff_base, cap=self.backoff_cap))
                continue
            if response.status_code == 404 and missing_ok:
                return None
            if response.is_success:
                return response
            problem = _problem(response)
            wait = retry_after(response.headers.get("Retry-After"))
            if wait_while_busy and response.status_code == 409 and problem[0] == BUSY:
                busy_since = busy_since or time.monotonic()
                if time.monotonic() - busy_since < self.busy_patience:
                    self.sleep(wait if wait is not None else 5.0)
                    continue
            if response.status_code not in RETRYABLE:
                raise errors.ServerRefused(
                    status=response.status_code, detail=problem[1], problem=problem[0]
                )
            attempt += 1
            if attempt >= self.attempts:
                raise errors.ServerFailed(
                    status=response.status_code, attempts=attempt, detail=problem[1]
                )
            delay = backoff(attempt, base=self.backoff_base, cap=self.backoff_cap)
            self.sleep(max(delay, wait) if wait is not None else delay)

    @staticmethod
    def _parse(model: type[M], response: httpx.Response, what: str) -> M:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as error:
            detail = str(error).splitlines()[0]
            raise errors.UnexpectedAnswer(what=what, detail=detail) from None


def _problem(response: httpx.Response) -> tuple[str | None, str]:
    """The stable code and the human detail of an error answer (problem+json, or not)."""
    if response.is_redirect:  # not followed: the key must only go where it was told to
        target = response.headers.get("Location", "?")
        return None, f"redirected to {target}: give that address as --server"
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        code = body.get("code")
        detail = body.get("detail") or body.get("title")
        if isinstance(detail, list):  # a validation error listing its problems
            detail = "; ".join(str(item.get("msg", item)) for item in detail[:3])
        if detail:
            return (str(code) if code else None, str(detail))
    text = response.text.strip().splitlines()[0][:200] if response.text.strip() else ""
    return None, text or response.reason_phrase or str(response.status_code)


def _describe(error: httpx.TransportError) -> str:
    detail = str(error) or type(error).__name__
    return f"{type(error).__name__}: {detail}" if str(error) else detail
