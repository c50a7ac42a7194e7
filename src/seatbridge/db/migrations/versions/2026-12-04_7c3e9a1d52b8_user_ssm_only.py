"""user_account.ssm_only: an admin's explicit choice of a user without a Sage 100 link

Revision ID: 7c3e9a1d52b8
Revises: c3d9e5f1a7b2
Create Date: 2026-12-04 20:30:00.000000

A user created "SSM only" is never linked by e-mail, neither at creation nor by a later sync.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c3e9a1d52b8"
down_revision: str | None = "c3d9e5f1a7b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite takes one with a constant default): a batch copy of the table
    # would drop user_account's expression index on SQLite.
    op.add_column(
        "user_account",
        sa.Column("ssm_only", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("user_account", "ssm_only")
