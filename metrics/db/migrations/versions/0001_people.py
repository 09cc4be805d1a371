"""Roles (seeded with the five default roles), accounts, their units, and the audit trail.

Revision ID: 0001_people
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from metrics.db.base import UTCDateTime

revision = "0001_people"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    roles = op.create_table(
        "roles",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("label_zh", sa.String(32), nullable=False),
        sa.Column("label_en", sa.String(32), nullable=False),
        sa.Column("permissions", sa.JSON(), nullable=False),
        sa.Column("unit_scoped", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_roles"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(128), nullable=False),
        sa.Column("role", sa.String(32), sa.ForeignKey("roles.name", name="fk_users_role_roles"), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=True),
        sa.Column("email", sa.String(256), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("name", name="uq_users_name"),
    )
    op.create_table(
        "user_units",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_user_units_user_id_users", ondelete="CASCADE"), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_user_units"),
        sa.UniqueConstraint("user_id", "unit_code", name="uq_user_units_user_id"),
    )
    op.create_index("ix_user_units_user_id", "user_units", ["user_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("ip", sa.String(64), nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target_type", sa.String(32), nullable=False),
        sa.Column("target_id", sa.String(128), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    for column in ("at", "actor", "action"):
        op.create_index(f"ix_audit_log_{column}", "audit_log", [column])

    from metrics.access import DEFAULT_ROLES

    op.bulk_insert(roles, [{"name": name, "label_zh": zh, "label_en": en, "permissions": perms, "unit_scoped": scoped}
                           for name, (zh, en, perms, scoped) in DEFAULT_ROLES.items()])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("user_units")
    op.drop_table("users")
    op.drop_table("roles")
