"""Engines for Sage 100 company databases, with timeouts, and driver errors turned into ours.

Production Sage 100 is SQL Server, reached with ``mssql+pymssql://user:pw@host:1433/BIJOU``;
demo companies live in SQLite (a plain file path is accepted), PostgreSQL or MariaDB.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from seatbridge.i18n import _
from seatbridge.sage100.errors import (
    Sage100DriverMissing,
    Sage100Error,
    Sage100InvalidUrl,
    Sage100ReadFailed,
    Sage100TableMissing,
    Sage100Timeout,
    Sage100Unreachable,
)

DEFAULT_CONNECT_TIMEOUT: Final = 15.0
# SQLite has no statement timeout; this is how long a reader waits for another writer's lock.
DEFAULT_SQLITE_BUSY_TIMEOUT: Final = 30.0

_TIMEOUT_MARKERS: Final = (
    "statement timeout",
    "canceling statement",
    "database is locked",
    "database is busy",
    "timed out",
    "timeout expired",
    "max_statement_time",
    "lost connection to mysql server during query",
)
_MISSING_TABLE_MARKERS: Final = (
    "no such table",
    "doesn't exist",
    "does not exist",
    "invalid object",
)
_CONNECT_MARKERS: Final = (
    "connection refused",
    "connection failed",
    "could not connect",
    "can't connect",
    "unable to connect",
    "unable to open database",
    "server closed the connection",
)
_POSTGRES_QUERY_CANCELED: Final = "57014"
_PASSWORD: Final = re.compile(r"(://[^:/@]*:)[^@]*@")


def database_url(target: str | URL) -> URL:
    """Parse a SQLAlchemy URL, or treat text without ``://`` as the path of a SQLite file."""
    if isinstance(target, URL):
        return target
    text = target.strip()
    if not text:
        raise Sage100InvalidUrl(url=target, detail=_("adresse vide"))
    if "\x00" in text:  # no driver accepts it; SQLite would raise ValueError
        raise Sage100InvalidUrl(url=text.replace("\x00", "\\0")[:80], detail="NUL")
    if "://" not in text:
        return URL.create("sqlite", database=str(Path(text).expanduser().absolute()))
    try:
        return make_url(text)
    except (ArgumentError, ValueError) as error:  # ValueError: a port that is not a number
        masked = _PASSWORD.sub(r"\1***@", text)
        raise Sage100InvalidUrl(url=masked, detail=_first_line(error)) from None


def describe(url: URL) -> str:
    """A short, password-free name of the database for messages ("sqlite /x.db", "host:port/db")."""
    backend = url.get_backend_name()
    if backend == "sqlite":
        database = url.database or ":memory:"
        if database.startswith("file:"):  # the read-only form, file:/path?mode=ro
            database = database.removeprefix("file:").split("?", 1)[0]
        return f"SQLite {database}"
    port = f":{url.port}" if url.port else ""
    return f"{backend} {url.host or 'localhost'}{port}/{url.database or ''}"


def create_sage100_engine(
    target: str | URL,
    *,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    statement_timeout: float | None = None,
    read_only: bool = False,
) -> Engine:
    """Create an engine with connect and statement timeouts set the way each driver wants them."""
    url = database_url(target)
    backend = url.get_backend_name()
    try:
        driver = url.get_driver_name()
    except (ArgumentError, NoSuchModuleError) as error:
        raise Sage100InvalidUrl(
            url=url.render_as_string(hide_password=True), detail=_first_line(error)
        ) from None
    connect_args: dict[str, Any] = {}
    seconds = max(1, math.ceil(connect_timeout))
    if backend == "sqlite":
        connect_args["timeout"] = statement_timeout or DEFAULT_SQLITE_BUSY_TIMEOUT
        if read_only and url.database and url.database != ":memory:":
            # A reader must never create an empty file when the path is wrong, nor write.
            path = Path(url.database).absolute().as_posix()
            url = url.set(database=f"file:{path}?mode=ro", query={"uri": "true"})
    elif backend == "postgresql":
        connect_args["connect_timeout"] = seconds
        if statement_timeout:
            connect_args["options"] = f"-c statement_timeout={int(statement_timeout * 1000)}"
    elif backend in ("mysql", "mariadb"):
        connect_args["connect_timeout"] = seconds
        if statement_timeout:
            connect_args["read_timeout"] = max(1, math.ceil(statement_timeout))
    elif backend == "mssql" and driver == "pymssql":
        connect_args["login_timeout"] = seconds
        if statement_timeout:
            connect_args["timeout"] = max(1, math.ceil(statement_timeout))
    try:
        return create_engine(url, connect_args=connect_args)
    except ImportError as error:
        raise Sage100DriverMissing(driver=url.drivername, detail=_first_line(error)) from None
    except (ArgumentError, NoSuchModuleError) as error:
        raise Sage100InvalidUrl(
            url=url.render_as_string(hide_password=True), detail=_first_line(error)
        ) from None


