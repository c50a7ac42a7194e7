"""Runs and batches: idempotent staging and commits, completeness, isolation, clean-up."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.errors import EnvironmentNotFound
from seatbridge.accounts.models import Account, Environment, SourceMode
from seatbridge.config import JobSettings
from seatbridge.ingest import errors
from seatbridge.ingest.codec import batch_id, encode_records
from seatbridge.ingest.commit import commit_run
from seatbridge.ingest.models import IngestBatch, IngestRun
from seatbridge.ingest.runs import get_run, open_run, purge_stale_runs
from seatbridge.ingest.staging import stage_batch
from seatbridge.ingest.state import applied_state
from seatbridge.ingest.wire import ENTITY_NAMES, BatchIn, RunCommit, RunOpen
from seatbridge.sage100.records import Collaborator, Entity
from seatbridge.sync.models import Collaborator as SyncCollaborator
from seatbridge.sync.models import SyncRun
from tests.support.factories import clock, make_account

NEXT = {"modified_since": "2026-01-01T10:00:00", "max_cbmarq": 3}


def connector_environment(session: Session, account: Account, name: str = "NORD") -> Environment:
    environment = Environment(
        account_id=account.id, name=name, mode=SourceMode.CONNECTOR.value, source_url=None
    )
    session.add(environment)
    session.flush()
    return environment


def opening(**changes: Any) -> RunOpen:
    entities = {name: {"full": True, "next": NEXT} for name in ENTITY_NAMES}
    return RunOpen.model_validate(
        {"connector_run_id": str(uuid.uuid4()), "entities": entities} | changes
    )


def collaborators(*numbers: int, name: str = "DUPONT", sequence: int = 0) -> BatchIn:
    records = [
        Collaborator(n, name, "Jean", None, None, None, None, f"rep{n}@bijou-sa.fr", True,
                     False, False, False, None, n, dt.datetime(2026, 1, 1, 9, 0), None)
        for n in numbers
    ]  # fmt: skip
    return make_batch("collaborators", sequence, *encode_records(Entity.COLLABORATORS, records))


def make_batch(
    entity: str, sequence: int, fields: list[str] | None, rows: list[Any], kind: str = "records"
) -> BatchIn:
    return BatchIn.model_validate(
        {
            "batch_id": batch_id(entity, kind, sequence, fields, rows),
            "entity": entity,
            "kind": kind,
            "sequence": sequence,
            "fields": fields,
            "rows": rows,
        }
    )


def totals(collaborator_batches: int = 1) -> RunCommit:
    entities = {name: {"records": 0, "count": 0} for name in ENTITY_NAMES}
    entities["collaborators"] = {"records": collaborator_batches, "count": 3}
    return RunCommit.model_validate({"entities": entities})


class Store:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self.clock = clock()
        with sessions.begin() as session:
            self.account = make_account(session)
            self.environment = connector_environment(session, self.account)
            self.scope = {"account_id": self.account.id, "environment_id": self.environment.id}

    def open(self, request: RunOpen | None = None, **scope: int) -> int:
        with self.sessions.begin() as session:
            return open_run(session, **(self.scope | scope), request=request or opening(),
                            actor="api:test", clock=self.clock).id  # fmt: skip

    def stage(self, run_id: int, batch: BatchIn, **scope: int) -> str:
        with self.sessions.begin() as session:
            return stage_batch(session, **(self.scope | scope), run_id=run_id, batch=batch,
                               clock=self.clock).status  # fmt: skip

    def commit(self, run_id: int, request: RunCommit | None = None, **scope: int) -> Any:
        return commit_run(self.sessions, **(self.scope | scope), run_id=run_id,
                          request=request or totals(), actor="api:test", clock=self.clock,
                          jobs=JobSettings())  # fmt: skip

    def count(self, model: Any) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> Store:
    return Store(sessions)


class TestStaging:
    def test_a_batch_sent_twice_is_staged_once(self, store: Store) -> None:
        run = store.open()
        assert store.stage(run, collaborators(1, 2)) == "staged"
        assert store.stage(run, collaborators(1, 2)) == "duplicate"
        assert store.count(IngestBatch) == 1

    def test_a_batch_read_again_with_other_rows_replaces_the_first(self, store: Store) -> None:
        run = store.open()
        store.stage(run, collaborators(1, 2))
        assert store.stage(run, collaborators(1, 2, name="DURAND")) == "staged"
        assert store.count(IngestBatch) == 1
        store.commit(run)
        with store.sessions() as session:
            names = set(session.scalars(select(SyncCollaborator.last_name)))
        assert names == {"DURAND"}

    def test_an_id_that_is_not_the_hash_of_the_content_is_refused(self, store: Store) -> None:
        run = store.open()
        batch = collaborators(1).model_copy(update={"batch_id": "0" * 32})
        with pytest.raises(errors.InvalidBatch, match="hash"):
            store.stage(run, batch)

    @pytest.mark.parametrize(
        ("field", "value", "reason"),
        [
            ("CO_No", "1", "unreadable"),
            ("CO_No", None, "empty_key"),
            ("cbMarq", None, "no_cbmarq"),
            ("CO_Vendeur", 1, "unreadable"),
            ("cbModification", "2026-01-01T09:00:00+01:00", "unreadable"),
            ("cbModification", "hier", "unreadable"),
            ("CO_Nom", "x" * 5000, "unreadable"),
        ],
    )
    def test_a_value_of_the_wrong_type_sets_its_row_aside(
        self, store: Store, field: str, value: Any, reason: str
    ) -> None:
        """Staged as it came; at the commit its row is set aside with a reason and the other
        rows are synced (one bad row never stops a company)."""
        good = collaborators(1, 2)
        fields = list(good.fields or [])
        rows = [list(row) for row in good.rows]
        rows[1][fields.index(field)] = value
        run = store.open()
        assert store.stage(run, make_batch("collaborators", 0, fields, rows)) == "staged"
        view = store.commit(run)
        assert view.status == "applied"
        with store.sessions() as session:
            assert list(session.scalars(select(SyncCollaborator.co_no))) == [1]
            sync_run = session.scalars(select(SyncRun)).one()
        report = view.run.outcome["rows_report"]["F_COLLABORATEUR"]
        assert report["set_aside"] == 1 and report["reasons"] == {reason: 1}
        (row,) = report["rows"]
        assert row["cbMarq"] == (None if field == "cbMarq" else 2)
        assert row["column"] == field and row["detail"]
        assert sync_run.rows_report is not None
        assert sync_run.rows_report["F_COLLABORATEUR"]["rows"] == [row]

    def test_keys_are_checked_too(self, store: Store) -> None:
        run = store.open()
        good = make_batch("document_headers", 0, None, [[1, "BC00001", 7]], kind="keys")
        assert store.stage(run, good) == "staged"
        bad = make_batch("document_headers", 1, None, [[1, 7]], kind="keys")
        with pytest.raises(errors.InvalidBatch, match="3 values expected"):
            store.stage(run, bad)


class TestCommit:
    def test_a_run_with_a_missing_batch_is_not_applied(self, store: Store) -> None:
        run = store.open()
        store.stage(run, collaborators(3, sequence=1))
        with pytest.raises(errors.RunIncomplete, match="collaborators records 0"):
            store.commit(run, totals(2))
        assert store.count(SyncRun) == 0

    def test_committing_again_answers_the_same_outcome(self, store: Store) -> None:
        run = store.open()
        store.stage(run, collaborators(1, 2, 3))
        first = store.commit(run)
        again = store.commit(run)
        assert first.status == again.status == "applied"
        assert again.run.outcome == first.run.outcome
        assert first.run.outcome["collaborators"]["counts"] == {"add_collaborator": 3}
        assert store.count(SyncRun) == 1
        assert store.count(IngestBatch) == 0
        with pytest.raises(errors.RunClosed):
            store.stage(run, collaborators(4))

    def test_the_state_then_says_where_the_next_read_starts(self, store: Store) -> None:
        with store.sessions() as session:
            before = applied_state(session, **store.scope, clock=store.clock)
        assert all(entity.full_due and entity.watermark is None
                   for entity in before.entities.values())  # fmt: skip
        run = store.open()
        store.stage(run, collaborators(1, 2, 3))
        state = store.commit(run).state
        for entity in state.entities.values():
            assert not entity.full_due
            assert entity.watermark.model_dump(mode="json") == NEXT
        store.clock.advance(dt.timedelta(hours=25))
        with store.sessions() as session:
            later = applied_state(session, **store.scope, clock=store.clock)
        assert all(entity.full_due for entity in later.entities.values())


class TestRuns:
    def test_opening_again_with_the_same_connector_run_id_finds_the_run(self, store: Store) -> None:
        request = opening()
        assert store.open(request) == store.open(request)
        changed = request.model_copy(update={"confirm": True})
        with pytest.raises(errors.RunConflict):
            store.open(changed)

    def test_a_new_run_abandons_the_open_one(self, store: Store) -> None:
        first = store.open()
        store.stage(first, collaborators(1))
        second = store.open()
        with store.sessions() as session:
            old = get_run(session, **store.scope, run_id=first)
        assert old.status == "failed" and old.error == f"superseded by run {second}"
        assert store.count(IngestBatch) == 0

    def test_runs_left_open_are_purged_after_a_day(self, store: Store) -> None:
        run = store.open()
        store.stage(run, collaborators(1))
        store.clock.advance(dt.timedelta(hours=23))
        with store.sessions.begin() as session:
            assert (
                purge_stale_runs(session, account_id=store.account.id, now=store.clock.now()) == 0
            )
        store.clock.advance(dt.timedelta(hours=2))
        with store.sessions.begin() as session:
            assert (
                purge_stale_runs(session, account_id=store.account.id, now=store.clock.now()) == 1
            )
        assert store.count(IngestRun) == store.count(IngestBatch) == 0

    def test_a_directly_read_environment_refuses_pushes(self, store: Store) -> None:
        with store.sessions.begin() as session:
            direct = Environment(account_id=store.account.id, name="SUD", source_url="sqlite://")
            session.add(direct)
            session.flush()
            direct_id = direct.id
        with pytest.raises(errors.NotAConnectorEnvironment):
            store.open(environment_id=direct_id)

    def test_another_account_cannot_reach_a_run(self, store: Store) -> None:
        run = store.open()
        with store.sessions.begin() as session:
            other = make_account(session)
            elsewhere = connector_environment(session, other)
            theirs = {"account_id": other.id, "environment_id": elsewhere.id}
        with pytest.raises(errors.RunNotFound):
            store.stage(run, collaborators(1), **theirs)
        with pytest.raises(errors.RunNotFound):
            store.commit(run, **theirs)
        with store.sessions() as session, pytest.raises(errors.RunNotFound):
            get_run(session, **theirs, run_id=run)
        # Nor can it name this account's environment with its own account.
        with pytest.raises(EnvironmentNotFound):
            store.open(account_id=other.id)
        assert store.count(IngestBatch) == 0
