"""A pushed run ends exactly where a direct read of the same company ends (SQLite, PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.connector.errors import ServerUnreachable
from seatbridge.connector.state import OpenRun, load_state, save_state
from seatbridge.ingest.models import IngestBatch, IngestRun
from seatbridge.sync.models import RunStatus, SyncRun
from tests.ingest.conftest import Pair
from tests.ingest.sage_changes import change_sage
from tests.ingest.support import FailingApi


def staged_batches(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(IngestBatch)) or 0


class TestFullAndDelta:
    def test_a_pushed_full_run_ends_identical_to_a_direct_read(self, pair: Pair) -> None:
        direct = pair.sync_directly()
        report = pair.push()
        assert direct.status is RunStatus.SUCCEEDED
        assert report.outcome["collaborators"]["status"] == "succeeded"
        assert all(entity.full for entity in report.entities.values())
        assert report.entities["document_lines"].rows > 1000
        assert report.entities["document_lines"].batches == report.entities["document_lines"].sent
        pair.assert_identical()
        assert staged_batches(pair.sessions) == 0  # applied runs keep no rows

    def test_a_pushed_delta_ends_identical_to_a_direct_read(self, pair: Pair) -> None:
        pair.sync_directly()
        pair.push()
        done = change_sage(pair.sage)
        assert done["deleted_customer"] is not None
        direct = pair.sync_directly()
        report = pair.push()
        assert not any(entity.full for entity in report.entities.values())
        assert direct.plan is not None
        # The changed and the added rows (and those within the reader's overlap): as read directly.
        assert report.entities["collaborators"].rows == direct.plan.records_read < 5
        # Rows were deleted (a customer) or re-keyed (an order posted as a delivery note):
        # the server asked for the key scans it needed, as a direct read scans the keys.
        assert report.entities["customers"].keys is not None
        assert report.entities["document_headers"].keys is not None
        assert report.outcome["customers"]["deleted"] == 1
        assert report.outcome["document_headers"]["deleted"] == 2
        assert report.outcome["collaborators"]["counts"] == direct.counts
        pair.assert_identical()

    def test_a_full_push_after_changes_detects_every_deletion(self, pair: Pair) -> None:
        pair.sync_directly()
        pair.push()
        done = change_sage(pair.sage)
        report = pair.push(full=True)
        assert all(entity.full for entity in report.entities.values())
        assert all(entity.keys is None for entity in report.entities.values())
        assert report.outcome["document_lines"]["deleted"] == done["deleted_lines"]
        assert report.outcome["collaborators"]["counts"] == {"update_collaborator": 1,
                                                              "add_collaborator": 1}  # fmt: skip

    def test_a_second_push_without_changes_changes_nothing(self, pair: Pair) -> None:
        pair.push()
        again = pair.push()
        assert again.outcome["collaborators"]["counts"] == {}
        assert all(again.outcome[name]["upserted"] == 0 and again.outcome[name]["deleted"] == 0
                   for name in ("customers", "document_headers", "document_lines"))  # fmt: skip


class TestCrashes:
    def test_a_cut_push_resumes_its_run_without_sending_twice(self, pair: Pair) -> None:
        pair.sync_directly()
        failing = FailingApi(
            pair.sessions,
            account_id=pair.pushed.account_id,
            environment_id=pair.pushed.id,
            clock=pair.clock,
            batches=7,
            failure=lambda: ServerUnreachable(server="x", attempts=6, detail="cut"),
        )
        with pytest.raises(ServerUnreachable):
            pair.push(failing)
        saved = load_state(pair.state_path)
        assert saved is not None and saved.open_run is not None
        assert saved.watermarks == {}  # nothing committed yet: nothing advanced
        assert staged_batches(pair.sessions) == 7
        api = pair.api()
        report = pair.push(api)
        assert report.resumed and report.run_id == saved.open_run.run_id
        total = sum(entity.batches for entity in report.entities.values())
        assert api.batches_sent == total - 7  # the 7 batches received are not sent again
        pair.assert_identical()
        after = load_state(pair.state_path)
        assert after is not None and after.open_run is None and after.last_run_id == report.run_id

    def test_rows_changed_while_the_connector_was_down_are_sent_again(self, pair: Pair) -> None:
        failing = FailingApi(
            pair.sessions,
            account_id=pair.pushed.account_id,
            environment_id=pair.pushed.id,
            clock=pair.clock,
            batches=4,
            failure=lambda: ServerUnreachable(server="x", attempts=6, detail="cut"),
        )
        with pytest.raises(ServerUnreachable):
            pair.push(failing)
        change_sage(pair.sage)  # the batches already received no longer match Sage 100
        report = pair.push()
        assert report.resumed
        pair.sync_directly()
        pair.assert_identical()

    def test_a_lost_commit_answer_is_not_applied_twice(self, pair: Pair) -> None:
        report = pair.push()
        saved = load_state(pair.state_path)
        assert saved is not None
        # The connector died after the server applied the run, before it saved its state.
        with pair.sessions() as session:
            run = session.get_one(IngestRun, report.run_id)
        saved.open_run = OpenRun(report.run_id, run.connector_run_id, 100)
        saved.watermarks = {}
        save_state(pair.state_path, saved)
        again = pair.push()
        assert again.run_id != report.run_id and not again.resumed
        assert again.outcome["collaborators"]["counts"] == {}
        with pair.sessions() as session:
            runs = session.scalar(select(func.count()).select_from(SyncRun))
        assert runs == 2
