"""What every command shares: settings, the store, JSON output and one-line errors."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.config import Settings
from seatbridge.db import migrate
from seatbridge.db.engine import create_store_engine, session_factory
from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import Text, language, render

JSON_OPTION = typer.Option(False, "--json", help="Print a machine-readable JSON result.")

stderr = Console(stderr=True)
stdout = Console()


def load_settings() -> Settings:
    return Settings()


def cli_locale() -> str:
    """The CLI's language: SEATBRIDGE_LANG (fr, en), French otherwise. The system's LANG is not
    used: servers often say en_US whatever their admin reads."""
    return language(os.environ.get("SEATBRIDGE_LANG"))


def say(text: Text | str) -> str:
    """A message in the CLI's language."""
    return str(render(text, cli_locale()))


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear line on stderr and exit with `code` (no stack trace for a person)."""
    stderr.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def emit_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn a domain error into one line and exit code 1."""
    try:
        yield
    except SeatbridgeError as error:
        fail(error.message(cli_locale()))


@contextmanager
def store_engine(settings: Settings) -> Iterator[Engine]:
    engine = create_store_engine(settings.database_url)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def store_sessions(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """Sessions on a store that is reachable and migrated, or one clear line and exit 1."""
    with store_engine(settings) as engine:
        try:
            up_to_date = migrate.is_up_to_date(engine)
        except OperationalError as error:
            fail(f"cannot open the store ({type(error.orig).__name__}): {error.orig}")
        if not up_to_date:
            fail("the store is not up to date: run `seatbridge db upgrade` first.")
        yield session_factory(engine)


def deliver_mail(sessions: sessionmaker[Session], settings: Settings) -> int:
    """Send what the command queued in the outbox now (SMTP, or the demo mailbox folder)."""
    from seatbridge.clock import SYSTEM_CLOCK
    from seatbridge.mail import deliver_outbox
    from seatbridge.mail.factory import transport_from_settings

    return deliver_outbox(sessions, transport_from_settings(settings), SYSTEM_CLOCK).sent
