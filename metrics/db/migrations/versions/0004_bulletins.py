"""Issued bulletins: 期号 per year, period, scope and the store version they were written from.

Revision ID: 0004_bulletins
Revises: 0003_assessment_events
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from metrics.db.base import UTCDateTime

revision = "0004_bulletins"
down_revision = "0003_assessment_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bulletins",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("scope", sa.String(96), nullable=False),
        sa.Column("scope_label", sa.String(128), nullable=False),
        sa.Column("store_version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(256), nullable=False),
        sa.Column("issued_by", sa.String(64), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_bulletins"),
        sa.UniqueConstraint("year", "number", name="uq_bulletins_year"),
        sa.UniqueConstraint("period", "scope", name="uq_bulletins_period"),
    )


def downgrade() -> None:
    op.drop_table("bulletins")
