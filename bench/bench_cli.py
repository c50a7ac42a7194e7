"""make bench-cli: CPU time of `seatbridge` commands beside a bare `python -c pass` (issue 18).

Each command runs as its own process, as a person or a script runs it; the figure is the CPU time
(user + system) the child used, from `resource.getrusage(RUSAGE_CHILDREN)`, median of several runs,
interleaved with the bare interpreter so that both see the same machine load. The target: under
0.3 s of CPU for `--help` and the commands that do not need the store. A no-change `sync` of a
small generated company is shown too, beside `import sqlalchemy.orm` (the floor of any command
that opens the store), and `-X importtime`'s heaviest modules of `seatbridge --help` are listed.

    python bench/bench_cli.py [--runs 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BIN = Path(sys.executable).parent
SEATBRIDGE = str(BIN / "seatbridge")
TARGET_SECONDS = 0.3


def cpu_of(argv: list[str], env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(argv, env=env, capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0,):
        raise SystemExit(f"{argv} exited {result.returncode}: {result.stderr.decode()[-800:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def prepare(folder: Path, env: dict[str, str]) -> str:
    """A migrated store with an account, its code and a synced 40-collaborator company."""
    from seatbridge.licensing import generate_signing_key, issue_code

    key = generate_signing_key("bench-cli")
    (folder / "vendor.pub").write_text(key.public_key_line() + "\n")
    code = issue_code(
        key,
        customer="Bijou SA",
        edition="advanced",
        seats=100,
        max_environments=2,
        issued_on=dt.date.today(),
        expires_on=dt.date.today() + dt.timedelta(days=365),
    )
    sage = folder / "bijou.db"
    steps = [
        ["db", "upgrade"],
        ["sage100", "make-demo", str(sage), "--customers", "20", "--documents", "20"],
        ["account", "create", "Bijou SA"],
        ["account", "activate", "bijou-sa", code],
        ["env", "add", "bijou-sa", "BIJOU", "--sage-url", f"sqlite:///{sage}"],
        ["sync", "bijou-sa/BIJOU"],
    ]
    for step in steps:
        subprocess.run([SEATBRIDGE, *step], env=env, capture_output=True, check=True)
    return code


def heaviest_imports(env: dict[str, str], count: int = 8) -> list[tuple[int, str]]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "seatbridge.cli.main", "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip() for part in line.split("|"))
        if not name.startswith(" "):  # top-level imports only
            rows.append((int(cumulative), name.strip()))
    return sorted(rows, reverse=True)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        folder = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SEATBRIDGE_")} | {
            "SEATBRIDGE_DATA_DIR": str(folder),
            "SEATBRIDGE_DATABASE_URL": f"sqlite:///{folder / 'store.db'}",
            "SEATBRIDGE_DIRECT_SOURCES": str(folder),
            "SEATBRIDGE_LICENSE_PUBLIC_KEYS_FILE": str(folder / "vendor.pub"),
        }
        code = prepare(folder, env)
        bare = [sys.executable, "-c", "pass"]
        cases: list[tuple[str, list[str], bool]] = [
            ("seatbridge --help", [SEATBRIDGE, "--help"], True),
            ("seatbridge license --help", [SEATBRIDGE, "license", "--help"], True),
            ("seatbridge sync --help", [SEATBRIDGE, "sync", "--help"], True),
            ("seatbridge license inspect CODE", [SEATBRIDGE, "license", "inspect", code], True),
            ("seatbridge account show (store)", [SEATBRIDGE, "account", "show", "bijou-sa"], False),
            ("seatbridge sync, no change", [SEATBRIDGE, "sync", "bijou-sa/BIJOU"], False),
            (
                "python -c 'import sqlalchemy.orm'",
                [sys.executable, "-c", "import sqlalchemy.orm"],
                False,
            ),
        ]
        bare_times: list[float] = []
        times: dict[str, list[float]] = {name: [] for name, _, _ in cases}
        for _ in range(runs):  # interleaved: bare, then each case, run after run
            for name, argv, _ in cases:
                bare_times.append(cpu_of(bare, env))
                times[name].append(cpu_of(argv, env))
        baseline = statistics.median(bare_times)
        load = os.getloadavg()
        print(f"CPU seconds, median of {runs} runs; load average {load[0]:.2f} {load[1]:.2f}")
        print(f"{'command':<40}{'cpu s':>8}{'x bare':>9}{'- bare':>9}  target")
        print(f"{'python -c pass (bare)':<40}{baseline:>8.3f}{1:>9.1f}{0:>9.3f}")
        for name, _, light in cases:
            median = statistics.median(times[name])
            ratio = median / baseline if baseline else float("inf")
            verdict = ("ok" if median < TARGET_SECONDS else "OVER") if light else "(store)"
            print(f"{name:<40}{median:>8.3f}{ratio:>9.1f}{median - baseline:>9.3f}  {verdict}")
        print("\nheaviest top-level imports of `seatbridge --help` (cumulative µs):")
        for micros, name in heaviest_imports(env):
            print(f"  {micros:>9,}  {name}")


if __name__ == "__main__":
    main()
