"""make bench-scim: SCIM filter and list latencies at several sizes, against a bare SQL baseline.

For each size (users of the measured account; a second account of the same size sits beside it
so that the account condition matters) a fresh PostgreSQL store is loaded and a real server
(uvicorn, one process) answers over HTTP on 127.0.0.1:

* `filter`: GET /scim/v2/Users?filter=userName eq "<a random user>" (half of the users carry a
  userName given by SCIM, half have their e-mail as userName);
* `page`: GET /scim/v2/Users?startIndex=<random>&count=100.

Each is measured at 1 and 4 concurrent clients, first right after loading (autovacuum off, no
ANALYZE: no table statistics) and then after ANALYZE; p50/p95/p99 in ms. The baseline is the bare
SQL of the same read (psycopg, one client, no HTTP, no ORM): the ratio app p50 / bare p50 shows
what HTTP, authentication, ORM loading and SCIM serialisation add.

Usage: python bench/bench_scim.py [--sizes 1000,10000] [--requests 200] [--sqlite]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import Engine, insert, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.factories import clock, make_account  # noqa: E402

from seatbridge.apikeys import service as apikeys  # noqa: E402
from seatbridge.apikeys.scim import ScimIdentity  # noqa: E402
from seatbridge.db.engine import create_store_engine, session_factory  # noqa: E402
from seatbridge.db.migrate import upgrade  # noqa: E402
from seatbridge.directory.models import User, UserStatus  # noqa: E402

SERVER = """
import sys, uvicorn
from seatbridge.config import Settings
from seatbridge.web import create_app
settings = Settings(database_url=sys.argv[1], secret_key="bench-" + "x" * 40, demo=False)
uvicorn.run(create_app(settings), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""

# The same reads as the app's, in the same shape (see web/scim/views.py): ids from user_account
# alone, then the page's identity and link.
BARE_FILTER = (
    "SELECT u.*, i.*, EXISTS (SELECT 1 FROM collaborator_link l WHERE l.account_id = %(a)s "
    "AND l.user_id = u.id) AS linked FROM user_account u LEFT JOIN scim_identity i "
    "ON i.user_id = u.id WHERE u.account_id = %(a)s AND NOT u.scim_hidden "
    "AND coalesce(u.scim_user_name, u.email_normalized) = %(name)s"
)
BARE_PAGE = (
    "SELECT u.*, i.*, EXISTS (SELECT 1 FROM collaborator_link l WHERE l.account_id = %(a)s "
    "AND l.user_id = u.id) AS linked, p.total FROM (SELECT id, count(*) OVER () AS total "
    "FROM user_account WHERE account_id = %(a)s AND NOT scim_hidden ORDER BY id "
    "LIMIT 100 OFFSET %(o)s) p JOIN user_account u ON u.id = p.id "
    "LEFT JOIN scim_identity i ON i.user_id = u.id ORDER BY u.id"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--sqlite", action="store_true", help="also a SQLite store")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    load = os.getloadavg()
    print(f"bench-scim: sizes {sizes}, {args.requests} requests per figure, load {load[0]:.2f}")
    print(
        f"{'store':<10} {'users':>6} {'stats':<6} {'read':<6} {'clients':>7} "
        f"{'p50':>7} {'p95':>7} {'p99':>7} {'bare p50':>9} {'ratio':>6}"
    )
    stores: list[tuple[str, Callable[[], Iterator[str]]]] = [("postgresql", _pg_store)]
    if args.sqlite:
        stores.append(("sqlite", _sqlite_store))
    for label, store in stores:
        for size in sizes:
            with store() as url:  # type: ignore[attr-defined]
                bench(label, url, size, args.requests)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def bench(label: str, url: str, size: int, requests: int) -> None:
    engine = create_store_engine(url)
    upgrade(engine)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            for table in ("user_account", "scim_identity", "collaborator_link"):
                connection.execute(text(f"ALTER TABLE {table} SET (autovacuum_enabled = false)"))
    account_id, token, user_names = load(engine, size)
    with server(url) as base:
        for stats in ("none", "analyze"):
            if stats == "analyze":
                with engine.begin() as connection:
                    connection.execute(text("ANALYZE"))
            bare = bare_medians(engine, account_id, user_names, size)
            for read in ("filter", "page"):
                for clients in (1, 4):
                    times = measure(base, token, read, clients, requests, user_names, size)
                    p50, p95, p99 = percentiles(times)
                    print(
                        f"{label:<10} {size:>6} {stats:<6} {read:<6} {clients:>7} "
                        f"{p50:7.1f} {p95:7.1f} {p99:7.1f} {bare[read]:9.2f} "
                        f"{p50 / bare[read]:5.1f}x",
                        flush=True,
                    )
    engine.dispose()


def load(engine: Engine, size: int) -> tuple[int, str, list[str]]:
    """Two accounts of `size` users; half of the measured one's users named by SCIM."""
    sessions = session_factory(engine)
    now = clock().now()
    with sessions.begin() as session:
        accounts = [make_account(session, seats=size + 10).id for _ in range(2)]
        token = apikeys.create_key(
            session,
            account_id=accounts[0],
            name="bench",
            scope="scim",
            actor="bench",
            clock=clock(),
        ).token
    user_names: list[str] = []
    with engine.begin() as connection:
        for account_id in accounts:
            rows = [
                {
                    "account_id": account_id,
                    "email": f"Rep.{account_id}.{n}@Bijou-SA.fr",
                    "email_normalized": f"rep.{account_id}.{n}@bijou-sa.fr",
                    "first_name": f"Prénom{n}",
                    "last_name": f"Nom{n}",
                    "role": "salesrep",
                    "status": UserStatus.ACTIVE.value,
                    "locale": "fr",
                    "source": "bench",
                    "created_at": now,
                    "updated_at": now,
                    "scim_user_name": f"idp-{account_id}-{n}" if n % 2 else None,
                }
                for n in range(size)
            ]
            for start in range(0, size, 5000):
                connection.execute(insert(User), rows[start : start + 5000])
            ids = connection.execute(
                text(
                    "SELECT id, scim_user_name FROM user_account WHERE account_id = :a ORDER BY id"
                ),
                {"a": account_id},
            ).all()
            identities = [
                {
                    "account_id": account_id,
                    "user_id": user_id,
                    "user_name": name.upper(),
                    "user_name_normalized": name,
                    "external_id": f"ext-{user_id}",
                    "created_at": now,
                    "updated_at": now,
                }
                for user_id, name in ids
                if name is not None
            ]
            for start in range(0, len(identities), 5000):
                connection.execute(insert(ScimIdentity), identities[start : start + 5000])
            if account_id == accounts[0]:
                user_names = [
                    (name.upper() if name else f"Rep.{account_id}.{n}@Bijou-SA.fr")
                    for n, (_, name) in enumerate(ids)
                ]
    return accounts[0], token, user_names


@contextmanager
def server(url: str) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, url, str(port)],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("SEATBRIDGE_")},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def measure(
    base: str,
    token: str,
    read: str,
    clients: int,
    requests: int,
    user_names: list[str],
    size: int,
) -> list[float]:
    times: list[float] = []
    lock = threading.Lock()
    per_client = max(1, requests // clients)

    def client(seed: int) -> None:
        chooser = random.Random(seed)
        mine: list[float] = []
        with httpx.Client(
            base_url=f"{base}/scim/v2",
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        ) as http:
            http.get("/ServiceProviderConfig")  # connection and key warmed
            for _ in range(per_client):
                if read == "filter":
                    params = {"filter": f'userName eq "{chooser.choice(user_names)}"'}
                else:
                    params = {"startIndex": str(chooser.randrange(1, size)), "count": "100"}
                started = time.perf_counter()
                response = http.get("/Users", params=params)
                elapsed = time.perf_counter() - started
                assert response.status_code == 200, response.text
                found = response.json()
                assert found["totalResults"] == (1 if read == "filter" else size), found
                mine.append(elapsed * 1000)
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client, args=(seed,)) for seed in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def bare_medians(
    engine: Engine, account_id: int, user_names: list[str], size: int
) -> dict[str, float]:
    """The same reads as bare SQL on one raw DB-API connection (statements prepared once)."""
    chooser = random.Random(99)
    found: dict[str, float] = {}
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        pg = engine.dialect.name == "postgresql"
        for read, sql in (("filter", BARE_FILTER), ("page", BARE_PAGE)):
            statement = sql if pg else sql.replace("%(a)s", ":a").replace("%(name)s", ":name")
            statement = statement if pg else statement.replace("%(o)s", ":o")
            times = []
            for _ in range(100):
                params = {
                    "a": account_id,
                    "name": chooser.choice(user_names).lower(),
                    "o": chooser.randrange(0, size),
                }
                started = time.perf_counter()
                cursor.execute(statement, params)
                rows = cursor.fetchall()
                times.append((time.perf_counter() - started) * 1000)
                assert rows, read
            found[read] = statistics.median(times[10:])
        cursor.close()
    finally:
        raw.close()
    return found


def percentiles(times: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return statistics.median(times), cuts[94], cuts[98]


@contextmanager
def _pg_store() -> Iterator[str]:
    from tests.support.databases import fresh_pg_database

    with fresh_pg_database("sbbenchscim") as url:
        yield url


@contextmanager
def _sqlite_store() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{folder}/store.db"


if __name__ == "__main__":
    main()
