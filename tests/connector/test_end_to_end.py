"""The issue's "done when": `seatbridge serve` and `seatbridge connector run` as real processes.

A generated Sage 100 company is pushed in full, changed with plain SQL (updates that move
cbModification, inserts, deletes) and pushed as a delta; then changed again and pushed in full
by a connector that is killed (SIGKILL) in the middle and restarted. After each push the
server's collaborator mirror and commerce copies equal, row by row, what the reader reads from
the Sage tables: nothing lost, nothing twice.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from operator import itemgetter
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts import service as accounts
from seatbridge.accounts.models import SourceMode
from seatbridge.apikeys import service as apikeys
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.commerce.rows import SPECS, Copied, RowConverter
from seatbridge.db.engine import create_store_engine, session_factory
from seatbridge.db.migrate import upgrade
from seatbridge.sage100.demo import make_demo_company
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sage100.records import Entity
from seatbridge.sync.source import to_record
from tests.connector.conftest import free_port
from tests.ingest.sage_changes import LATER, change_sage
from tests.support.factories import make_account

SEATBRIDGE = str(Path(sys.executable).with_name("seatbridge"))
CONNECTOR = [SEATBRIDGE, "connector", "run"]

pytestmark = pytest.mark.slow


class Site:
    """The server process, its store, the Sage company and the connector's settings."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.sage = tmp_path / "sage" / "BIJOU.db"
        make_demo_company(f"sqlite:///{self.sage}", collaborators=60, customers=300,
                          documents=1000, seed=21)  # fmt: skip
        self.store = tmp_path / "store.db"
        engine = create_store_engine(f"sqlite:///{self.store}")
        upgrade(engine)
        self.sessions: sessionmaker[Session] = session_factory(engine)
        with self.sessions.begin() as session:
            account = make_account(session)
            environment = accounts.add_environment(
                session, account_id=account.id, name="BIJOU", actor="test",
                mode=SourceMode.CONNECTOR,
            )  # fmt: skip
            self.token = apikeys.create_key(session, account_id=account.id, name="BIJOU site",
                                            scope=f"connector:{environment.id}", actor="test",
                                            clock=SYSTEM_CLOCK).token  # fmt: skip
            self.account_id, self.environment_id = account.id, environment.id
        self.url = f"http://127.0.0.1:{free_port()}"
        self.env = os.environ | {
            "SEATBRIDGE_DATABASE_URL": f"sqlite:///{self.store}",
            "SEATBRIDGE_DATA_DIR": str(tmp_path),
            "SEATBRIDGE_SECRET_KEY": secrets.token_urlsafe(32),
            "SEATBRIDGE_CONNECTOR_KEY": self.token,  # not on the command line (ps shows it)
        }
        self.state = tmp_path / "connector" / "state.json"

    def serve(self) -> subprocess.Popen[bytes]:
        port = self.url.rsplit(":", 1)[1]
        process = subprocess.Popen(
            [SEATBRIDGE, "serve", "--port", port],
            env=self.env,
            stdout=(self.tmp / "server.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{self.url}/api/v1/openapi.json", timeout=1).is_success:
                    return process
            except httpx.TransportError:
                pass
            assert process.poll() is None, (self.tmp / "server.log").read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)

    def connector_command(self, *options: str) -> list[str]:
        return [*CONNECTOR, "--sage-url", f"sqlite:///{self.sage}", "--server", self.url,
                "--state", str(self.state), "--json", *options]  # fmt: skip

    def push(self, *options: str) -> dict[str, Any]:
        done = subprocess.run(self.connector_command("--once", *options), env=self.env,
                              capture_output=True, timeout=120, check=False)  # fmt: skip
        output = done.stdout.decode() + done.stderr.decode()
        assert done.returncode == 0, output
        assert self.token not in output and "sbk_" not in output
        report: dict[str, Any] = json.loads(done.stdout)
        return report

    def staged_in_open_runs(self) -> int:
        with sqlite3.connect(self.store) as db:
            (count,) = db.execute(
                "SELECT COUNT(*) FROM ingest_batch b JOIN ingest_run r ON r.id = b.run_id "
                "WHERE r.status = 'open'"
            ).fetchone()
        return int(count)

    def assert_identical(self, *, lines_still_copied: int = 0) -> None:
        """The mirror and the copies hold exactly what the reader reads from Sage 100."""
        with Sage100Reader(f"sqlite:///{self.sage}") as reader:
            sage = {entity: list(reader.read(entity)) for entity in Entity}
        with self.sessions() as session:
            self._collaborators(session, sage[Entity.COLLABORATORS])
            converter = RowConverter(
                account_id=self.account_id, environment_id=self.environment_id, dialect="sqlite"
            )
            for copied in Copied:
                spec = SPECS[copied]
                expected = Counter(
                    {itemgetter(*map(spec.columns.index, spec.conflict))(row): row
                     for row in converter.convert(copied, sage[copied.source])}.values()
                )  # fmt: skip
                actual = Counter(
                    tuple(row) for row in session.execute(text(
                        f"SELECT {', '.join(spec.columns)} FROM {spec.table} "
                        "WHERE account_id = :a AND environment_id = :e"),
                        {"a": self.account_id, "e": self.environment_id})
                )  # fmt: skip
                assert max(actual.values()) == 1  # no row twice
                if copied is Copied.DOCUMENT_LINES and lines_still_copied:
                    # Line deletions wait for the next full read (docs/connector.md).
                    assert not expected - actual
                    assert (actual - expected).total() == lines_still_copied
                else:
                    assert actual == expected, (copied, expected - actual, actual - expected)

    def _collaborators(self, session: Session, rows: list[Any]) -> None:
        """The mirror keeps what the sync engine keeps of a row (not its cbModification)."""
        sage = {
            (r.co_no, r.cb_marq, r.last_name, r.first_name, r.function, r.phone, r.mobile,
             r.email, r.is_salesperson, r.dormant)
            for r in map(to_record, rows)
        }  # fmt: skip
        mirror = session.execute(
            text(
                "SELECT co_no, cb_marq, last_name, first_name, function, phone, mobile, email, "
                "is_salesperson, dormant, deleted_at FROM collaborator "
                "WHERE account_id = :a AND environment_id = :e"
            ),
            {"a": self.account_id, "e": self.environment_id},
        ).all()
        present = {
            (*row[:8], bool(row[8]), None if row[9] is None else bool(row[9]))
            for row in mirror
            if row[10] is None
        }
        assert present == sage
        gone = {row[0] for row in mirror if row[10] is not None}
        assert gone == {row[0] for row in mirror} - {key[0] for key in sage}


