"""The connector's local probe: a pass only when Sage 100 changed, else one heartbeat a minute."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from seatbridge.connector.watch import Next, Watch
from seatbridge.sage100.demo import make_demo_company
from seatbridge.sage100.reader import Sage100Reader


def test_a_pass_only_when_sage_changed_and_a_heartbeat_a_minute(tmp_path: Path) -> None:
    company = tmp_path / "company.db"
    make_demo_company(str(company), collaborators=5, customers=3, documents=3, seed=2)
    now = [1000.0]
    with Sage100Reader(f"sqlite:///{company}") as reader:
        watch = Watch(reader, heartbeat=60, clock=lambda: now[0])
        first = watch.look()
        assert first is not None and watch.next(first) is Next.PUSH  # nothing pushed yet
        watch.pushed(first)
        now[0] += 5
        assert watch.next(watch.look()) is Next.IDLE
        now[0] += 60
        assert watch.next(watch.look()) is Next.HEARTBEAT
        watch.requested()
        assert watch.next(watch.look()) is Next.IDLE
        with sqlite3.connect(company) as connection:  # a rename, stamped as Sage does
            connection.execute(
                "UPDATE F_COLLABORATEUR SET CO_Nom = 'NOUVEAU', "
                "cbModification = '2026-12-04 21:00:00' WHERE CO_No = 1"
            )
        changed = watch.look()
        assert watch.next(changed) is Next.PUSH
        watch.pushed(changed)
        assert watch.next(watch.look()) is Next.IDLE
    watch = Watch(Sage100Reader(f"sqlite:///{tmp_path}/missing.db"))
    assert watch.look() is None and watch.next(None) is Next.PUSH  # the pass reports the failure
