"""users: whether a SCIM DELETE hid them, on the user row

Revision ID: a4c2e8f19b37
Revises: a4f1c9e27b3d, e1a5c0de1ea5 (also joins their two branches into one head)
Create Date: 2026-12-04 21:05:00.000000

SCIM lists and filters read only user_account before their page is cut, so that their plan does
not depend on table statistics (issue 18): the hidden flag moves beside the userName.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a4c2e8f19b37"
down_revision: str | tuple[str, ...] | None = ("a4f1c9e27b3d", "e1a5c0de1ea5")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite takes it with a constant default): batch mode would reflect the
    # table, which SQLite cannot do for the expression index of 7e3a91c5d2b4.
    op.add_column(
        "user_account",
        sa.Column("scim_hidden", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.execute(
        "UPDATE user_account SET scim_hidden = TRUE WHERE id IN "
        "(SELECT user_id FROM scim_identity WHERE deleted_at IS NOT NULL)"
    )


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("scim_hidden")
