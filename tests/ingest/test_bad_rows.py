"""Bad rows through the connector: set aside exactly as by a direct read, nothing fails."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment, SourceMode
from seatbridge.sync.models import SyncRun
from tests.ingest.conftest import Pair
from tests.support.dirty import dirty_company, listed
from tests.support.factories import clock, make_account


def test_a_push_sets_aside_the_rows_a_direct_read_sets_aside(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    dirty = dirty_company(tmp_path / "dirty.db")
    with sessions.begin() as session:
        environments = []
        for mode in (SourceMode.DIRECT, SourceMode.CONNECTOR):
            account = make_account(session, seats=10)
            environment = Environment(account_id=account.id, name="DIRTY", mode=mode.value,
                                      source_url=dirty.company.url)  # fmt: skip
            session.add(environment)
            session.flush()
            session.expunge(environment)
            environments.append(environment)
    pair = Pair(sessions, dirty.company.path, *environments, clock(), tmp_path / "state.json")
    direct = pair.sync_directly()
    pushed = pair.push()
    pair.assert_identical()
    report = pushed.outcome["rows_report"]
    assert listed(report, set_aside=True) == dirty.set_aside
    assert listed(report, set_aside=False) == dirty.cleaned
    assert listed(direct.report.as_dict(), set_aside=True) == {
        row for row in dirty.set_aside if row[0] == "F_COLLABORATEUR"
    }
    with sessions() as session:
        runs = session.scalars(
            select(SyncRun).where(SyncRun.environment_id == environments[1].id)
        ).all()
    assert [run.status for run in runs] == ["succeeded"]
    assert runs[0].rows_report is not None
    pushed_rows = runs[0].rows_report["F_COLLABORATEUR"]["rows"]
    assert pushed_rows == direct.report.as_dict()["F_COLLABORATEUR"]["rows"]
