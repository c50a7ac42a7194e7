"""sync_run: the rows a run set aside or cleaned (row-level isolation)

Revision ID: e1a5c0d7b2f3
Revises: f2b6d1e0c7a8
Create Date: 2026-12-04 20:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1a5c0d7b2f3"
down_revision: str | None = "f2b6d1e0c7a8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rows_report", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_run", schema=None) as batch_op:
        batch_op.drop_column("rows_report")
