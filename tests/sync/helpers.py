"""Shared set-up for sync tests: an account, its companies, and a way to run syncs."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Account, Environment
from seatbridge.directory import service as directory
from seatbridge.directory.models import CollaboratorLink, User
from seatbridge.onboarding import Creation
from seatbridge.sync.models import Collaborator, ReviewCase
from seatbridge.sync.runner import SyncOutcome, run_sync
from tests.support.factories import clock, make_account, make_environment
from tests.support.memory_sage import MemorySage
from tests.support.people import create_user


@dataclass
class World:
    sessions: sessionmaker[Session]
    account: Account
    environments: dict[str, Environment]
    sage: dict[str, MemorySage] = field(default_factory=dict)

    def sync(self, name: str = "A", **options: bool) -> SyncOutcome:
        return run_sync(
            self.sessions,
            account_id=self.account.id,
            environment_id=self.environments[name].id,
            source=self.sage[name],
            actor="test-run",
            clock=clock(),
            **options,
        )

    def create_user(self, email: str, **names: str) -> Creation:
        with self.sessions.begin() as session:
            return create_user(
                session,
                account_id=self.account.id,
                actor="admin@test",
                clock=clock(),
                person=directory.NewUser(email=email, **names),
            )

    def users(self) -> list[User]:
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(User).where(User.account_id == self.account.id).order_by(User.id)
                )
            )

    def user(self, email: str) -> User:
        with self.sessions() as session:
            found = directory.find_user_by_email(session, account_id=self.account.id, email=email)
            assert found is not None, email
            return found

    def links(self) -> set[tuple[str, int, int]]:
        names = {e.id: n for n, e in self.environments.items()}
        with self.sessions() as session:
            return {
                (names[link.environment_id], link.co_no, link.user_id)
                for link in session.scalars(
                    select(CollaboratorLink).where(CollaboratorLink.account_id == self.account.id)
                )
            }

    def collaborator(self, name: str, co_no: int) -> Collaborator:
        with self.sessions() as session:
            row = session.scalar(
                select(Collaborator).where(
                    Collaborator.environment_id == self.environments[name].id,
                    Collaborator.co_no == co_no,
                )
            )
            assert row is not None
            return row

    def cases(self, status: str | None = "open") -> list[ReviewCase]:
        with self.sessions() as session:
            query = select(ReviewCase).where(ReviewCase.account_id == self.account.id)
            if status:
                query = query.where(ReviewCase.status == status)
            return list(session.scalars(query.order_by(ReviewCase.id)))


def make_world(
    sessions: sessionmaker[Session], *, seats: int = 10, companies: tuple[str, ...] = ("A",)
) -> World:
    with sessions.begin() as session:
        account = make_account(session, seats=seats)
        environments = {name: make_environment(session, account, name) for name in companies}
    return World(sessions, account, environments, {name: MemorySage() for name in companies})
