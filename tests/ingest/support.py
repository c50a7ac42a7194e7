"""The server's ingest services behind the connector's protocol, and snapshots to compare stores.

`InProcessApi` is the connector's `ConnectorApi` without HTTP: each message goes through a JSON
round trip (validation included) as it would over the wire, and domain errors come out as the
connector sees them over HTTP (`ServerRefused` with the problem's code).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.errors import EnvironmentNotFound
from seatbridge.clock import Clock
from seatbridge.commerce.replication import replicate
from seatbridge.config import JobSettings
from seatbridge.connector.errors import ServerRefused
from seatbridge.directory.models import CollaboratorLink, User
from seatbridge.errors import SeatbridgeError
from seatbridge.ingest import errors
from seatbridge.ingest.commit import commit_run
from seatbridge.ingest.runs import get_run, open_run
from seatbridge.ingest.staging import stage_batch
from seatbridge.ingest.state import applied_state
from seatbridge.ingest.wire import (
    BatchAck,
    BatchIn,
    CommitView,
    RunCommit,
    RunOpen,
    RunView,
    StateView,
)
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sync.models import Collaborator
from seatbridge.sync.runner import SyncOutcome, run_sync
from seatbridge.sync.source import Sage100Source

M = TypeVar("M", bound=BaseModel)
STATUSES = {
    errors.RunNotFound: 404,
    EnvironmentNotFound: 404,
    errors.InvalidBatch: 422,
    errors.ApplyFailed: 422,
}


def _wire(message: M) -> M:
    return type(message).model_validate_json(message.model_dump_json())


class InProcessApi:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        account_id: int,
        environment_id: int,
        clock: Clock,
        actor: str = "api:test",
    ) -> None:
        self.sessions = sessions
        self.scope = {"account_id": account_id, "environment_id": environment_id}
        self.clock = clock
        self.actor = actor
        self.batches_sent = 0

    def state(self) -> StateView:
        with self._refusals(), self.sessions() as session:
            return _wire(applied_state(session, **self.scope, clock=self.clock))

    def open_run(self, request: RunOpen) -> RunView:
        with self._refusals(), self.sessions.begin() as session:
            view = open_run(
                session, **self.scope, request=_wire(request), actor=self.actor, clock=self.clock
            )
            return _wire(view)

    def get_run(self, run_id: int) -> RunView | None:
        try:
            with self._refusals(), self.sessions() as session:
                return _wire(get_run(session, **self.scope, run_id=run_id))
        except ServerRefused as refusal:
            if refusal.status == 404:
                return None
            raise

    def send_batch(self, run_id: int, batch: BatchIn) -> BatchAck:
        self.batches_sent += 1
        with self._refusals(), self.sessions.begin() as session:
            ack = stage_batch(
                session, **self.scope, run_id=run_id, batch=_wire(batch), clock=self.clock
            )
            return _wire(ack)

    def commit(self, run_id: int, request: RunCommit) -> CommitView:
        with self._refusals():
            view = commit_run(
                self.sessions,
                **self.scope,
                run_id=run_id,
                request=_wire(request),
                actor=self.actor,
                clock=self.clock,
                jobs=JobSettings(),
            )
            return _wire(view)

    @contextmanager
    def _refusals(self) -> Iterator[None]:
        try:
            yield
        except SeatbridgeError as error:
            status = next((s for kind, s in STATUSES.items() if isinstance(error, kind)), 409)
            raise ServerRefused(
                status=status, detail=error.message("en"), problem=error.code
            ) from error


class FailingApi(InProcessApi):
    """Breaks down (like a network cut) after `batches` batches were sent."""

    def __init__(self, *args: Any, batches: int, failure: Callable[[], Exception], **kw: Any):
        super().__init__(*args, **kw)
        self.limit = batches
        self.failure = failure

    def send_batch(self, run_id: int, batch: BatchIn) -> BatchAck:
        if self.batches_sent >= self.limit:
            raise self.failure()
        return super().send_batch(run_id, batch)


def sync_directly(
    sessions: sessionmaker[Session], *, environment: Any, sage: Path, clock: Clock
) -> SyncOutcome:
    """What a server that reads the Sage database itself does (the reference to compare with)."""
    with Sage100Reader(f"sqlite:///{sage}") as reader:
        outcome = run_sync(
            sessions,
            account_id=environment.account_id,
            environment_id=environment.id,
            source=Sage100Source(reader),
            actor="direct",
            clock=clock,
        )
        replicate(sessions, environment=environment, reader=reader, clock=clock)
    return outcome


# Snapshots: everything a sync leaves for one environment, without ids that differ by store.

COPIES = {
    "commerce_customer": "ct_num",
    "commerce_document": "do_type, do_piece",
    "commerce_document_line": "cb_marq",
}


def copies(session: Session, *, account_id: int, environment_id: int) -> dict[str, list[Any]]:
    found = {}
    for table, order in COPIES.items():
        rows = session.execute(
            text(
                f"SELECT * FROM {table} WHERE account_id = :a AND environment_id = :e "
                f"ORDER BY {order}"
            ),
            {"a": account_id, "e": environment_id},
        ).mappings()
        found[table] = [
            {k: v for k, v in row.items() if k not in ("account_id", "environment_id")}
            for row in rows
        ]
    return found


def mirror(session: Session, *, environment_id: int) -> list[tuple[Any, ...]]:
    rows = session.scalars(
        select(Collaborator)
        .where(Collaborator.environment_id == environment_id)
        .order_by(Collaborator.co_no)
    )
    return [
        (r.co_no, r.cb_marq, r.last_name, r.first_name, r.function, r.phone, r.mobile, r.email,
         r.email_normalized, r.is_salesperson, r.dormant, r.modified_at, r.deleted_at is None,
         r.not_invitable)
        for r in rows
    ]  # fmt: skip


def links(session: Session, *, account_id: int) -> list[tuple[int, str, str]]:
    rows = session.execute(
        select(CollaboratorLink.co_no, User.email_normalized, User.status)
        .join(User, User.id == CollaboratorLink.user_id)
        .where(CollaboratorLink.account_id == account_id)
        .order_by(CollaboratorLink.co_no)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]
