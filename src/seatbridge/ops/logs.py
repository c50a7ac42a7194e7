"""Logs for serve and worker through structlog: readable text, or one JSON object per line.

Every line carries the fields bound in its context (`request_id`, and whatever a job or a run
binds with `bind_log_context`), stdlib loggers (uvicorn, procrastinate, SQLAlchemy, ours) included.
Secrets never reach a line: values of secret-named fields, passwords in URLs, API keys, bearer
tokens and single-use link tokens are replaced by ``[redacted]`` by the last processor before
rendering (tests/ops/test_logs.py). See docs/operations.md, "Logs".
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import IO, Any, Literal

import structlog
from structlog.contextvars import bind_contextvars, bound_contextvars, clear_contextvars
from structlog.typing import EventDict, WrappedLogger

REDACTED = "[redacted]"
# Single-use link tokens and other long opaque strings (32 random bytes in base64url: 43 chars).
LONG_OPAQUE = (
    r"(?<![A-Za-z0-9_\-])(?=[A-Za-z0-9_\-]*\d)(?=[A-Za-z0-9_\-]*[A-Za-z])"
    r"[A-Za-z0-9_\-]{24,}(?![A-Za-z0-9_\-])"
)
SECRET_FIELD = re.compile(
    r"(pass(word|wd)?|secret|token|api_?key|authorization|cookie|credential|signature|code_?key)$",
    re.IGNORECASE,
)
SECRET_TEXT = [
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=\-]+"), r"\1 " + REDACTED),
    (re.compile(r"\bsbk_[A-Za-z0-9_\-]+"), "sbk_" + REDACTED),  # API keys
    (re.compile(r"(://[^/\s:@]+):[^@\s/]+@"), r"\1:" + REDACTED + "@"),  # URL passwords
    (re.compile(LONG_OPAQUE), REDACTED),
]
NOT_SECRET = frozenset({"request_id", "time", "level", "logger"})
REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")

http_log = logging.getLogger("seatbridge.http")


def scrub(text: str) -> str:
    for pattern, replacement in SECRET_TEXT:
        text = pattern.sub(replacement, text)
    return text


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: REDACTED if _secret_name(k) else _scrub_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_value(v) for v in value]
    return value


def _secret_name(name: object) -> bool:
    return isinstance(name, str) and bool(SECRET_FIELD.search(name))


def redact_secrets(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    """The last processor before rendering: nothing secret leaves the process."""
    for key in list(event):
        if key in NOT_SECRET:
            continue
        if _secret_name(key):
            event[key] = REDACTED
        else:
            event[key] = _scrub_value(event[key])
    return event


def _render_message(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    """A stdlib record's message with its %-arguments applied, as `event`."""
    record = event.get("_record")
    if isinstance(record, logging.LogRecord) and event.get("event") is record.msg:
        event["event"] = record.getMessage()
        event.pop("positional_args", None)
    return event


def configure_logging(
    fmt: Literal["text", "json"], level: int = logging.INFO, stream: IO[str] | None = None
) -> None:
    """Route structlog and the stdlib loggers to one handler on `stream` (stderr by default)."""
    timestamper = structlog.processors.TimeStamper(fmt="iso", utc=True, key="time")
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        timestamper,
    ]
    structlog.configure(
        processors=[
            *shared,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False, default=str)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder(), _render_message],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.EventRenamer("message"),
            redact_secrets,
            renderer,
        ],
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def bind_log_context(**fields: Any) -> None:
    """Fields every following line of this thread or task carries (ids, never names or secrets)."""
    bind_contextvars(**fields)


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class RequestIds:
    """ASGI middleware: each request gets an id (the caller's `X-Request-ID` when it is a sane
    token, a new one otherwise), bound to every log line of the request, answered in
    `X-Request-ID`, and one `request` line at the end with the status and duration."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [h for h in message.get("headers", []) if h[0] != b"x-request-id"]
                message["headers"] = [*headers, (b"x-request-id", request_id.encode())]
            await send(message)

        clear_contextvars()
        with bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                http_log.info(
                    "request",
                    extra={
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