def change_again(sage: Path) -> None:
    """Second round: a collaborator and a document line deleted, a customer changed."""
    stamp = LATER.replace(day=6).isoformat(" ", "microseconds")
    with sqlite3.connect(sage) as db:
        db.execute("DELETE FROM F_COLLABORATEUR WHERE CO_No = (SELECT MAX(CO_No) - 1 "
                   "FROM F_COLLABORATEUR)")  # fmt: skip
        db.execute("DELETE FROM F_DOCLIGNE WHERE cbMarq = (SELECT MIN(cbMarq) FROM F_DOCLIGNE)")
        db.execute(
            "UPDATE F_COMPTET SET CT_Telephone = '0499999999', cbModification = ? "
            "WHERE cbMarq = (SELECT MAX(cbMarq) FROM F_COMPTET WHERE CT_Type = 0)",
            (stamp,),
        )


def test_the_connector_keeps_the_server_identical_to_sage(tmp_path: Path) -> None:
    started = time.monotonic()
    site = Site(tmp_path)
    server = site.serve()
    try:
        first = site.push()
        assert all(entity["full"] for entity in first["entities"].values())
        assert first["entities"]["document_lines"]["rows"] > 3000
        site.assert_identical()

        done = change_sage(site.sage)
        delta = site.push()
        assert not any(entity["full"] for entity in delta["entities"].values())
        assert delta["entities"]["document_lines"]["rows"] < 50
        assert delta["outcome"]["customers"]["deleted"] == 1
        site.assert_identical(lines_still_copied=done["deleted_lines"])

        change_again(site.sage)
        killed = subprocess.Popen(site.connector_command("--once", "--full", "--batch-rows", "25"),
                                  env=site.env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 30
        while site.staged_in_open_runs() < 20:
            assert killed.poll() is None, "the connector ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        killed.send_signal(signal.SIGKILL)
        killed.wait(10)
        saved = json.loads(site.state.read_text())
        assert saved["open_run"] is not None and saved["open_run"]["batch_rows"] == 25

        resumed = site.push()
        assert resumed["resumed"] and resumed["run_id"] == saved["open_run"]["run_id"]
        sent = sum(entity["sent"] for entity in resumed["entities"].values())
        batches = sum(entity["batches"] for entity in resumed["entities"].values())
        assert 20 <= batches - sent < batches  # what the killed one sent is not sent again
        assert all(entity["full"] for entity in resumed["entities"].values())
        assert resumed["outcome"]["document_lines"]["deleted"] == done["deleted_lines"] + 1
        site.assert_identical()
        assert json.loads(site.state.read_text())["open_run"] is None
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
    assert time.monotonic() - started < 60
