"""Alembic environment: the engine comes from the caller (see seatbridge.db.migrate)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

import seatbridge.models  # noqa: F401  (registers every table on the metadata)
from seatbridge.db.base import metadata

engine: Engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