def location_of(engine: Engine) -> str:
    return describe(engine.url)


@contextmanager
def open_connection(engine: Engine) -> Iterator[Connection]:
    """Connect; any failure to do so (host, port, login...) is Sage100Unreachable."""
    try:
        connection = engine.connect()
    except DBAPIError as error:
        detail = _first_line(error.orig if error.orig is not None else error)
        raise Sage100Unreachable(
            location=location_of(engine), detail=connect_reason(detail)
        ) from error
    with connection:
        yield connection


@contextmanager
def translated_errors(
    engine: Engine, *, table: str, timeout: float | None = None
) -> Iterator[None]:
    """Turn driver errors raised while talking to `engine` about `table` into Sage100Error."""
    try:
        yield
    except Sage100Error:
        raise
    except DBAPIError as error:
        raise classify(error, location=location_of(engine), table=table, timeout=timeout) from error


def classify(
    error: DBAPIError, *, location: str, table: str, timeout: float | None = None
) -> Sage100Error:
    """Decide whether a driver error is a timeout, a missing table, an outage or another failure."""
    detail = _first_line(error.orig if error.orig is not None else error)
    lowered = detail.lower()
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate == _POSTGRES_QUERY_CANCELED or any(m in lowered for m in _TIMEOUT_MARKERS):
        seconds = "?" if timeout is None else f"{timeout:g}"
        return Sage100Timeout(location=location, table=table, seconds=seconds, detail=detail)
    if any(marker in lowered for marker in _MISSING_TABLE_MARKERS) and table.lower() in lowered:
        return Sage100TableMissing(location=location, table=table)
    if error.connection_invalidated or _is_connect_failure(lowered):
        return Sage100Unreachable(location=location, detail=connect_reason(detail))
    return Sage100ReadFailed(location=location, table=table, detail=detail)


def _is_connect_failure(lowered: str) -> bool:
    return any(marker in lowered for marker in _CONNECT_MARKERS)


# What a connection failure means, in the reader's language (the driver's own words, often
# English, are kept only when none of these says it).
_CONNECT_REASONS: Final = (
    (("unable to open database file",), _("fichier introuvable ou illisible")),
    (
        ("failed to resolve host", "name or service not known", "could not translate host",
         "nodename nor servname", "unknown host"),
        _("serveur introuvable (nom inconnu)"),
    ),
    (
        ("connection refused", "actively refused"),
        _("le serveur refuse la connexion (port fermé ou service arrêté)"),
    ),
    (
        ("password authentication failed", "login failed", "access denied",
         "authentication failed"),
        _("identifiant ou mot de passe refusé"),
    ),
    (("timed out", "timeout expired"), _("le serveur ne répond pas (délai dépassé)")),
)  # fmt: skip


def connect_reason(detail: str) -> Any:
    """A French (translatable) reason for a driver's connection failure, else its own words."""
    lowered = detail.lower()
    for markers, reason in _CONNECT_REASONS:
        if any(marker in lowered for marker in markers):
            return reason
    return _("le pilote répond « {detail} »", detail=detail)


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    return text if len(text) <= 240 else text[:237] + "..."
