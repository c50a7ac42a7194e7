"""A small account with something in every list: two environments (one read directly from a demo
Sage 100 company, one fed by a connector), users linked, waiting for review and invited, review
cases, sync runs (applied and previewed), audit events."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment, SourceMode
from seatbridge.commerce.replication import replicate
from seatbridge.directory.service import NewUser
from seatbridge.sage100.demo import make_demo_company
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sync.models import Collaborator
from seatbridge.sync.runner import run_sync
from seatbridge.sync.source import Sage100Source
from tests.api.world import ApiWorld, make_world
from tests.support.people import create_user, invite_ssm_only


@dataclass
class Seeded:
    world: ApiWorld
    direct_id: int
    connector_id: int
    linked_user_id: int
    pending_user_id: int
    invited_user_id: int
    case_id: int
    run_id: int


def sync_direct(world: ApiWorld, environment_id: int, url: str, *, dry_run: bool = False) -> int:
    with Sage100Reader(url) as reader:
        outcome = run_sync(
            world.sessions,
            account_id=world.account_id,
            environment_id=environment_id,
            source=Sage100Source(reader),
            actor="seed",
            clock=world.clock,
            dry_run=dry_run,
        )
    return outcome.run_id


def demo_company(directory: Path, company: str = "BIJOU") -> Path:
    """A small generated Sage 100 company (SQLite): 12 collaborators."""
    database = directory / f"{company.lower()}.db"
    make_demo_company(str(database), company=company, collaborators=12, customers=5, documents=5)
    return database


def seed_account(
    engine: Engine,
    sessions: sessionmaker[Session],
    tmp_path: Path,
    *,
    company: Path | None = None,
    domain: str = "bijou",
) -> Seeded:
    """`company`: a demo company to copy (made here when not given)."""
    world = make_world(
        engine, sessions, tmp_path, seats=6, companies=("DIRECT",), max_environments=2
    )
    database = tmp_path / f"{domain}-sage.db"
    if company is None:
        company = demo_company(tmp_path)
    shutil.copyfile(company, database)
    url = f"sqlite:///{database}"
    with sessions.begin() as session:
        direct = session.get_one(Environment, world.environments["DIRECT"])
        direct.source_url = url
        connector = Environment(
            account_id=world.account_id,
            name="CONNECTOR",
            mode=SourceMode.CONNECTOR.value,
            source_url=None,
        )
        session.add(connector)
        session.flush()
        world.environments["CONNECTOR"] = connector.id
    run_id = sync_direct(world, direct.id, url)
    sync_direct(world, direct.id, url, dry_run=True)
    with Sage100Reader(url) as reader:
        replicate(sessions, environment=direct, reader=reader, full=True, clock=world.clock)
    with sessions.begin() as session:
        email = session.scalars(
            select(Collaborator.email)
            .where(Collaborator.environment_id == direct.id, Collaborator.not_invitable.is_(None))
            .order_by(Collaborator.co_no)
        ).first()
        assert email is not None
        linked = create_user(
            session,
            account_id=world.account_id,
            person=NewUser(email=email),
            actor="seed",
            clock=world.clock,
        )
        pending = create_user(
            session,
            account_id=world.account_id,
            person=NewUser(email=f"outsider@{domain}-conseil.fr", first_name="Ana"),
            actor="seed",
            clock=world.clock,
        )
        (invited,) = invite_ssm_only(
            session,
            account_id=world.account_id,
            people=[NewUser(email=f"invitee@{domain}-sa.fr")],
            actor="seed",
            clock=world.clock,
            settings=world.settings,
        )
        assert pending.case is not None
        seeded = Seeded(
            world=world,
            direct_id=direct.id,
            connector_id=connector.id,
            linked_user_id=linked.user.id,
            pending_user_id=pending.user.id,
            invited_user_id=invited.id,
            case_id=pending.case.id,
            run_id=run_id,
        )
    return seeded
