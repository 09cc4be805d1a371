"""Store versions committed in the database (replicas sharing PostgreSQL and an object store).

Revision ID: 0007_versions
Revises: 0006_governance
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from metrics.db.base import UTCDateTime

revision = "0007_versions"
down_revision = "0006_governance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "store_versions",
        sa.Column("store", sa.String(1000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("committed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("store", "version", name="pk_store_versions"),
    )


def downgrade() -> None:
    op.drop_table("store_versions")
