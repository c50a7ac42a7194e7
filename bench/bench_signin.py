"""make bench-signin: 200 concurrent sign-ins for 30 s against one served process on PostgreSQL.

A real `seatbridge serve` process (uvicorn, production argon2 cost: 64 MiB, t=3) on a fresh
PostgreSQL store. 200 clients, each with its own cookies and CSRF token, post a wrong password
for one e-mail that has no account, from the same address, without pause, honouring no
Retry-After (an attacker's loop). Meanwhile a separate process reads `GET /api/v1/licence` with an
API key, one request after the other, as an integration would.

Prints: the server's peak RSS (VmHWM, target < 500 MiB), the p50/p95 of `/api/v1/licence` alone
(baseline) and during the burst (target p95 < 1 s) with their ratio, the sign-in answers by status,
and how many wrong passwords were verified: the free attempts (SEATBRIDGE_AUTH__MAX_FAILURES_PER_
EMAIL, 5) at once, then one after each exponential delay (1, 2, 4, 8 s … after the 5th).

    make bench-signin                  # 200 clients, 30 s
    .venv/bin/python bench/bench_signin.py --clients 50 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.databases import fresh_pg_database  # noqa: E402

from seatbridge.accounts import service as accounts  # noqa: E402
from seatbridge.apikeys import service as apikeys  # noqa: E402
from seatbridge.clock import SYSTEM_CLOCK  # noqa: E402
from seatbridge.db.engine import create_store_engine, session_factory  # noqa: E402
from seatbridge.db.migrate import upgrade  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
EMAIL = "nobody@bench.example"
SEATBRIDGE = str(Path(sys.executable).with_name("seatbridge"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--baseline-seconds", type=float, default=10.0)
    parser.add_argument("--load", help=argparse.SUPPRESS)  # internal: the load generator
    options = parser.parse_args()
    if options.load:
        print(json.dumps(asyncio.run(burst(options.load, options.clients, options.seconds))))
        return
    with fresh_pg_database("sbsignin") as store:
        token = prepare(store)
        port = free_port()
        server = serve(store, port)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base)
            idle_rss = rss(server.pid)["VmRSS"]
            baseline = probe(base, token, options.baseline_seconds)
            load = subprocess.Popen(
                [sys.executable, __file__, "--load", base, "--clients", str(options.clients),
                 "--seconds", str(options.seconds)],
                stdout=subprocess.PIPE,
            )  # fmt: skip
            assert load.stdout is not None
            if load.stdout.readline().strip() != b"ready":
                raise SystemExit("the load generator did not start")
            during = probe(base, token, options.seconds)
            out, _ = load.communicate(timeout=options.seconds + 120)
            answers = json.loads(out)
            memory = rss(server.pid)
        finally:
            server.terminate()
            server.wait(30)
        verified = verified_attempts(store)
    report(options, idle_rss, memory, baseline, during, answers, verified)


def prepare(store: str) -> str:
    engine = create_store_engine(store)
    upgrade(engine)
    with session_factory(engine).begin() as session:
        account = accounts.create_account(session, name="Bench SA", actor="bench")
        token = apikeys.create_key(
            session,
            account_id=account.id,
            name="bench",
            scope="read",
            actor="bench",
            clock=SYSTEM_CLOCK,
        ).token
    engine.dispose()
    return token


def serve(store: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SEATBRIDGE_DATABASE_URL": store,
        "SEATBRIDGE_SECRET_KEY": secrets.token_urlsafe(32),
        "SEATBRIDGE_LOG_FORMAT": "json",
    }
    return subprocess.Popen(
        [SEATBRIDGE, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_until_up(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start")


def probe(base: str, token: str, seconds: float) -> list[float]:
    """Latencies of GET /api/v1/licence, one request after the other, for `seconds`."""
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            started = time.perf_counter()
            response = client.get("/api/v1/licence")
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"/api/v1/licence answered {response.status_code}")
    return latencies


async def burst(base: str, clients: int, seconds: float) -> dict[str, object]:
    """`clients` attackers posting wrong passwords in a loop; answers counted by status."""
    statuses: Counter[str] = Counter()
    retry_after: Counter[str] = Counter()
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    attackers = [
        httpx.AsyncClient(base_url=base, timeout=120, limits=limits) for _ in range(clients)
    ]
    forms = []
    for client in attackers:  # each gets its CSRF cookie and token before the clock starts
        page = await client.get("/auth/sign-in")
        found = CSRF.search(page.text)
        if found is None:
            raise SystemExit("no CSRF token on the sign-in page")
        forms.append({"csrf_token": found.group(1), "email": EMAIL, "password": "wrong-password-1"})
    print("ready", flush=True)  # the prober starts measuring now
    end = time.monotonic() + seconds

    async def attacker(client: httpx.AsyncClient, form: dict[str, str]) -> None:
        try:
            while time.monotonic() < end:
                started = time.perf_counter()
                try:
                    response = await client.post("/auth/sign-in", data=form)
                except httpx.HTTPError as error:
                    statuses[type(error).__name__] += 1
                    continue
                latencies.append(time.perf_counter() - started)
                statuses[str(response.status_code)] += 1
                if "retry-after" in response.headers:
                    retry_after[f"{response.status_code}:{response.headers['retry-after']}"] += 1
        finally:
            await client.aclose()

    await asyncio.gather(*(attacker(c, f) for c, f in zip(attackers, forms, strict=True)))
    return {
        "statuses": dict(statuses),
        "retry_after": dict(retry_after),
        "p50": statistics.median(latencies) if latencies else 0.0,
        "p95": percentile(latencies, 0.95) if latencies else 0.0,
    }


def verified_attempts(store: str) -> int:
    """Attempts counted on the e-mail (each of them verified one password)."""
    from sqlalchemy import select

    from seatbridge.auth.models import SignInCounter
    from seatbridge.auth.throttle import CounterKind, key_hash

    engine = create_store_engine(store)
    with session_factory(engine)() as session:
        attempts = session.scalar(
            select(SignInCounter.attempts).where(
                SignInCounter.kind == CounterKind.EMAIL.value,
                SignInCounter.key_hash == key_hash(EMAIL),
            )
        )
    engine.dispose()
    return attempts or 0


def expected_verified(seconds: float, free: int = 5, base: float = 1.0) -> int:
    """Free attempts at once, then one each time the doubling delay expires within `seconds`."""
    count, at, delay = free, 0.0, base
    while at + delay <= seconds:
        at += delay
        count += 1
        delay *= 2
    return count


def rss(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in MiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) // 1024
    return values


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(
    options: argparse.Namespace,
    idle_rss: int,
    memory: dict[str, int],
    baseline: list[float],
    during: list[float],
    answers: dict[str, object],
    verified: int,
) -> None:
    load = os.getloadavg()
    statuses = answers["statuses"]
    assert isinstance(statuses, dict)
    print(f"bench-signin: {options.clients} clients x {options.seconds:g} s, one server process")
    print(f"  machine: {os.cpu_count()} CPUs, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"  server RSS: idle {idle_rss} MiB, peak (VmHWM) {memory['VmHWM']} MiB (target < 500)")
    base50, base95 = statistics.median(baseline), percentile(baseline, 0.95)
    burst50, burst95 = statistics.median(during), percentile(during, 0.95)
    print(
        f"  GET /api/v1/licence baseline: {len(baseline)} requests, p50 {base50 * 1000:.1f} ms, "
        f"p95 {base95 * 1000:.1f} ms"
    )
    print(
        f"  GET /api/v1/licence in burst: {len(during)} requests, p50 {burst50 * 1000:.1f} ms, "
        f"p95 {burst95 * 1000:.1f} ms (target < 1000), ratio p95 {burst95 / base95:.1f}x"
    )
    total = sum(int(v) for v in statuses.values())
    by_status = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
    print(
        f"  sign-in answers: {total} ({by_status}); p50 {float(answers['p50']) * 1000:.0f} ms, "  # type: ignore[arg-type]
        f"p95 {float(answers['p95']) * 1000:.0f} ms"  # type: ignore[arg-type]
    )
    print(f"  Retry-After given: {answers['retry_after']}")
    print(
        f"  wrong passwords verified: {verified} (5 free at once, then one per expired delay: "
        f"at most {expected_verified(options.seconds)} in {options.seconds:g} s)"
    )


def free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return int(probe_socket.getsockname()[1])


if __name__ == "__main__":
    threading.excepthook = lambda args: None
    main()
