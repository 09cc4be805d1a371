"""Tables of sign-in and site access: login sessions and site settings.

Why a session table and not only a signed cookie: a signed cookie cannot be taken back, and a
logout, a disabled account or a password change must end a session at once.  The cookie carries a
random token; the table holds only its SHA-256, so a copy of the database opens no session.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from metrics.db.base import Base, UTCDateTime, utcnow


class LoginSession(Base):
    """One signed-in browser: created at login, made a cookie once through its handoff code."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    handoff_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    handoff_expires: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    via: Mapped[str] = mapped_column(String(16), default="password")     # password | oidc
    ip: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SiteSetting(Base):
    """A site-wide setting (anonymous reading, session length, lock-out), one JSON value per key."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
