"""Connecting Sage 100 companies: "Tester la connexion", and the demo's generated companies."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from seatbridge.accounts.errors import SourceNotAllowed
from seatbridge.accounts.sources import DirectSources, open_direct_reader
from seatbridge.config import Settings
from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_
from seatbridge.sage100.errors import Sage100Error
from seatbridge.sage100.records import Entity

CHECK_CONNECT_TIMEOUT = 10.0
CHECK_STATEMENT_TIMEOUT = 60.0
DEMO_FILE_PREFIX = "sage100-"


@dataclass(frozen=True)
class ConnectionCheck:
    """What a connection test found: the rows of each table, or why it failed."""

    url: str
    counts: dict[str, int] = field(default_factory=dict)
    error: SeatbridgeError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class DemoCompany:
    name: str
    url: str


class CompanyUrlMissing(SeatbridgeError):
    code: ClassVar[str] = "web.company_url_missing"
    template = N_(
        "Indiquez l'adresse de la base Sage 100 (champ « Adresse de la base Sage 100 ») : "
        "le chemin d'un fichier SQLite ou une URL SQL Server."
    )


def check_connection(url: str, sources: DirectSources) -> ConnectionCheck:
    """Open the company read-only (if the operator allows this server to read it), check its
    tables and columns, and count its rows."""
    if not url.strip():
        return ConnectionCheck(url=url, error=CompanyUrlMissing())
    try:
        with open_direct_reader(
            url.strip(),
            sources,
            connect_timeout=CHECK_CONNECT_TIMEOUT,
            statement_timeout=CHECK_STATEMENT_TIMEOUT,
        ) as reader:
            reader.check()
            counts = {entity.name.lower(): reader.count(entity) for entity in Entity}
    except (Sage100Error, SourceNotAllowed) as error:
        return ConnectionCheck(url=url, error=error)
    return ConnectionCheck(url=url, counts=counts)


def shown_url(url: str | None) -> str:
    """A database address as a page may show it (never its password)."""
    if not url:
        return ""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def demo_companies(settings: Settings, connected: set[str]) -> list[DemoCompany]:
    """The demo's generated companies (files `sage100-<name>.db` in the data folder) not yet
    connected; none outside the demo."""
    if not settings.demo or not settings.data_dir.is_dir():
        return []
    found = []
    for path in sorted(Path(settings.data_dir).glob(f"{DEMO_FILE_PREFIX}*.db"), key=_stem):
        url = f"sqlite:///{path.resolve().as_posix()}"
        if url not in connected:
            found.append(DemoCompany(name=path.stem[len(DEMO_FILE_PREFIX) :].upper(), url=url))
    return found


def _stem(path: Path) -> str:
    return path.stem  # BIJOU before BIJOU-NORD
