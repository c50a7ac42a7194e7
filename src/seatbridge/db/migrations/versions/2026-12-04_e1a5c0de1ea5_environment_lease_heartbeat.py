"""environment lease heartbeat: since, last beat and progress of the holder

Revision ID: e1a5c0de1ea5
Revises: b7d2f0a4c913
Create Date: 2026-12-04 20:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import seatbridge.db.base

revision: str = "e1a5c0de1ea5"
down_revision: str | None = "b7d2f0a4c913"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("environment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "sync_lease_since", seatbridge.db.base.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column(
                "sync_lease_beat_at", seatbridge.db.base.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(sa.Column("sync_progress", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("environment", schema=None) as batch_op:
        batch_op.drop_column("sync_progress")
        batch_op.drop_column("sync_lease_beat_at")
        batch_op.drop_column("sync_lease_since")
