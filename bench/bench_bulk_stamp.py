"""make bench-bulk-stamp: incremental replication right after a Sage bulk operation.

A Sage bulk operation (a price update, a re-valuation) stamps many rows with one
cbModification. The reader's overlap used to read those rows again on every incremental run
while that stamp stayed the newest. Now the watermark remembers the rows a delta saw at settled
stamps (`seatbridge.sage100.changes`) and the next delta skips them while they are unchanged.

Per size (generated companies, cached in `.bench-cache/`) and store (SQLite; PostgreSQL when
reachable): a full replication, then a bulk stamp of 100,000 document lines (one UPDATE, one
cbModification a few minutes in the server's past), the incremental run that reads them (the
changed rows), then `--repeat` incremental runs right after: their median against the full
run's time is the figure; the same runs with the remembered stamps erased from the watermark
(what every run cost before) give the baseline. Prints the figures; writes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import statistics
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CACHE = ROOT / ".bench-cache"
BULK = 100_000
PG_ADMIN = os.environ.get(
    "SEATBRIDGE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def company(documents: int) -> Path:
    from seatbridge.sage100.demo import make_demo_company

    path = CACHE / f"bulk-{documents}.db"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        make_demo_company(str(partial), company="BULK", collaborators=100,
                          customers=documents // 20, documents=documents, seed=2)  # fmt: skip
        with closing(sqlite3.connect(partial)) as connection:
            connection.execute("ANALYZE")
            connection.commit()
        partial.rename(path)
    return path


def bulk_stamp(sage: Path) -> None:
    """One UPDATE stamping 100,000 sales lines with one cbModification (server time, UTC for
    SQLite, five minutes ago: settled)."""
    stamp = (dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=5)).isoformat(
        " ", "microseconds"
    )
    with closing(sqlite3.connect(sage)) as connection, connection:
        connection.execute(
            "UPDATE F_DOCLIGNE SET cbModification = ? WHERE cbMarq IN (SELECT cbMarq FROM "
            "F_DOCLIGNE WHERE DO_Domaine = 0 ORDER BY cbMarq LIMIT ?)",
            (stamp, BULK),
        )


def replicate_once(sessions: Any, environment: Any, sage: Path, *, full: bool) -> tuple[float, int]:
    from tests.support.factories import clock

    from seatbridge.commerce.replication import replicate
    from seatbridge.sage100.reader import Sage100Reader

    started = time.perf_counter()
    with Sage100Reader(str(sage)) as reader:
        outcome = replicate(sessions, environment=environment, reader=reader, clock=clock(),
                            full=full, child_min_rows=None)  # fmt: skip
    return time.perf_counter() - started, sum(entity.read for entity in outcome.entities)


def forget_seen(sessions: Any) -> None:
    from sqlalchemy import update

    from seatbridge.sync.models import SyncWatermark

    with sessions.begin() as session:
        session.execute(update(SyncWatermark).values(seen=None))


def bench(target: str, sage: Path, repeat: int, *, indexed: bool) -> dict[str, Any]:
    import shutil
    import tempfile

    from tests.support.factories import make_account, make_environment

    from seatbridge.db.engine import create_store_engine, session_factory
    from seatbridge.db.migrate import upgrade

    work = Path(tempfile.mkdtemp(dir=CACHE, prefix="bulk-"))
    copy = work / "sage.db"
    shutil.copyfile(sage, copy)
    if indexed:  # what docs/performance.md recommends a DBA adds for large companies
        with closing(sqlite3.connect(copy)) as connection, connection:
            for table in ("F_COMPTET", "F_DOCENTETE", "F_DOCLIGNE"):
                connection.execute(f"CREATE INDEX IX_{table}_MOD ON {table} (cbModification)")
            connection.execute("ANALYZE")
    try:
        if target == "sqlite":
            url, database = f"sqlite:///{work}/store.db", None
        else:
            from tests.support.databases import fresh_pg_database

            database = fresh_pg_database("sbbulk")
            url = database.__enter__()
        engine = create_store_engine(url)
        upgrade(engine)
        sessions = session_factory(engine)
        with sessions.begin() as session:
            environment = make_environment(session, make_account(session), "BULK")
            session.expunge(environment)
        full, rows = replicate_once(sessions, environment, copy, full=True)
        bulk_stamp(copy)
        first, first_rows = replicate_once(sessions, environment, copy, full=False)
        after = [replicate_once(sessions, environment, copy, full=False) for _ in range(repeat)]
        before = []
        for _ in range(repeat):
            forget_seen(sessions)
            before.append(replicate_once(sessions, environment, copy, full=False))
        engine.dispose()
        if database is not None:
            database.__exit__(None, None, None)
    finally:
        shutil.rmtree(work)
    return {
        "rows": rows,
        "full": full,
        "first": first,
        "first_rows": first_rows,
        "after": statistics.median(s for s, _ in after),
        "after_rows": statistics.median(n for _, n in after),
        "before": statistics.median(s for s, _ in before),
        "before_rows": statistics.median(n for _, n in before),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="30000,100000", help="documents per company")
    parser.add_argument("--repeat", type=int, default=3, help="incremental runs measured")
    parser.add_argument("--targets", default="sqlite,postgresql")
    parser.add_argument("--variants", default="scan,indexed", help="without/with the index")
    args = parser.parse_args()
    print(f"load: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} cores")
    print(
        "| documents | rows read (full) | store, source | full | incremental reading the bulk | "
        "next incremental (median) | share of full | before: same run | before: share |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for documents in map(int, args.sizes.split(",")):
        sage = company(documents)
        for target in args.targets.split(","):
            if target == "postgresql":
                try:
                    import sqlalchemy

                    sqlalchemy.create_engine(PG_ADMIN).connect().close()
                except Exception:  # noqa: BLE001
                    print(f"| {documents:,} | | postgresql | (not reachable) |")
                    continue
            for variant in args.variants.split(","):
                f = bench(target, sage, args.repeat, indexed=variant == "indexed")
                print(
                    f"| {documents:,} | {f['rows']:,} | {target}, {variant} | {f['full']:.2f} s "
                    f"| {f['first']:.2f} s ({f['first_rows']:,} rows) "
                    f"| {f['after'] * 1000:.0f} ms ({f['after_rows']:,.0f} rows) "
                    f"| {f['after'] / f['full']:.2%} "
                    f"| {f['before'] * 1000:.0f} ms ({f['before_rows']:,.0f} rows) "
                    f"| {f['before'] / f['full']:.2%} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
