"""Seeding accounts for the page tests through the services (no SQL of our own)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts import service as accounts
from seatbridge.accounts.models import Account, Environment
from seatbridge.auth.passwords import Passwords
from seatbridge.auth.sessions import open_session
from seatbridge.clock import Clock
from seatbridge.commerce.replication import replicate
from seatbridge.config import Settings
from seatbridge.directory import service as directory
from seatbridge.directory.models import Role, User
from seatbridge.invitations.links import consume
from seatbridge.invitations.models import TokenPurpose
from seatbridge.invitations.tokens import issue_token
from seatbridge.licensing import KeyRing, VendorSigningKey, generate_signing_key, issue_code
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sync.runner import run_sync
from seatbridge.sync.source import Sage100Source
from seatbridge.web.wizard.progress import mark_finished
from tests.support.factories import TEST_SOURCES
from tests.support.people import invite_picks

PASSWORD = "Trombone-cheval-lune-42"
VENDOR_KEY: VendorSigningKey = generate_signing_key("webui")


def code_for(
    clock: Clock, *, edition: str = "advanced", seats: int = 10, environments: int = 3
) -> str:
    today = clock.today()
    return issue_code(
        VENDOR_KEY,
        customer="Bijou SA",
        edition=edition,
        seats=seats,
        max_environments=1 if edition == "starter" else environments,
        issued_on=today,
        expires_on=today + dt.timedelta(days=365),
    )


def keyring() -> KeyRing:
    return KeyRing.from_lines([VENDOR_KEY.public_key_line()])


@dataclass
class Seeded:
    account_id: int
    admin: User
    environment_ids: list[int]


def new_account(
    sessions: sessionmaker[Session],
    settings: Settings,
    clock: Clock,
    *,
    name: str = "Bijou SA",
    admin_email: str = "emilie.rodriguez@bijou-sa.fr",
) -> tuple[int, User]:
    """An account with its first admin, who has a password (nothing activated yet)."""
    with sessions.begin() as session:
        account = accounts.create_account(session, name=name, actor="test")
        owner = directory.create_owner(
            session,
            account_id=account.id,
            person=directory.NewUser(email=admin_email, first_name="Émilie", last_name="Rodriguez"),
            actor="test",
            clock=clock,
        )
        raw, _ = issue_token(
            session, user=owner, purpose=TokenPurpose.INVITE, actor="test", clock=clock,
            settings=settings,
        )  # fmt: skip
        admin = consume(
            session,
            raw_token=raw,
            password=PASSWORD,
            clock=clock,
            settings=settings,
            passwords=Passwords(settings.auth),
        )
        return account.id, admin


def activate(sessions: sessionmaker[Session], clock: Clock, account_id: int, code: str) -> Account:
    with sessions.begin() as session:
        account, _ = accounts.apply_activation_code(
            session, account_id=account_id, code=code, keyring=keyring(), clock=clock, actor="test"
        )
        return account


def connect(
    sessions: sessionmaker[Session], clock: Clock, account_id: int, name: str, company: Path
) -> int:
    """Add the company as an environment, sync it and copy its sales documents."""
    with sessions.begin() as session:
        environment = accounts.add_environment(
            session,
            account_id=account_id,
            name=name,
            actor="test",
            source_url=str(company),
            sources=TEST_SOURCES,
        )
        environment_id = environment.id
    with Sage100Reader(str(company)) as reader:
        run_sync(
            sessions,
            account_id=account_id,
            environment_id=environment_id,
            source=Sage100Source(reader),
            actor="test",
            clock=clock,
        )
        with sessions() as session:
            found = session.get_one(Environment, environment_id)
            session.expunge(found)
        replicate(sessions, environment=found, reader=reader, clock=clock)
    return environment_id


def invite(
    sessions: sessionmaker[Session], clock: Clock, environment_id: int, co_nos: list[int]
) -> list[User]:
    with sessions.begin() as session:
        environment = session.get_one(Environment, environment_id)
        users = invite_picks(
            session, environment=environment, co_nos=co_nos, actor="test", clock=clock
        )
        mark_finished(session, account_id=environment.account_id, actor="test", invited=len(users))
        return users


def activate_user(
    sessions: sessionmaker[Session], settings: Settings, clock: Clock, user: User, role: Role
) -> User:
    """The user accepted their invitation (a password), then got `role`."""
    with sessions.begin() as session:
        raw, _ = issue_token(
            session, user=user, purpose=TokenPurpose.INVITE, actor="test", clock=clock,
            settings=settings,
        )  # fmt: skip
        consume(
            session,
            raw_token=raw,
            password=PASSWORD,
            clock=clock,
            settings=settings,
            passwords=Passwords(settings.auth),
        )
        return directory.change_role(
            session, account_id=user.account_id, user_id=user.id, role=role.value, actor="test",
            clock=clock,
        )  # fmt: skip


def session_cookie(
    sessions: sessionmaker[Session], settings: Settings, clock: Clock, user: User
) -> str:
    with sessions.begin() as session:
        return open_session(session, user=user, clock=clock, settings=settings.auth)


def invitable(sessions: sessionmaker[Session], environment_id: int, count: int) -> list[int]:
    """The first `count` salespeople of the mirror who can be invited."""
    from seatbridge.accounts.seats import seat_usage
    from seatbridge.web.wizard.selection import Company, companies

    with sessions() as session:
        environment = session.get_one(Environment, environment_id)
        usage = seat_usage(session, account_id=environment.account_id, today=dt.date.today())
        found: list[Company] = companies(session, account_id=environment.account_id, usage=usage)
    choices = [c for co in found if co.environment_id == environment_id for c in co.choices]
    return [c.co_no for c in choices if c.suggested][:count]
