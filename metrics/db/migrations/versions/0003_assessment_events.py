"""加扣分事项 (assessment events): the event and its append-only revisions.

Revision ID: 0003_assessment_events
Revises: 0002_signin
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from metrics.db.base import UTCDateTime

revision = "0003_assessment_events"
down_revision = "0002_signin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessment_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("active_key", sa.String(64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_assessment_events"),
        sa.UniqueConstraint("active_key", name="uq_assessment_events_active_key"),
    )
    op.create_index("ix_assessment_events_unit_code", "assessment_events", ["unit_code"])
    op.create_index("ix_assessment_events_year", "assessment_events", ["year"])
    op.create_table(
        "assessment_event_revisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Integer(),
                  sa.ForeignKey("assessment_events.id", name="fk_assessment_event_revisions_event_id_assessment_events"),
                  nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("points", sa.Float(), nullable=True),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source_file", sa.String(255), nullable=False),
        sa.Column("source_sheet", sa.String(128), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_assessment_event_revisions"),
        sa.UniqueConstraint("event_id", "seq", name="uq_assessment_event_revisions_event_id"),
    )
    op.create_index("ix_assessment_event_revisions_event_id", "assessment_event_revisions", ["event_id"])
    op.create_index("ix_assessment_event_revisions_at", "assessment_event_revisions", ["at"])


def downgrade() -> None:
    op.drop_table("assessment_event_revisions")
    op.drop_table("assessment_events")
