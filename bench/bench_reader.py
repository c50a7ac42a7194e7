"""Sage100Reader against a bare sqlite3 cursor loop, on a demo company of 1,000,000+ lines.

Run with `make bench-reader`. The company is generated once into `.bench-cache/` (git-ignored).
Each read runs in a fresh subprocess so that its peak memory (ru_maxrss) is its own; each is
repeated and the medians are printed. Aims: ours >= 0.5 x the bare loop's rows/s, < 200 MB.
The ratio on CPU time is printed too: it moves less when other work shares the machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / ".bench-cache"
DOCUMENTS = 210_000  # about 5 lines each: a little over a million lines
MIN_LINES = 1_000_000
SEED = 1
# Bump when the demo generator changes, so that the cache is rebuilt.
CACHE_VERSION = 3
COLUMNS = (
    "cbMarq, DO_Domaine, DO_Type, DO_Piece, CT_Num, DL_No, DL_Ligne, AR_Ref, DL_Design, DL_Qte, "
    "DL_PrixUnitaire, DL_MontantHT, CO_No, DO_Date, cbModification"
)
AIM_RATIO = 0.5
AIM_RSS_MB = 200.0


def company() -> Path:
    """The cached demo company, generated on first use (in a subprocess, see `measure`)."""
    path = CACHE / f"bijou-{DOCUMENTS}-seed{SEED}-v{CACHE_VERSION}.db"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        print(f"Generating {path.name} ({DOCUMENTS:,} documents)...", flush=True)
        result = measure("generate", path)
        print(f"  {result['rows']:,} lines in {result['seconds']:.1f} s", flush=True)
    return path


def generate(path: Path) -> int:
    from seatbridge.sage100.demo import make_demo_company

    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    summary = make_demo_company(str(partial), documents=DOCUMENTS, seed=SEED)
    if summary.lines < MIN_LINES:
        raise SystemExit(f"only {summary.lines:,} lines generated; raise DOCUMENTS")
    partial.rename(path)
    return summary.lines


def read_ours(path: Path) -> int:
    from seatbridge.sage100.reader import Sage100Reader

    rows = 0
    with Sage100Reader(str(path)) as reader:
        for _line in reader.read_document_lines():
            rows += 1
    return rows


def read_bare(path: Path) -> int:
    connection = sqlite3.connect(path)
    cursor = connection.cursor()
    rows = 0
    for _row in cursor.execute(f"SELECT {COLUMNS} FROM F_DOCLIGNE"):
        rows += 1
    connection.close()
    return rows


def run_one(mode: str, path: Path) -> None:
    """In the subprocess: time one full read (or the generation) and print the figures as JSON."""
    started, cpu_started = time.perf_counter(), time.process_time()
    work = {"ours": read_ours, "bare": read_bare, "generate": generate}[mode]
    rows = work(path)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"rows": rows, "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb}))


def measure(mode: str, path: Path) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, "--run", mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--run", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_one(args.run[0], Path(args.run[1]))
        return
    path = company()
    figures: dict[str, list[dict[str, Any]]] = {"ours": [], "bare": []}
    for attempt in range(1, args.repeat + 1):
        for mode in ("bare", "ours"):  # alternated, so that both see the same machine load
            result = measure(mode, path)
            figures[mode].append(result)
            print(f"  run {attempt} {mode:4}: {result['rows']:,} rows, "
                  f"{result['rows'] / result['seconds']:,.0f} rows/s, "
                  f"{result['peak_mb']:.0f} MB", flush=True)  # fmt: skip
    counts = {r["rows"] for runs in figures.values() for r in runs}
    if len(counts) != 1:
        raise SystemExit(f"the readers disagree on the row count: {sorted(counts)}")
    report(counts.pop(), args.repeat, figures)


def report(rows: int, repeat: int, figures: dict[str, list[dict[str, Any]]]) -> None:
    def median(mode: str, key: str) -> float:
        return statistics.median(r[key] for r in figures[mode])

    rate = {m: rows / median(m, "seconds") for m in figures}
    cpu_rate = {m: rows / median(m, "cpu") for m in figures}
    peak = {m: median(m, "peak_mb") for m in figures}
    ratio = rate["ours"] / rate["bare"]
    print(f"\nF_DOCLIGNE: {rows:,} rows, medians of {repeat} runs")
    for mode, label in (("ours", "Sage100Reader"), ("bare", "bare sqlite3 ")):
        print(f"  {label}: {rate[mode]:>10,.0f} rows/s (CPU time: {cpu_rate[mode]:>10,.0f})   "
              f"peak RSS {peak[mode]:5.0f} MB")  # fmt: skip
    verdict = "ok" if ratio >= AIM_RATIO else "below the aim"
    print(f"  ratio ours / bare: {ratio:.2f} (aim >= {AIM_RATIO}: {verdict}); "
          f"on CPU time: {cpu_rate['ours'] / cpu_rate['bare']:.2f}")  # fmt: skip
    memory = "ok" if peak["ours"] < AIM_RSS_MB else "above the aim"
    print(f"  reader peak RSS: {peak['ours']:.0f} MB (aim < {AIM_RSS_MB:.0f} MB: {memory})")


if __name__ == "__main__":
    main()
