"""make bench-commerce: replication of a large Sage 100 company beside a bare bulk copy.

The company (300 collaborators, 50,000 customers, 1,000,000 document headers and their lines) is
generated once into `.bench-cache/` (git-ignored); the demo generator writes 1 to 9 lines per
document (5 on average), so it holds about 5,000,000 lines, not 3,000,000. On each target
(SQLite store, PostgreSQL store when reachable) and in the same run, alternately:
- bare: a plain SELECT from the Sage file into scratch tables of the target (executemany on
  SQLite, COPY on PostgreSQL), no index, no conversion: the floor;
- full: `replicate(full=True)` into an empty store;
then incremental replications after 1,000 changed documents each (repeated), first on the
company as Sage ships it (no index on cbModification: each delta scans the tables), then with the
index on cbModification a DBA may add (`docs/performance.md`), and a full reconciliation of the
filled copy. Every measured run is a subprocess, so that its peak memory
(ru_maxrss) is its own. Medians are printed and written into docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CACHE = ROOT / ".bench-cache"
SHAPE: dict[str, Any] = {
    "collaborators": 300,
    "customers": 50_000,
    "documents": 1_000_000,
    "seed": 1,
}
CACHE_VERSION = 1  # bump when the demo generator changes
CHANGED = 1_000
PG_ADMIN = os.environ.get(
    "SEATBRIDGE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
# The bare copy's SQL type of each kind of column the reader reads.
PG_TYPES = {"text": "text", "stamp": "timestamp", "money": "numeric"}


def bare_tables() -> dict[str, tuple[str, list[str]]]:
    """Per table: the SELECT of the same columns and filters the reader uses, and their types."""
    from seatbridge.sage100.records import SPECS, Entity

    tables = {}
    for entity in (Entity.CUSTOMERS, Entity.DOCUMENT_HEADERS, Entity.DOCUMENT_LINES):
        spec = SPECS[entity]
        where = " AND ".join(f"{column} = {value}" for column, value in spec.filters)
        sql = f"SELECT {', '.join(spec.fields)} FROM {spec.table} WHERE {where}"
        tables[spec.table] = (sql, [PG_TYPES.get(kind.value, "int") for kind in spec.kinds])
    return tables


def company() -> Path:
    """The cached company, generated on first use (about 4 minutes, 2.5 GB)."""
    path = CACHE / f"commerce-{SHAPE['documents']}-seed{SHAPE['seed']}-v{CACHE_VERSION}.db"
    if path.exists():
        return path
    from seatbridge.sage100.demo import make_demo_company

    CACHE.mkdir(exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    print(f"Generating {path.name}...", flush=True)
    summary = make_demo_company(str(partial), company="BENCH", **SHAPE)
    print(f"  {summary.documents:,} documents, {summary.lines:,} lines, {summary.seconds:.0f} s")
    # The statistics SQL Server keeps by itself: without them SQLite serves the reader's
    # `WHERE DO_Domaine = 0 ORDER BY cbMarq` pages from the DO_Domaine index plus a sort, each
    # page sorting the rest of the table again (quadratic on millions of lines).
    with closing(sqlite3.connect(partial)) as connection:
        connection.execute("ANALYZE")
        connection.commit()
    partial.rename(path)
    return path


# In the measured subprocess


def child(kind: str, sage: Path, store: str, environment_id: int) -> None:
    if kind != "bare":
        # What a running scheduler has loaded already: time the replication, not the imports
        # (about 0.4 s, which would be half of an indexed incremental run).
        import tests.support.factories  # noqa: F401

        import seatbridge.commerce.replication  # noqa: F401
    started, cpu = time.perf_counter(), time.process_time()
    counts = (
        bare_copy(sage, store) if kind == "bare" else replication(kind, sage, store, environment_id)
    )
    # A full replication reads in a child process of its own (commerce/producer.py): its peak
    # counts too, as if both peaked at the same time.
    own, child = (
        resource.getrusage(who).ru_maxrss / 1024
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    print(json.dumps({"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                      "peak_mb": own + child, "own_mb": own, "child_mb": child,
                      "counts": counts}))  # fmt: skip


def bare_copy(sage: Path, store: str) -> dict[str, int]:
    """SELECT from the Sage file, executemany (SQLite) or COPY (PostgreSQL) into scratch tables."""
    source = sqlite3.connect(f"file:{sage}?mode=ro", uri=True)
    counts: dict[str, int] = {}
    sqlite = store.startswith("sqlite")
    if sqlite:
        target: Any = sqlite3.connect(store.removeprefix("sqlite:///"), isolation_level=None)
        target.execute("PRAGMA journal_mode = WAL")
        target.execute("PRAGMA synchronous = NORMAL")
    else:
        import psycopg

        target = psycopg.connect(store.replace("postgresql+psycopg", "postgresql"), autocommit=True)
    for table, (sql, types) in bare_tables().items():
        columns = ", ".join(f"c{i} {kind}" for i, kind in enumerate(types))
        target.execute(f"CREATE TABLE scratch_{table} ({columns})")
        insert = f"INSERT INTO scratch_{table} VALUES ({', '.join('?' * len(types))})"
        cursor, counts[table] = source.execute(sql), 0
        while rows := cursor.fetchmany(10_000):
            with target.transaction() if not sqlite else _sqlite_transaction(target):
                if sqlite:
                    target.executemany(insert, rows)
                else:
                    with target.cursor().copy(f"COPY scratch_{table} FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            counts[table] += len(rows)
    target.close()
    return counts


@contextmanager
def _sqlite_transaction(connection: sqlite3.Connection) -> Iterator[None]:
    connection.execute("BEGIN")
    yield
    connection.execute("COMMIT")


def replication(kind: str, sage: Path, store: str, environment_id: int) -> dict[str, Any]:
    from tests.support.factories import clock

    from seatbridge.accounts.models import Environment
    from seatbridge.commerce.replication import replicate
    from seatbridge.db.engine import create_store_engine, session_factory
    from seatbridge.sage100.reader import Sage100Reader

    sessions = session_factory(create_store_engine(store))
    with sessions() as session:
        environment = session.get(Environment, environment_id)
        assert environment is not None
        session.expunge(environment)
    with Sage100Reader(str(sage)) as reader:
        outcome = replicate(sessions, environment=environment, reader=reader, clock=clock(),
                            full=kind in ("full", "refull"))  # fmt: skip
    return {e.entity: {"read": e.read, "upserted": e.upserted, "deleted": e.deleted,
                       "seconds": e.seconds} for e in outcome.entities}  # fmt: skip


# In the parent


def measure(kind: str, sage: Path, store: str, environment_id: int = 0) -> dict[str, Any]:
    warm(sage)
    command = [sys.executable, __file__, "--child", kind, str(sage), store, str(environment_id)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def warm(sage: Path) -> None:
    """Read the company file once before each measured run (not timed), bare and full alike:
    this machine's page cache is reclaimed between runs, and re-reading 2.5 GB from its disk
    made single runs vary by a third. A Sage server keeps its tables in its buffer pool too."""
    with sage.open("rb") as file:
        while file.read(1 << 24):
            pass


@contextmanager
def fresh_store(target: str) -> Iterator[str]:
    if target == "sqlite":
        folder = tempfile.mkdtemp(dir=CACHE, prefix="store-")
        try:
            yield f"sqlite:///{folder}/store.db"
        finally:
            shutil.rmtree(folder)
        return
    from tests.support.databases import fresh_pg_database

    with fresh_pg_database("sbbench") as url:
        yield url


def prepared(store: str) -> int:
    """Migrate a store and give it an account with one environment; its id."""
    from tests.support.factories import make_account, make_environment

    from seatbridge.db.engine import create_store_engine, session_factory
    from seatbridge.db.migrate import upgrade

    engine = create_store_engine(store)
    upgrade(engine)
    with session_factory(engine).begin() as session:
        environment_id = make_environment(session, make_account(session), "BENCH").id
    engine.dispose()
    return environment_id


MODIFIED_INDEXES = {  # what docs/performance.md recommends for large companies
    "F_COMPTET": "IX_SEATBRIDGE_CT_MOD",
    "F_DOCENTETE": "IX_SEATBRIDGE_DO_MOD",
    "F_DOCLIGNE": "IX_SEATBRIDGE_DL_MOD",
}


def add_modified_indexes(sage: Path) -> float:
    """Create the indexes on cbModification; how long it took."""
    started = time.perf_counter()
    with closing(sqlite3.connect(sage)) as connection, connection:
        for table, name in MODIFIED_INDEXES.items():
            connection.execute(f"CREATE INDEX {name} ON {table} (cbModification)")
        connection.execute("ANALYZE")
    return time.perf_counter() - started


def touch(sage: Path, round_: int) -> None:
    """Change 1,000 documents the way Sage does: new totals, fresh cbModification on the header
    and its lines (2 h apart per round; the overlap re-reads the previous round, unchanged)."""
    stamp = f"2030-01-{1 + round_ // 12:02d} {2 * (round_ % 12):02d}:00:00.000000"
    with closing(sqlite3.connect(sage)) as connection, connection:
        top = connection.execute("SELECT MAX(cbMarq) FROM F_DOCENTETE").fetchone()[0]
        chosen = random.Random(round_).sample(range(1, top + 1), min(CHANGED, top))
        pieces = connection.execute(
            "SELECT DO_Type, DO_Piece FROM F_DOCENTETE WHERE cbMarq IN "
            f"({','.join(map(str, chosen))})"
        ).fetchall()
        connection.executemany(
            "UPDATE F_DOCENTETE SET DO_TotalHT = DO_TotalHT + 1, cbModification = ? "
            "WHERE cbMarq = ?",
            [(stamp, marq) for marq in chosen],
        )
        connection.executemany(
            "UPDATE F_DOCLIGNE SET cbModification = ? "
            "WHERE DO_Domaine = 0 AND DO_Type = ? AND DO_Piece = ?",
            [(stamp, *piece) for piece in pieces],
        )


def bench_target(target: str, sage: Path, repeat: int, increments: int) -> dict[str, Any]:
    runs: dict[str, list[dict[str, Any]]] = {
        k: [] for k in ("bare", "full", "incremental", "indexed", "refull")
    }

    def run(kind: str, attempt: int, store: str, environment_id: int = 0) -> None:
        runs[kind].append(result := measure(kind, sage, store, environment_id))
        print(
            f"  {target:10} {kind:11} #{attempt}: {result['seconds']:8.2f} s, "
            f"cpu {result['cpu']:7.2f} s, peak {result['peak_mb']:5.0f} MB "
            f"({result.get('own_mb', 0):.0f} + child {result.get('child_mb', 0):.0f})",
            flush=True,
        )

    for attempt in range(1, repeat + 1):  # bare and full alternate: both see the same load
        with fresh_store(target) as store:
            run("bare", attempt, store)
        with fresh_store(target) as store:
            run("full", attempt, store, environment_id := prepared(store))
            if attempt == repeat:
                for round_ in range(increments):
                    touch(sage, round_)
                    run("incremental", round_ + 1, store, environment_id)
                seconds = add_modified_indexes(sage)
                print(f"  {target:10} indexes on cbModification created in {seconds:.1f} s")
                for round_ in range(increments, 2 * increments):
                    touch(sage, round_)
                    run("indexed", round_ + 1 - increments, store, environment_id)
                run("refull", 1, store, environment_id)
    return summarise(runs)


def summarise(runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    def median(kind: str, key: str = "seconds") -> float:
        return float(statistics.median(r[key] for r in runs[kind]))

    full, bare = median("full"), median("bare")
    incremental = median("incremental") if runs["incremental"] else float("nan")
    indexed = median("indexed") if runs["indexed"] else float("nan")
    return {
        "bare": bare, "full": full, "ratio": full / bare, "incremental": incremental,
        "cpu_ratio": median("full", "cpu") / median("bare", "cpu"),
        "incremental_share": incremental / full, "indexed": indexed,
        "indexed_share": indexed / full, "refull": median("refull"),
        "peak_mb": max(r["peak_mb"] for kind in ("full", "incremental", "indexed", "refull")
                       for r in runs[kind]),
        "bare_peak_mb": max(r["peak_mb"] for r in runs["bare"]),
        "runs": {kind: len(results) for kind, results in runs.items()},
        "entities": runs["full"][-1]["counts"],
    }  # fmt: skip


def postgres_version() -> str | None:
    """The server's version, or None when it is not reachable (its target is then skipped)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_ADMIN, connect_args={"connect_timeout": 2})
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar_one()).split()[0]
    except Exception:  # noqa: BLE001 (any failure means "not reachable")
        return None
    finally:
        engine.dispose()


