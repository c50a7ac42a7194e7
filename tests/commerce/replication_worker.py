"""Run one replication in its own process (for the kill-and-resume test), reporting each batch.

Usage: python -m tests.commerce.replication_worker STORE_URL ENVIRONMENT_ID SAGE_URL BATCH_ROWS
[CHILD_MIN_ROWS]  (a number, or "none" to read in this process; the default threshold if absent)
"""

from __future__ import annotations

import sys

from seatbridge.accounts.models import Environment
from seatbridge.commerce.replication import replicate
from seatbridge.db.engine import create_store_engine, session_factory
from seatbridge.sage100.reader import Sage100Reader
from tests.support.factories import clock


def report(entity: str, done: int, _total: int | None) -> None:
    print(entity, done, flush=True)


def main(
    store_url: str, environment_id: str, sage_url: str, batch_rows: str, child: str | None = None
) -> None:
    options = {} if child is None else {"child_min_rows": None if child == "none" else int(child)}
    engine = create_store_engine(store_url)
    sessions = session_factory(engine)
    with sessions() as session:
        environment = session.get(Environment, int(environment_id))
        assert environment is not None
        session.expunge(environment)
    with Sage100Reader(sage_url) as reader:
        replicate(
            sessions,
            environment=environment,
            reader=reader,
            clock=clock(),
            progress=report,
            batch_rows=int(batch_rows),
            **options,
        )
    print("done", 0, flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:6])
