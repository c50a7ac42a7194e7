"""environment change probe: cadence, last look, fingerprint, in step since

Revision ID: f2b6d1e0c7a8
Revises: a4c2e8f19b37
Create Date: 2026-12-04 21:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import seatbridge.db.base

revision: str = "f2b6d1e0c7a8"
down_revision: str | None = "a4c2e8f19b37"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, seatbridge.db.base.UTCDateTime(timezone=True), nullable=True)


def upgrade() -> None:
    with op.batch_alter_table("environment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("probe_seconds", sa.Integer(), nullable=False, server_default="5")
        )
        batch_op.add_column(_moment("next_probe_at"))
        batch_op.add_column(_moment("probed_at"))
        batch_op.add_column(sa.Column("probe_status", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("probe_error", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("probe_failures", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("probe_token", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("probe_fingerprint", sa.JSON(), nullable=True))
        batch_op.add_column(_moment("probe_changed_at"))
        batch_op.add_column(_moment("in_step_at"))
        batch_op.create_check_constraint(
            op.f("ck_environment_probe_at_least_a_second"), "probe_seconds >= 1"
        )


def downgrade() -> None:
    with op.batch_alter_table("environment", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_environment_probe_at_least_a_second"), type_="check")
        for name in (
            "in_step_at",
            "probe_changed_at",
            "probe_fingerprint",
            "probe_token",
            "probe_failures",
            "probe_error",
            "probe_status",
            "probed_at",
            "next_probe_at",
            "probe_seconds",
        ):
            batch_op.drop_column(name)
