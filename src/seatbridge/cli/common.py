"""What every command shares: settings, the store, JSON output and one-line errors.

Cheap to import (issue 18): SQLAlchemy, Alembic and the settings' validators load when a command
first opens the store or reads its settings, so `--help` and store-free commands never pay them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from seatbridge.cli.errors import cli_locale as cli_locale
from seatbridge.cli.errors import fail as fail
from seatbridge.cli.output import JSON_OPTION as JSON_OPTION
from seatbridge.cli.output import emit_json as emit_json
from seatbridge.cli.output import say as say
from seatbridge.cli.output import stderr as stderr
from seatbridge.cli.output import stdout as stdout
from seatbridge.cli.output import tell as tell

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from seatbridge.config import Settings


def load_settings() -> Settings:
    from seatbridge.config import Settings

    return Settings()


@contextmanager
def domain_errors() -> Iterator[None]:
    """Kept for the commands that use it: a domain error now goes up to `SeatbridgeGroup`, which
    prints it (one line, or JSON with --json) and exits with the code of its class."""
    yield


@contextmanager
def store_engine(settings: Settings) -> Iterator[Engine]:
    """The store's engine; a store that cannot be reached is one `store.unreachable` error."""
    from sqlalchemy.exc import OperationalError

    from seatbridge.db.engine import create_store_engine
    from seatbridge.db.errors import StoreUnreachable

    engine = create_store_engine(settings.database_url)
    try:
        yield engine
    except OperationalError as error:
        raise StoreUnreachable(kind=type(error.orig).__name__, detail=str(error.orig)) from None
    finally:
        engine.dispose()


@contextmanager
def store_sessions(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """Sessions on a store that is reachable and migrated, or a `store.*` error (exit 5)."""
    from seatbridge.db import migrate
    from seatbridge.db.engine import session_factory
    from seatbridge.db.errors import StoreNotMigrated

    with store_engine(settings) as engine:
        if not migrate.is_up_to_date(engine):
            raise StoreNotMigrated()
        yield session_factory(engine)


def deliver_mail(sessions: sessionmaker[Session], settings: Settings) -> int:
    """Send what the command queued in the outbox now (SMTP, or the demo mailbox folder)."""
    from seatbridge.clock import SYSTEM_CLOCK
    from seatbridge.mail import deliver_outbox
    from seatbridge.mail.factory import transport_from_settings

    return deliver_outbox(sessions, transport_from_settings(settings), SYSTEM_CLOCK).sent
