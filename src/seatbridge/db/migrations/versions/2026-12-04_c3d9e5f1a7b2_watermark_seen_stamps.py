"""sync_watermark.seen: the rows the last delta saw at settled stamps (bulk stamps not re-read)

Revision ID: c3d9e5f1a7b2
Revises: f2b6d1e8c3a4
Create Date: 2026-12-04 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3d9e5f1a7b2"
down_revision: str | None = "f2b6d1e8c3a4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_watermark", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seen", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_watermark", schema=None) as batch_op:
        batch_op.drop_column("seen")
