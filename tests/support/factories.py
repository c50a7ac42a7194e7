"""Small factories for store tests. Licence terms are set directly here; the code path that
verifies real signed codes is tested in tests/accounts/test_activation.py."""

from __future__ import annotations

import datetime as dt
import itertools
import tempfile

from sqlalchemy.orm import Session

from seatbridge.accounts.models import Account, Environment
from seatbridge.accounts.sources import DirectSources
from seatbridge.clock import FixedClock
from seatbridge.directory.service import NewUser

TODAY = dt.date(2026, 11, 28)
# What tests let the server read directly: SQLite files in the temporary folder (where pytest's
# tmp_path lives) and the PostgreSQL / MariaDB servers of the test databases; several test
# accounts may share one company file.
TEST_SOURCES = DirectSources.parse([tempfile.gettempdir(), "127.0.0.1"], exclusive=False)
_counter = itertools.count(1)


def clock(day: dt.date = TODAY) -> FixedClock:
    return FixedClock(dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.UTC))


def make_account(
    session: Session,
    *,
    seats: int = 10,
    edition: str = "advanced",
    max_environments: int = 3,
    expires_on: dt.date = TODAY + dt.timedelta(days=365),
    grace_days: int = 30,
    name: str | None = None,
) -> Account:
    number = next(_counter)
    account = Account(
        name=name or f"Client {number}",
        slug=f"client-{number}",
        edition=edition,
        seats=seats,
        max_environments=max_environments,
        license_serial=f"TEST-{number}",
        license_issued_on=TODAY - dt.timedelta(days=1),
        license_expires_on=expires_on,
        license_grace_days=grace_days,
    )
    session.add(account)
    session.flush()
    return account


def make_environment(
    session: Session, account: Account, name: str, *, seat_cap: int | None = None
) -> Environment:
    environment = Environment(
        account_id=account.id, name=name, source_url="sqlite:///demo.db", seat_cap=seat_cap
    )
    session.add(environment)
    session.flush()
    return environment


def people(count: int, *, home: Environment | None = None, prefix: str = "rep") -> list[NewUser]:
    batch = next(_counter)
    return [
        NewUser(
            email=f"{prefix}{batch}.{i}@bijou-sa.fr",
            first_name=f"Prénom{i}",
            last_name=f"Nom{i}",
            home_environment_id=home.id if home else None,
        )
        for i in range(count)
    ]
