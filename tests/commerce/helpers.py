"""Shared set-up for commerce tests: an account, its companies, users linked to collaborators."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Account, Environment
from seatbridge.commerce.models import (
    CommerceCustomer,
    CommerceDocument,
    CommerceDocumentLine,
)
from seatbridge.commerce.replication import ReplicationOutcome, replicate
from seatbridge.commerce.scope import Viewer
from seatbridge.db.money import to_micros
from seatbridge.directory.models import CollaboratorLink, User
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sync.models import Collaborator
from tests.commerce.sage import SageFile
from tests.support.factories import clock, make_account, make_environment

_emails = itertools.count(1)


@dataclass
class Company:
    """An account with environments, each fed by its own Sage 100 file."""

    sessions: sessionmaker[Session]
    account: Account
    environments: dict[str, Environment]
    files: dict[str, SageFile] = field(default_factory=dict)

    def replicate(
        self, name: str = "A", *, full: bool = False, **options: Any
    ) -> ReplicationOutcome:
        with Sage100Reader(self.files[name].url) as reader:
            return replicate(
                self.sessions,
                environment=self.environments[name],
                reader=reader,
                full=full,
                clock=clock(),
                **options,
            )

    def user(self, *links: tuple[str, int], role: str = "salesrep") -> Viewer:
        """A user of the account linked to (environment, CO_No) pairs; their rep viewer."""
        with self.sessions.begin() as session:
            number = next(_emails)
            user = User(
                account_id=self.account.id,
                email=f"user{number}@test.fr",
                email_normalized=f"user{number}@test.fr",
                status="active",
                source="test",
                role=role,
            )
            session.add(user)
            session.flush()
            for name, co_no in links:
                self.link(session, user.id, name, co_no)
            return Viewer.rep(self.account.id, user.id)

    def link(self, session: Session, user_id: int, name: str, co_no: int) -> None:
        session.add(
            CollaboratorLink(
                account_id=self.account.id,
                environment_id=self.environments[name].id,
                co_no=co_no,
                user_id=user_id,
                linked_by="test",
                reason="test",
            )
        )

    def know_collaborators(self, name: str = "A") -> None:
        """Mirror the company's collaborators, as the sync engine would."""
        rows = self.files[name].rows("SELECT CO_No, cbMarq FROM F_COLLABORATEUR")
        with self.sessions.begin() as session:
            for co_no, marq in rows:
                session.add(
                    Collaborator(
                        account_id=self.account.id,
                        environment_id=self.environments[name].id,
                        co_no=co_no,
                        cb_marq=marq,
                    )
                )

    def copied(self, name: str = "A") -> tuple[dict[Any, Any], dict[Any, Any], dict[Any, Any]]:
        """The copy of one environment, shaped like SageFile.expected_*()."""
        environment = self.environments[name]
        with self.sessions() as session:
            return (
                customers_of(session, environment),
                headers_of(session, environment),
                lines_of(session, environment),
            )

    def expected(self, name: str = "A") -> tuple[dict[Any, Any], dict[Any, Any], dict[Any, Any]]:
        sage = self.files[name]
        return sage.expected_customers(), sage.expected_headers(), sage.expected_lines()


def _micros(value: Any) -> int | None:
    return None if value is None else to_micros(value)


def _rows(session: Session, model: Any, environment: Environment, *names: str) -> Any:
    """Plain rows (not ORM objects: a copy can hold 100,000 lines) of one environment."""
    columns = [getattr(model, name) for name in names]
    return session.execute(
        select(*columns).where(
            model.account_id == environment.account_id, model.environment_id == environment.id
        )
    )


def customers_of(session: Session, environment: Environment) -> dict[str, tuple[Any, ...]]:
    names = (
        "ct_num",
        "name",
        "prospect",
        "co_no",
        "dormant",
        "email",
        "phone",
        "postcode",
        "city",
        "country",
        "cb_marq",
        "modified_at",
    )
    return {row[0]: tuple(row[1:]) for row in _rows(session, CommerceCustomer, environment, *names)}


def headers_of(
    session: Session, environment: Environment
) -> dict[tuple[int, str], tuple[Any, ...]]:
    names = (
        "do_type",
        "do_piece",
        "do_date",
        "reference",
        "ct_num",
        "co_no",
        "status",
        "total_ht",
        "total_ttc",
        "cb_marq",
        "modified_at",
    )
    return {
        (kind, piece): (date, ref, tiers, rep, status, _micros(ht), _micros(ttc), marq, modified)
        for kind, piece, date, ref, tiers, rep, status, ht, ttc, marq, modified in _rows(
            session, CommerceDocument, environment, *names
        )
    }


def lines_of(session: Session, environment: Environment) -> dict[int, tuple[Any, ...]]:
    names = (
        "cb_marq",
        "do_type",
        "do_piece",
        "ct_num",
        "dl_no",
        "position",
        "ar_ref",
        "designation",
        "quantity",
        "unit_price",
        "amount_ht",
        "co_no",
        "do_date",
        "modified_at",
    )
    return {
        row[0]: (*row[1:8], _micros(row[8]), _micros(row[9]), _micros(row[10]), *row[11:])
        for row in _rows(session, CommerceDocumentLine, environment, *names)
    }


def make_company(
    sessions: sessionmaker[Session], files: dict[str, SageFile], *, name: str | None = None
) -> Company:
    with sessions.begin() as session:
        account = make_account(session, name=name)
        environments = {key: make_environment(session, account, key) for key in files}
        session.expunge_all()
    return Company(sessions, account, environments, dict(files))
