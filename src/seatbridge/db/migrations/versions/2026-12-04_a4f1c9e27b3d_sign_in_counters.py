"""sign-in: one counter per key, counted before the password is checked

Revision ID: a4f1c9e27b3d
Revises: b7d2f0a4c913
Create Date: 2026-12-04 21:00:00.000000

Counting failures after the argon2 check let concurrent attempts slip past the limit (57 through a
limit of 20, issue 13). Each attempt now takes a row lock on its counters (e-mail and address
pair, e-mail, address) and is counted before the password is verified; past the free attempts,
each further one waits an exponentially growing delay instead of a 15-minute lock-out.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import seatbridge.db.base

revision: str = "a4f1c9e27b3d"
down_revision: str | None = "b7d2f0a4c913"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_counter",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", seatbridge.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", seatbridge.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kind", "key_hash", name=op.f("pk_sign_in_counter")),
    )


def downgrade() -> None:
    op.drop_table("sign_in_counter")
