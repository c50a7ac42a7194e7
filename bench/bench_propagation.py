"""make bench-propagation: how long a change in Sage 100 takes to be visible through /api/v1,
and what an idle environment costs the server per look.

1. Propagation: a store (SQLite), the web app (its REST API, in-process) and the embedded
   scheduler thread with its default cadences (tick 1 s, probe every 5 s). For a direct SQLite
   source and a direct PostgreSQL source, CHANGES times: rename a collaborator in Sage 100
   (committed, `cbModification` stamped as Sage does) and poll
   `GET /api/v1/environments/{id}/collaborators?q=` every 50 ms until the new name shows.
   Prints p50 / p95 / max.
2. Idle cost: `probe_environment` on an unchanged environment (the real look: store read, the
   source's token, the store write), CPU time of this process per look, beside a bare baseline
   (one store read and one store write). And for N idle environments (1,000 and 10,000 sharing
   one SQLite company file), the CPU of one full round of looks, hence how many environments one
   core keeps live at a 5 s cadence.

Usage: python bench/bench_propagation.py [--changes 20] [--sizes 1000,10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, insert, select, text, update
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.databases import fresh_pg_database  # noqa: E402
from tests.support.factories import make_account  # noqa: E402

from seatbridge.accounts.models import Environment  # noqa: E402
from seatbridge.apikeys import service as apikeys  # noqa: E402
from seatbridge.clock import SYSTEM_CLOCK  # noqa: E402
from seatbridge.config import Settings  # noqa: E402
from seatbridge.db.engine import create_store_engine, session_factory  # noqa: E402
from seatbridge.db.migrate import upgrade  # noqa: E402
from seatbridge.jobs import live  # noqa: E402
from seatbridge.jobs.embedded import EmbeddedScheduler  # noqa: E402
from seatbridge.sage100.demo import make_demo_company  # noqa: E402
from seatbridge.web.app import create_app  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@contextmanager
def store(folder: Path) -> Iterator[tuple[sessionmaker[Session], Settings]]:
    url = f"sqlite:///{folder}/store.db"
    engine = create_store_engine(url)
    upgrade(engine)
    settings = Settings(
        database_url=url,
        data_dir=folder,
        direct_sources=[tempfile.gettempdir(), str(folder), "127.0.0.1"],
        demo=True,
        secret_key="bench-propagation-secret-key-0123456789",  # type: ignore[arg-type]  # noqa: S106
    )
    try:
        yield session_factory(engine), settings
    finally:
        engine.dispose()


def add_environment(sessions: sessionmaker[Session], account_id: int, name: str, url: str) -> int:
    with sessions.begin() as session:
        environment = Environment(account_id=account_id, name=name, source_url=url)
        session.add(environment)
        session.flush()
        return environment.id


def propagation(source_url: str, folder: Path, changes: int) -> list[float]:
    with store(folder) as (sessions, settings):
        with sessions.begin() as session:
            account_id = make_account(session, seats=50).id
            token = apikeys.create_key(
                session, account_id=account_id, name="bench", scope="admin", actor="bench",
                clock=SYSTEM_CLOCK,
            ).token  # fmt: skip
        environment_id = add_environment(sessions, account_id, "BENCH", source_url)
        app = create_app(settings, engine=sessions.kw["bind"])
        client = TestClient(app)
        scheduler = EmbeddedScheduler(sessions, settings=settings, clock=SYSTEM_CLOCK)
        scheduler.tick()  # the first look: a full sync
        scheduler.start()
        sage = create_engine(source_url)
        headers = {"Authorization": f"Bearer {token}"}
        path = f"/api/v1/environments/{environment_id}/collaborators"
        seconds: list[float] = []
        try:
            time.sleep(1.3)  # not in step with the tick
            for index in range(changes):
                name = f"RENOMME{index:03d}"
                with sage.begin() as connection:
                    connection.execute(
                        text(
                            'UPDATE "F_COLLABORATEUR" SET "CO_Nom" = :name, '
                            '"cbModification" = :now WHERE "CO_No" = 3'
                        ),
                        {"name": name, "now": dt.datetime.now().replace(microsecond=0)},
                    )
                committed = time.perf_counter()
                while True:
                    found = client.get(path, params={"q": name}, headers=headers).json()
                    if any(item["last_name"] == name for item in found["items"]):
                        break
                    if time.perf_counter() - committed > 60:
                        raise RuntimeError("the change never showed")
                    time.sleep(0.05)
                seconds.append(time.perf_counter() - committed)
                time.sleep(0.37 * (index % 5))  # changes land at different points of the cycle
        finally:
            scheduler.stop()
            sage.dispose()
        return seconds


def idle_cost(folder: Path, company: Path, sizes: list[int]) -> None:
    with store(folder) as (sessions, settings):
        with sessions.begin() as session:
            account_id = make_account(session, seats=50, max_environments=max(sizes) + 1).id
        one = add_environment(sessions, account_id, "IDLE", f"sqlite:///{company}")

        def look(environment_id: int) -> str:
            return live.probe_environment(
                sessions, environment_id=environment_id, holder="bench", settings=settings,
                clock=SYSTEM_CLOCK,
            )  # fmt: skip

        assert look(one) == "synced"

        def baseline(environment_id: int) -> None:  # the bare store work of a look
            with sessions() as session:
                session.get(Environment, environment_id)
            with sessions.begin() as session:
                session.execute(
                    update(Environment)
                    .where(Environment.id == environment_id)
                    .values(probed_at=dt.datetime.now(dt.UTC))
                )

        def cpu_per(call: Callable[[], object], runs: int) -> float:
            started = time.process_time()
            for _ in range(runs):
                call()
            return (time.process_time() - started) / runs * 1000

        looks = [cpu_per(lambda: look(one), 200) for _ in range(5)]
        bare = [cpu_per(lambda: baseline(one), 200) for _ in range(5)]
        per_look, per_bare = statistics.median(looks), statistics.median(bare)
        print(f"  idle look (SQLite source): {per_look:.3f} ms CPU (median of 5 x 200)")
        print(
            f"  bare store read + write:   {per_bare:.3f} ms CPU; ratio {per_look / per_bare:.2f}x"
        )
        with sessions.begin() as session:
            settled = session.get_one(Environment, one)
            token, fingerprint = settled.probe_token, settled.probe_fingerprint
        for size in sizes:
            with sessions.begin() as session:
                session.execute(
                    insert(Environment),
                    [
                        {"account_id": account_id, "name": f"N{size}-{i}",
                         "source_url": f"sqlite:///{company}", "probe_token": token,
                         "probe_fingerprint": fingerprint,
                         "probed_at": dt.datetime.now(dt.UTC)}
                        for i in range(size)
                    ],
                )  # fmt: skip
                ids = list(
                    session.scalars(
                        select(Environment.id).where(Environment.name.like(f"N{size}-%"))
                    )
                )
            started = time.process_time()
            wall = time.perf_counter()
            outcomes = [look(environment_id) for environment_id in ids]
            cpu = time.process_time() - started
            assert set(outcomes) == {"unchanged"}, set(outcomes)
            per = cpu / size * 1000
            print(
                f"  {size:>6,} idle environments: one round {cpu:.2f} s CPU "
                f"({time.perf_counter() - wall:.2f} s wall), {per:.3f} ms per look; "
                f"one core keeps {int(5 / (per / 1000)):,} live at a 5 s cadence"
            )


def report(label: str, seconds: list[float]) -> None:
    print(
        f"  {label:<22} n={len(seconds)}  p50 {statistics.median(seconds):.2f} s  "
        f"p95 {percentile(seconds, 0.95):.2f} s  max {max(seconds):.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--sizes", default="1000,10000")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",") if size]
    with tempfile.TemporaryDirectory(prefix="bench-propagation-") as name:
        folder = Path(name)
        company = folder / "company.db"
        make_demo_company(str(company), collaborators=200, customers=100, documents=500, seed=7)
        print("Propagation: a rename in Sage 100 until visible through /api/v1 (probe every 5 s)")
        (folder / "sqlite").mkdir()
        report("direct SQLite source", propagation(f"sqlite:///{company}", folder / "sqlite",
                                                   options.changes))  # fmt: skip
        with fresh_pg_database("sbbenchprop") as pg_url:
            make_demo_company(pg_url, collaborators=200, customers=100, documents=500, seed=7)
            (folder / "pg").mkdir()
            report("direct PostgreSQL", propagation(pg_url, folder / "pg", options.changes))
        print("Idle cost per look (server CPU, the probe's own work included)")
        (folder / "idle").mkdir()
        idle_cost(folder / "idle", company, sizes)


if __name__ == "__main__":
    main()