def machine(postgres: str | None) -> str:
    lines = Path("/proc/cpuinfo").read_text().splitlines()
    models = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    cpu = models[0] if models else platform.processor()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    software = f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    if postgres:
        software += f", PostgreSQL {postgres}"
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GB RAM, {system}; {software}"


START, END = "<!-- bench-commerce:start -->", "<!-- bench-commerce:end -->"
NAMES = {"sqlite": "SQLite -> SQLite", "postgresql": "SQLite -> PostgreSQL"}


def write_docs(figures: dict[str, dict[str, Any]], described: str, load: str) -> None:
    """Replace the figures between the markers of docs/performance.md (the rest is kept)."""
    first = next(iter(figures.values()))
    read = {name: entity["read"] for name, entity in first["entities"].items()}
    lines = [
        START,
        f"Company: {SHAPE['collaborators']} collaborators, {read['customers']:,} customers, "
        f"{read['document_headers']:,} headers, {read['document_lines']:,} lines. Medians of "
        f"{first['runs']['full']} alternated bare/full runs, {first['runs']['incremental']} "
        f"incremental runs without an index on cbModification and {first['runs']['indexed']} "
        "with one.",
        "",
        "| source -> store | bare | full | ratio (CPU) | incremental, no index | incr./full "
        "| incremental, indexed | incr./full | full again | peak |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for target, f in figures.items():
        lines.append(
            f"| {NAMES[target]} | {f['bare']:.1f} s | {f['full']:.1f} s | **{f['ratio']:.2f}x** "
            f"({f['cpu_ratio']:.2f}x) "
            f"| {f['incremental']:.2f} s | {f['incremental_share']:.1%} "
            f"| {f['indexed']:.2f} s | **{f['indexed_share']:.1%}** | {f['refull']:.1f} s "
            f"| {f['peak_mb']:.0f} MB |"
        )
    lines.append("")
    for target, f in figures.items():
        entities = ", ".join(f"{name} {e['seconds']:.1f} s" for name, e in f["entities"].items())
        lines.append(f"- {NAMES[target]}, full run per entity: {entities}.")
    bare_peak = max(f["bare_peak_mb"] for f in figures.values())
    lines += [f"- Bare copy's peak memory: {bare_peak:.0f} MB. CPU ratio: the replicating "
              "process's own CPU time; it leaves out the reading child of full runs and "
              "PostgreSQL's server.", "",
              f"Machine: {described}. Load average: {load}.", END]  # fmt: skip
    path = ROOT / "docs" / "performance.md"
    text = path.read_text() if path.exists() else "# Performance\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + "\n".join(lines) + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## Commerce replication\n\n" + "\n".join(lines) + "\n"
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="bare/full pairs per target")
    parser.add_argument("--increments", type=int, default=5, help="incremental runs per target")
    parser.add_argument("--targets", default="sqlite,postgresql")
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/performance.md")
    parser.add_argument("--sage", type=Path, help="another company file (figures not written)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, sage, store, environment_id = args.child
        child(kind, Path(sage), store, int(environment_id))
        return
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    cached = args.sage or company()
    work = CACHE / "commerce-work.db"  # incremental runs edit it; the cache stays as generated
    print(f"Copying {cached.name} to {work.name}...", flush=True)
    shutil.copyfile(cached, work)
    postgres = postgres_version()
    targets = [t for t in args.targets.split(",") if t != "postgresql" or postgres]
    figures = {}
    try:
        for target in targets:
            figures[target] = bench_target(target, work, args.repeat, args.increments)
            shutil.copyfile(cached, work)  # the next target starts from the same rows
    finally:
        work.unlink(missing_ok=True)
    described = machine(postgres)
    load += " (start); " + ", ".join(f"{value:.1f}" for value in os.getloadavg()) + " (end)"
    print(f"\n{described}; load average: {load}")
    for target, f in figures.items():
        print(f"{target}: bare {f['bare']:.1f} s, full {f['full']:.1f} s (x{f['ratio']:.2f}), "
              f"incremental {f['incremental']:.2f} s ({f['incremental_share']:.1%} of full), "
              f"with the cbModification index {f['indexed']:.2f} s ({f['indexed_share']:.1%}), "
              f"full reconciliation {f['refull']:.1f} s, peak {f['peak_mb']:.0f} MB")  # fmt: skip
    if not (args.no_docs or args.sage):
        write_docs(figures, described, load)


if __name__ == "__main__":
    main()
