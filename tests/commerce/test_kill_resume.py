"""A replication killed mid-way (SIGKILL) leaves whole batches, and the next run completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.sage100.demo import make_demo_company
from seatbridge.sync.models import SyncWatermark
from tests.commerce.helpers import make_company
from tests.commerce.sage import SageFile

ROOT = Path(__file__).resolve().parents[2]
BATCH_ROWS = 500


@pytest.fixture(scope="session")
def large_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 40,000 lines: a few seconds of replication in batches of 500."""
    path = tmp_path_factory.mktemp("commerce-large") / "large.db"
    make_demo_company(
        str(path), company="LARGE", collaborators=30, customers=800, documents=8_000, seed=11
    )
    return path


def run_until_killed(
    store_url: str, environment_id: int, sage: SageFile, kill_at: int, child: str, mark: str
) -> int:
    """Start the replication in a subprocess and SIGKILL it once `kill_at` lines are read."""
    command = [
        sys.executable,
        "-m",
        "tests.commerce.replication_worker",
        store_url,
        str(environment_id),
        sage.url,
        str(BATCH_ROWS),
        child,
    ]
    environment = {**os.environ, "SEATBRIDGE_TEST_MARK": mark}  # inherited by its children
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=environment
    )
    assert process.stdout is not None
    read = 0
    for line in process.stdout:
        entity, done = line.split()
        assert entity != "done", "the replication ended before it could be killed"
        if entity == "document_lines" and int(done) >= kill_at:
            os.kill(process.pid, signal.SIGKILL)
            read = int(done)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    return read


def descendants(mark: str) -> list[int]:
    """The pids of the live processes started under `mark` (the worker and its children)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"SEATBRIDGE_TEST_MARK={mark}".encode() in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:
            continue  # gone meanwhile
    return found


@pytest.mark.parametrize("child", ["none", "0"], ids=["read-here", "read-by-a-child"])
def test_killed_replication_is_consistent_and_resumes(
    engine: Engine,
    sessions: sessionmaker[Session],
    large_template: Path,
    tmp_path: Path,
    child: str,
) -> None:
    sage = SageFile(tmp_path / "large.db")
    sage.path.write_bytes(large_template.read_bytes())
    company = make_company(sessions, {"A": sage})
    expected = company.expected()
    store_url = engine.url.render_as_string(hide_password=False)

    mark = uuid.uuid4().hex
    environment_id = company.environments["A"].id
    run_until_killed(store_url, environment_id, sage, len(expected[2]) // 3, child, mark)
    # A reading child whose parent was killed stops at its next write (a broken pipe).
    deadline = time.monotonic() + 30
    while descendants(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not descendants(mark)

    customers, headers, lines = company.copied()
    assert (customers, headers) == expected[:2]  # finished before the kill
    assert 0 < len(lines) < len(expected[2])
    assert all(expected[2][marq] == row for marq, row in lines.items())  # no half row
    assert len(lines) % BATCH_ROWS == 0  # whole batches only
    with sessions() as session:
        marks = set(session.scalars(select(SyncWatermark.entity)))
    assert marks == {"customers", "document_headers"}  # lines not complete: no watermark

    outcome = company.replicate()

    assert outcome.entity("document_lines").full
    assert outcome.entity("document_lines").upserted == len(expected[2]) - len(lines)
    assert company.copied() == expected
    assert company.replicate().entity("document_lines").upserted == 0
