"""A second process that holds an environment's sync lease until it is killed (tests only).

    python -m tests.jobs.lease_holder STORE_URL ENVIRONMENT_ID LEASE_SECONDS HEARTBEAT_SECONDS

Prints "held" once the lease is its own, then beats until killed.
"""

from __future__ import annotations

import sys
import time

from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.config import JobSettings
from seatbridge.db.engine import create_store_engine, session_factory
from seatbridge.jobs.lease import EnvironmentLease, holder_name


def main() -> None:
    url, environment_id, lease_seconds, heartbeat_seconds = sys.argv[1:]
    sessions = session_factory(create_store_engine(url))
    jobs = JobSettings(lease_seconds=int(lease_seconds), heartbeat_seconds=float(heartbeat_seconds))
    with EnvironmentLease(
        sessions,
        environment_id=int(environment_id),
        environment_name="held",
        holder=holder_name("test-holder"),
        jobs=jobs,
        clock=SYSTEM_CLOCK,
    ):
        print("held", flush=True)
        time.sleep(600)


if __name__ == "__main__":
    main()
