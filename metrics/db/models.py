"""The tables every feature shares: roles, user accounts and their units, and the audit trail.

Feature tables (ledger, tasks, meetings, assessment events …) live in their feature's package and
use the same :class:`metrics.db.base.Base`; their migrations sit in ``metrics/db/migrations``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from metrics.db.base import Base, UTCDateTime, utcnow


class Role(Base):
    """A role is data: its permissions are a list a 管理员 can change without a code change."""

    __tablename__ = "roles"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)        # leader, analyst, reporter …
    label_zh: Mapped[str] = mapped_column(String(32))
    label_en: Mapped[str] = mapped_column(String(32))
    permissions: Mapped[list[str]] = mapped_column(JSON, default=list)
    unit_scoped: Mapped[bool] = mapped_column(Boolean, default=False)       # writes only for bound units


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128), default="")
    role: Mapped[str] = mapped_column(ForeignKey("roles.name"))
    password_hash: Mapped[str | None] = mapped_column(String(256), nullable=True)
    email: Mapped[str | None] = mapped_column(String(256), nullable=True)  # single sign-on identity
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    units: Mapped[list[UserUnit]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class UserUnit(Base):
    """A unit (by catalog code) an account reports for."""

    __tablename__ = "user_units"
    __table_args__ = (UniqueConstraint("user_id", "unit_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_code: Mapped[str] = mapped_column(String(64))


class AuditEntry(Base):
    """One write, append-only: who, when, from where, what, and a before/after summary."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(32))
    ip: Mapped[str | None] = mapped_column(String(64), nullable=True)
    action: Mapped[str] = mapped_column(String(64), index=True)         # e.g. ledger.open, figures.import
    target_type: Mapped[str] = mapped_column(String(32), default="")    # ledger_item, version, user …
    target_id: Mapped[str] = mapped_column(String(128), default="")
    summary: Mapped[dict] = mapped_column(JSON, default=dict)           # {"before": …, "after": …, …}
    reason: Mapped[str] = mapped_column(Text, default="")
