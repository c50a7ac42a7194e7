"""environment waits for its first sync (an environment the wizard connected is not scheduled
until its admin starts the first sync)

Revision ID: b7d2f0a4c913
Revises: 7e3a91c5d2b4
Create Date: 2026-12-04 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7d2f0a4c913"
down_revision: str | None = "7e3a91c5d2b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("environment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "awaiting_first_sync", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("environment", schema=None) as batch_op:
        batch_op.drop_column("awaiting_first_sync")
