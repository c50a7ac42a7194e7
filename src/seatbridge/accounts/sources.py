"""Which Sage 100 databases this server may read itself: an operator's decision.

A customer account can never make the server open a file or a network address that is not
theirs (product rule 25). Reading a Sage 100 database directly is allowed only for what the
operator lists in ``SEATBRIDGE_DIRECT_SOURCES``: directories (SQLite company files below them)
and hosts (``host`` or ``host:port`` of SQL Server, PostgreSQL, MariaDB). Everything else reaches
the server through its on-premise connector. Unset, the list is empty (off) in production and the
data folder in the embedded demo.

`require_allowed` is the one check: adding an environment (API, web, CLI) and every direct read
(scheduled, "Synchroniser maintenant", preview, CLI `sync` and `commerce replicate`, connection
tests) go through it before anything is opened, so a refusal reveals nothing about the server: it
is the same sentence whether the file exists or not, the port is open or not, or the source is
already another account's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from seatbridge.accounts.errors import SourceNotAllowed
from seatbridge.accounts.models import Environment, SourceMode
from seatbridge.config import Settings
from seatbridge.sage100.connect import database_url
from seatbridge.sage100.errors import Sage100Error
from seatbridge.sage100.reader import Sage100Reader

# A direct read gives up connecting after this long: short, so that a filtered port (silently
# dropped) and a closed one (refused at once) differ by a few seconds at most.
DIRECT_CONNECT_TIMEOUT: Final = 5.0
NETWORK_BACKENDS: Final = frozenset({"mssql", "postgresql", "mysql", "mariadb"})
DEFAULT_PORTS: Final = {"mssql": 1433, "postgresql": 5432, "mysql": 3306, "mariadb": 3306}
# URL query parameters that cannot redirect a connection elsewhere (host=, unix_socket=,
# service=, passfile=... can, and are refused).
SAFE_QUERY_KEYS: Final = frozenset(
    {"charset", "tds_version", "sslmode", "encrypt", "trustservercertificate", "driver"}
)
OFF: Final = frozenset({"", "off", "none", "false", "0", "no"})


@dataclass(frozen=True, slots=True)
class DirectSources:
    """The operator's allow-list: SQLite files below `directories`, databases on `hosts`."""

    directories: tuple[Path, ...] = ()
    hosts: tuple[tuple[str, int | None], ...] = ()
    # A database one account reads directly is refused to every other account; the embedded demo
    # (one person trying several accounts on the same generated companies) lifts this.
    exclusive: bool = True

    @property
    def enabled(self) -> bool:
        return bool(self.directories or self.hosts)

    @classmethod
    def parse(cls, items: list[str] | tuple[str, ...], *, exclusive: bool = True) -> DirectSources:
        """Items as operators write them: ``/srv/sage``, ``C:\\Sage``, ``sql01``, ``sql01:1433``."""
        directories: list[Path] = []
        hosts: list[tuple[str, int | None]] = []
        for raw in items:
            item = raw.strip()
            if item.lower() in OFF:
                continue
            if item.startswith(("/", "~")) or (
                len(item) > 2 and item[1] == ":" and item[2] in "/\\"
            ):
                directories.append(_resolved(Path(item).expanduser()))
                continue
            host, port = _split_host(item)
            hosts.append((host, port))
        return cls(directories=tuple(directories), hosts=tuple(hosts), exclusive=exclusive)

    @classmethod
    def from_settings(cls, settings: Settings) -> DirectSources:
        exclusive = not settings.demo
        if settings.direct_sources is None:
            # Unset: the demo reads its own generated companies, production reads nothing.
            items = [str(settings.data_dir.absolute())] if settings.demo else []
            return cls.parse(items, exclusive=exclusive)
        return cls.parse(settings.direct_sources, exclusive=exclusive)

    def allows(self, url: URL) -> bool:
        backend = url.get_backend_name()
        if backend == "sqlite":
            return self._allows_file(url)
        if backend not in NETWORK_BACKENDS or not url.host:
            return False
        if any(key.lower() not in SAFE_QUERY_KEYS for key in url.query):
            return False
        host = url.host.strip().lower().strip("[]")
        port = url.port or DEFAULT_PORTS[backend]
        return any(host == allowed and expected in (None, port) for allowed, expected in self.hosts)

    def _allows_file(self, url: URL) -> bool:
        database = url.database or ""
        if url.query or not database or database == ":memory:" or database.startswith("file:"):
            return False
        path = Path(database)
        if not path.is_absolute():
            return False
        resolved = _resolved(path)  # symbolic links and ".." resolved: no way out of a directory
        return any(resolved.is_relative_to(directory) for directory in self.directories)


def require_allowed(source_url: str | None, sources: DirectSources) -> URL:
    """The parsed URL of a source the operator allows this server to read; SourceNotAllowed
    (one sentence, the same for every reason) otherwise. Nothing is opened or resolved here."""
    if not source_url or not sources.enabled:
        raise SourceNotAllowed()
    try:
        url = database_url(source_url)
    except Sage100Error:
        raise SourceNotAllowed() from None
    if not sources.allows(url):
        raise SourceNotAllowed()
    return url


def require_unclaimed(session: Session, *, account_id: int, url: URL) -> None:
    """A database another account already reads directly is refused (same sentence): on a
    server whose allow-list holds several customers' files, no account reads another's."""
    key = source_key(url)
    others = session.scalars(
        select(Environment.source_url).where(
            Environment.account_id != account_id,
            Environment.mode == SourceMode.DIRECT.value,
            Environment.source_url.is_not(None),
        )
    )
    for other in others:
        try:
            if other and source_key(database_url(other)) == key:
                raise SourceNotAllowed()
        except Sage100Error:
            continue


def source_key(url: URL) -> tuple[str, ...]:
    """What identifies a database whatever the spelling of its URL (login and options aside)."""
    backend = url.get_backend_name()
    if backend == "sqlite":
        return ("sqlite", str(_resolved(Path(url.database or ""))))
    port = url.port or DEFAULT_PORTS.get(backend, 0)
    host = (url.host or "").lower()
    return (backend, host, str(port), (url.database or "").lower())


def open_direct_reader(
    source_url: str | None, sources: DirectSources, **options: Any
) -> Sage100Reader:
    """A reader on a stored (or typed) source, once `require_allowed` passed: a source the
    operator no longer allows is refused at sync time too."""
    url = require_allowed(source_url, sources)
    timeout = min(
        float(options.pop("connect_timeout", DIRECT_CONNECT_TIMEOUT)), DIRECT_CONNECT_TIMEOUT
    )
    return Sage100Reader(url, connect_timeout=timeout, **options)


def _resolved(path: Path) -> Path:
    try:
        return Path(os.path.realpath(path.absolute()))
    except (OSError, ValueError):
        return path.absolute()


def _split_host(item: str) -> tuple[str, int | None]:
    text = item.strip().lower()
    if text.startswith("["):  # [::1]:5432
        host, _, rest = text[1:].partition("]")
        port = rest.removeprefix(":")
        return host, int(port) if port.isdigit() else None
    if text.count(":") == 1:
        host, port = text.split(":")
        if port.isdigit():
            return host, int(port)
    return text, None
