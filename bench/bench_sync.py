"""make bench-sync: a full sync of 5,000 collaborators, then incremental syncs of 10 changes.

The Sage 100 company is a generated SQLite database read by the real reader; the store is a
fresh SQLite file (and PostgreSQL when reachable). Figures are medians over repeated runs; the
ratio incremental / full is the figure that matters (target: under 5 %).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.factories import clock, make_account, make_environment  # noqa: E402

from seatbridge.db.engine import create_store_engine, session_factory  # noqa: E402
from seatbridge.db.migrate import upgrade  # noqa: E402
from seatbridge.sage100.demo import make_demo_company  # noqa: E402
from seatbridge.sage100.reader import Sage100Reader  # noqa: E402
from seatbridge.sync.runner import run_sync  # noqa: E402
from seatbridge.sync.source import Sage100Source  # noqa: E402

COLLABORATORS = 5_000
CHANGED = 10
FULL_RUNS = 3
INCREMENTAL_RUNS = 7
CACHE = ROOT / ".bench-cache"


def main() -> None:
    CACHE.mkdir(exist_ok=True)
    sage_path = CACHE / f"sage-sync-{COLLABORATORS}.db"
    if not sage_path.exists():
        make_demo_company(
            f"sqlite:///{sage_path}",
            company="BENCH",
            collaborators=COLLABORATORS,
            customers=10,
            documents=10,
            seed=7,
        )
    print(f"Sage 100 company: {COLLABORATORS} collaborators ({sage_path.name})")
    for label, store in stores():
        bench(label, store, sage_path)


def stores() -> Iterator[tuple[str, Callable[[], Iterator[str]]]]:
    yield "SQLite store", _sqlite_store
    try:
        probe = create_engine(
            "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
            connect_args={"connect_timeout": 2},
        )
        with probe.connect():
            pass
        probe.dispose()
        yield "PostgreSQL store", _pg_store
    except Exception as error:  # noqa: BLE001
        print(f"(PostgreSQL store skipped: {type(error).__name__})")


@contextmanager
def _sqlite_store() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{folder}/store.db"


@contextmanager
def _pg_store() -> Iterator[str]:
    from tests.support.databases import fresh_pg_database

    with fresh_pg_database("sbbench") as url:
        yield url


def bench(label: str, store: Callable[[], Iterator[str]], sage_path: Path) -> None:
    full_times: list[float] = []
    incremental_times: list[float] = []
    for _ in range(FULL_RUNS):
        with store() as url:  # type: ignore[attr-defined]
            engine = create_store_engine(url)
            upgrade(engine)
            sessions = session_factory(engine)
            with sessions.begin() as session:
                account = make_account(session, seats=COLLABORATORS)
                environment = make_environment(session, account, "BENCH")
            work = Path(tempfile.mkdtemp()) / "sage.db"
            work.write_bytes(sage_path.read_bytes())
            with Sage100Reader(f"sqlite:///{work}") as reader:
                source = Sage100Source(reader)

                args = (sessions, account.id, environment.id, source)
                full_times.append(timed_sync(*args))
                if not incremental_times:
                    for round_ in range(INCREMENTAL_RUNS):
                        touch(work, round_)
                        incremental_times.append(timed_sync(*args))
            engine.dispose()
            work.unlink()
    full, incremental = statistics.median(full_times), statistics.median(incremental_times)
    print(f"\n{label}")
    print(
        f"  full sync, {COLLABORATORS} collaborators: median {full * 1000:8.1f} ms "
        f"({', '.join(f'{t * 1000:.0f}' for t in full_times)})"
    )
    print(
        f"  incremental, {CHANGED} changed:          median {incremental * 1000:8.1f} ms "
        f"({', '.join(f'{t * 1000:.0f}' for t in incremental_times)})"
    )
    print(f"  incremental / full = {incremental / full:.1%} (target < 5 %)")


def timed_sync(
    sessions: sessionmaker[Session], account_id: int, environment_id: int, source: Sage100Source
) -> float:
    started = time.perf_counter()
    run_sync(
        sessions,
        account_id=account_id,
        environment_id=environment_id,
        source=source,
        actor="bench",
        clock=clock(),
    )
    return time.perf_counter() - started


def touch(path: Path, round_: int) -> None:
    """Edit CHANGED collaborators the way Sage does: new values and a fresh cbModification."""
    engine = create_engine(f"sqlite:///{path}")
    stamp = dt.datetime(2030, 1, 1) + dt.timedelta(minutes=round_)
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE F_COLLABORATEUR SET CO_Telephone = :phone, cbModification = :stamp "
                "WHERE CO_No IN (SELECT CO_No FROM F_COLLABORATEUR ORDER BY CO_No LIMIT :n "
                "OFFSET :skip)"
            ),
            {
                "phone": f"01 00 00 00 {round_:02d}",
                "stamp": stamp,
                "n": CHANGED,
                "skip": round_ * CHANGED,
            },
        )
    engine.dispose()


if __name__ == "__main__":
    main()
