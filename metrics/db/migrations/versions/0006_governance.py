"""Period locks (the current locks; lock and unlock are audit rows).

Revision ID: 0006_governance
Revises: 0005_supervision
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from metrics.db.base import UTCDateTime

revision = "0006_governance"
down_revision = "0005_supervision"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "period_locks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("locked_by", sa.String(64), nullable=False),
        sa.Column("locked_at", UTCDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_period_locks"),
        sa.UniqueConstraint("period", name="uq_period_locks_period"),
    )
    op.create_index("ix_period_locks_end_date", "period_locks", ["end_date"])


def downgrade() -> None:
    op.drop_index("ix_period_locks_end_date", table_name="period_locks")
    op.drop_table("period_locks")
