"""commerce: header totals computed from the lines when Sage has none; each entity's last
row report on its watermark

Revision ID: f2b6d1e8c3a4
Revises: e1a5c0d7b2f3
Create Date: 2026-12-04 20:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import seatbridge.db.money

revision: str = "f2b6d1e8c3a4"
down_revision: str | None = "e1a5c0d7b2f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_watermark", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rows_report", sa.JSON(), nullable=True))
    with op.batch_alter_table("commerce_document", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("totals_from_lines", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("commerce_document_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("amount_ttc", seatbridge.db.money.Money(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("commerce_document_line", schema=None) as batch_op:
        batch_op.drop_column("amount_ttc")
    with op.batch_alter_table("commerce_document", schema=None) as batch_op:
        batch_op.drop_column("totals_from_lines")
    with op.batch_alter_table("sync_watermark", schema=None) as batch_op:
        batch_op.drop_column("rows_report")
