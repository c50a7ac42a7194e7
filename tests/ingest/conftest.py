"""A generated Sage 100 company (SQLite) and an account pair: one read directly, one pushed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment, SourceMode
from seatbridge.clock import FixedClock
from seatbridge.connector.push import Pusher, PushReport
from seatbridge.directory.service import NewUser
from seatbridge.sage100.demo import make_demo_company
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sync.runner import SyncOutcome
from tests.ingest.support import InProcessApi, copies, links, mirror, sync_directly
from tests.support.factories import clock, make_account
from tests.support.people import create_user


@pytest.fixture(scope="module")
def sage_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sage") / "bijou.db"
    make_demo_company(f"sqlite:///{path}", collaborators=40, customers=60, documents=300, seed=7)
    return path


@pytest.fixture
def sage(sage_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "bijou.db"
    path.write_bytes(sage_template.read_bytes())
    return path


@dataclass
class Pair:
    """The same company read directly (account A) and pushed by a connector (account B)."""

    sessions: sessionmaker[Session]
    sage: Path
    direct: Environment
    pushed: Environment
    clock: FixedClock
    state_path: Path

    def sync_directly(self) -> SyncOutcome:
        return sync_directly(self.sessions, environment=self.direct, sage=self.sage,
                             clock=self.clock)  # fmt: skip

    def api(self) -> InProcessApi:
        return InProcessApi(self.sessions, account_id=self.pushed.account_id,
                            environment_id=self.pushed.id, clock=self.clock)  # fmt: skip

    def push(self, api: InProcessApi | None = None, **options: bool) -> PushReport:
        with Sage100Reader(f"sqlite:///{self.sage}") as reader:
            pusher = Pusher(reader, api or self.api(), self.state_path, server="in-process",
                            batch_rows=100)  # fmt: skip
            return pusher.push(**options)

    def assert_identical(self) -> None:
        with self.sessions() as session:
            assert mirror(session, environment_id=self.pushed.id) == mirror(
                session, environment_id=self.direct.id
            )
            assert links(session, account_id=self.pushed.account_id) == links(
                session, account_id=self.direct.account_id
            )
            assert copies(
                session, account_id=self.pushed.account_id, environment_id=self.pushed.id
            ) == copies(session, account_id=self.direct.account_id, environment_id=self.direct.id)


@pytest.fixture
def pair(sessions: sessionmaker[Session], sage: Path, tmp_path: Path) -> Pair:
    emails = sorted(set(_emails(sage)))[:4]
    now = clock()
    with sessions.begin() as session:
        environments = []
        for mode in (SourceMode.DIRECT, SourceMode.CONNECTOR):
            account = make_account(session, seats=10)
            environment = Environment(
                account_id=account.id,
                name="BIJOU",
                mode=mode.value,
                source_url=f"sqlite:///{sage}" if mode is SourceMode.DIRECT else None,
            )
            session.add(environment)
            session.flush()
            session.expunge(environment)
            environments.append(environment)
            # People created in SSM before the first sync: the sync links them (rule 17).
            for email in emails:
                create_user(session, account_id=account.id, person=NewUser(email=email),
                            actor="admin@test", clock=now)  # fmt: skip
    direct, pushed = environments
    return Pair(sessions, sage, direct, pushed, now, tmp_path / "connector-state.json")


def _emails(sage: Path) -> list[str]:
    engine = create_engine(f"sqlite:///{sage}")
    with engine.connect() as connection:
        found = connection.execute(
            text(
                "SELECT TRIM(CO_EMail) FROM F_COLLABORATEUR WHERE CO_EMail LIKE '%@%.fr' "
                "AND CO_EMail NOT LIKE '%;%' AND CO_Vendeur = 1"
            )
        ).scalars()
        emails = [email.lower() for email in found]
    engine.dispose()
    return emails
