"""users: one normalised SCIM userName, indexed with the e-mail it falls back to

Revision ID: 7e3a91c5d2b4
Revises: 5b1e7c2a9f40
Create Date: 2026-12-04 20:20:00.000000

`filter=userName eq "..."` ORed a condition on scim_identity with one on user_account across an
outer join, which no index serves (issue 18). The normalised userName now also lives on the user
row (NULL = never named by SCIM: the e-mail is the userName) and one expression index,
coalesce(scim_user_name, email_normalized), answers the filter directly.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7e3a91c5d2b4"
down_revision: str | None = "5b1e7c2a9f40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scim_user_name", sa.String(length=320), nullable=True))
    op.execute(
        "UPDATE user_account SET scim_user_name = (SELECT scim_identity.user_name_normalized "
        "FROM scim_identity WHERE scim_identity.user_id = user_account.id)"
    )
    op.create_index(
        "ix_user_account_scim_user_name",
        "user_account",
        ["account_id", sa.text("coalesce(scim_user_name, email_normalized)")],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_user_account_scim_user_name", table_name="user_account")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("scim_user_name")
