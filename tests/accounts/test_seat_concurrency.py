"""Rule 8 under real concurrency: 50 workers with their own connections, 10 free seats.

Half of the workers invite a new person into company A, the other half re-activate a disabled
user of company B; whatever the interleaving, exactly 10 succeed, every round.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts import errors, seats
from seatbridge.db.engine import create_store_engine, session_factory
from seatbridge.db.migrate import upgrade
from seatbridge.directory import seat_counts, service
from seatbridge.directory.errors import ConcurrentChange
from tests.support.databases import fresh_pg_database
from tests.support.factories import TODAY, clock, make_account, make_environment, people

WORKERS = 50
FREE_SEATS = 10


@pytest.fixture(scope="module")
def pg_engine() -> Iterator[Engine]:
    with fresh_pg_database("sbseats") as url:
        engine = create_store_engine(url, pool_size=WORKERS, max_overflow=0)
        upgrade(engine)
        yield engine
        engine.dispose()


def one_round(sessions: sessionmaker[Session]) -> tuple[Counter[str], int]:
    with sessions.begin() as session:
        account = make_account(session, seats=WORKERS)
        company_a = make_environment(session, account, "A")
        company_b = make_environment(session, account, "B")
        disabled = service.invite_users(
            session,
            account_id=account.id,
            people=people(WORKERS // 2, home=company_b),
            actor="setup",
            clock=clock(),
        )
        service.deactivate_users(
            session,
            account_id=account.id,
            user_ids=[u.id for u in disabled],
            actor="setup",
            clock=clock(),
        )
        service.invite_users(  # 5 seats already in use, outside both companies
            session, account_id=account.id, people=people(5), actor="setup", clock=clock()
        )
        account.seats = FREE_SEATS + 5  # the code in force: 10 seats remain free
        newcomers = people(WORKERS - len(disabled), home=company_a)
    barrier = threading.Barrier(WORKERS)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def worker(index: int) -> None:
        barrier.wait()
        try:
            with sessions.begin() as session:
                if index < len(disabled):
                    service.reactivate_users(
                        session,
                        account_id=account.id,
                        user_ids=[disabled[index].id],
                        actor=f"w{index}",
                        clock=clock(),
                    )
                else:
                    service.invite_users(
                        session,
                        account_id=account.id,
                        people=[newcomers[index - len(disabled)]],
                        actor=f"w{index}",
                        clock=clock(),
                    )
            result = "ok"
        except (errors.SeatLimitReached, ConcurrentChange) as refused:
            result = refused.code
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with sessions() as session:
        counted, _ = seat_counts.counted(session, account_id=account.id)
        usage = seats.seat_usage(session, account_id=account.id, today=TODAY)
        assert usage.used == counted
    return outcomes, counted


@pytest.mark.postgres
@pytest.mark.slow
def test_fifty_concurrent_workers_never_oversell_on_postgresql(pg_engine: Engine) -> None:
    sessions = session_factory(pg_engine)
    for _ in range(20):
        outcomes, used = one_round(sessions)
        assert outcomes == Counter({"ok": FREE_SEATS, "seats_exhausted": WORKERS - FREE_SEATS})
        assert used == FREE_SEATS + 5


@pytest.mark.slow
def test_fifty_concurrent_workers_never_oversell_on_sqlite(tmp_path: object) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path}/seats.db", pool_size=WORKERS)
    upgrade(engine)
    sessions = session_factory(engine)
    for _ in range(3):
        outcomes, used = one_round(sessions)
        assert outcomes == Counter({"ok": FREE_SEATS, "seats_exhausted": WORKERS - FREE_SEATS})
        assert used == FREE_SEATS + 5
    engine.dispose()
