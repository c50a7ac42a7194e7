"""Scheduling and the sync lease: due environments, one sync at a time, back-off on failure."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment, SourceMode
from seatbridge.clock import FixedClock
from seatbridge.config import JobSettings
from seatbridge.jobs import schedule
from seatbridge.jobs.lease import EnvironmentLease
from tests.support.factories import clock, make_account, make_environment

NOW = clock().now()
LEASE = dt.timedelta(minutes=10)


def setup(sessions: sessionmaker[Session]) -> tuple[int, int]:
    with sessions.begin() as session:
        account = make_account(session)
        direct = make_environment(session, account, "A")
        pushed = make_environment(session, account, "B")
        pushed.mode, pushed.source_url = SourceMode.CONNECTOR.value, None
        return direct.id, pushed.id


def due(sessions: sessionmaker[Session], now: dt.datetime = NOW) -> list[int]:
    with sessions() as session:
        return schedule.due_environments(session, now=now)


class TestScheduling:
    def test_new_direct_environments_are_due_at_once_connector_ones_never(
        self, sessions: sessionmaker[Session]
    ) -> None:
        direct, _pushed = setup(sessions)
        assert due(sessions) == [direct]

    def test_a_lease_is_exclusive_until_it_expires(self, sessions: sessionmaker[Session]) -> None:
        direct, _ = setup(sessions)
        assert schedule.claim(sessions, environment_id=direct, owner="w1", now=NOW, lease=LEASE)
        assert not schedule.claim(sessions, environment_id=direct, owner="w2", now=NOW, lease=LEASE)
        assert due(sessions) == []  # held: not offered to anyone
        later = NOW + LEASE + dt.timedelta(seconds=1)  # w1 died: its lease expires
        assert schedule.claim(sessions, environment_id=direct, owner="w2", now=later, lease=LEASE)

    def test_success_waits_the_interval_failure_backs_off(
        self, sessions: sessionmaker[Session]
    ) -> None:
        direct, _ = setup(sessions)
        settings = JobSettings(retry_base_seconds=60, retry_max_seconds=3600)
        for failures, wait in ((1, 60), (2, 120), (3, 240)):
            schedule.claim(sessions, environment_id=direct, owner="w", now=NOW, lease=LEASE)
            schedule.finish(
                sessions,
                environment_id=direct,
                owner="w",
                now=NOW,
                status="failed",
                error="refused",
                settings=settings,
            )
            with sessions() as session:
                environment = session.get_one(Environment, direct)
                assert environment.sync_failures == failures
                assert environment.next_sync_at == NOW + dt.timedelta(seconds=wait)
                assert (environment.last_sync_status, environment.last_sync_error) == (
                    "failed",
                    "refused",
                )
        schedule.claim(sessions, environment_id=direct, owner="w", now=NOW, lease=LEASE)
        schedule.finish(
            sessions,
            environment_id=direct,
            owner="w",
            now=NOW,
            status="succeeded",
            error=None,
            settings=settings,
        )
        with sessions() as session:
            environment = session.get_one(Environment, direct)
            assert environment.sync_failures == 0
            assert environment.next_sync_at == NOW + dt.timedelta(minutes=15)
        assert due(sessions, NOW + dt.timedelta(minutes=14)) == []
        assert due(sessions, NOW + dt.timedelta(minutes=15)) == [direct]

    def test_a_stale_owner_cannot_finish_someone_elses_run(
        self, sessions: sessionmaker[Session]
    ) -> None:
        direct, _ = setup(sessions)
        schedule.claim(sessions, environment_id=direct, owner="w2", now=NOW, lease=LEASE)
        schedule.finish(
            sessions,
            environment_id=direct,
            owner="w1",
            now=NOW,
            status="failed",
            error="late",
            settings=JobSettings(),
        )
        with sessions() as session:
            assert session.get_one(Environment, direct).sync_lease_owner == "w2"


class TestLeaseRenewal:
    def test_a_long_sync_keeps_its_lease(self, sessions: sessionmaker[Session]) -> None:
        import time

        direct, _ = setup(sessions)
        jobs = JobSettings(lease_seconds=3, heartbeat_seconds=0.1)
        moving = FixedClock(NOW)
        with EnvironmentLease(
            sessions, environment_id=direct, environment_name="A", holder="w1", jobs=jobs,
            clock=moving,
        ) as lease:  # fmt: skip
            lease.progress("customers", 10, 100)
            moving.advance(dt.timedelta(seconds=2))
            time.sleep(0.5)
            with sessions() as session:
                environment = session.get_one(Environment, direct)
                held_until, beat = environment.sync_lease_until, environment.sync_lease_beat_at
                progress, since = environment.sync_progress, environment.sync_lease_since
            lease.status = "succeeded"
        assert held_until is not None and held_until >= NOW + dt.timedelta(seconds=5)  # renewed
        assert beat == NOW + dt.timedelta(seconds=2) and since == NOW
        assert progress == {"stage": "customers", "done": 10, "total": 100}
        with sessions() as session:
            environment = session.get_one(Environment, direct)
            assert environment.sync_lease_owner is None and environment.sync_progress is None
            assert environment.last_sync_status == "succeeded"

    def test_renewing_a_lost_lease_fails(self, sessions: sessionmaker[Session]) -> None:
        direct, _ = setup(sessions)
        schedule.claim(sessions, environment_id=direct, owner="w2", now=NOW, lease=LEASE)
        assert not schedule.renew(sessions, environment_id=direct, owner="w1", now=NOW, lease=LEASE)
