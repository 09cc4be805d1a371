"""Sign-in sessions that survive a page reload: a row per signed-in browser, a signed cookie per row.

How a sign-in becomes a cookie: Streamlit's script cannot set a cookie, so a successful sign-in
opens a session row with a one-time *handoff* code (valid two minutes); the page posts that code to
``/account/session`` (``ui/web.py``, served beside the app), which issues a fresh random token, stores
its SHA-256, and answers with an HttpOnly, SameSite=Strict cookie holding the token signed with the
site's key and a timestamp (itsdangerous).  On a reload the browser sends the cookie with the
websocket handshake; :func:`actor_for_cookie` checks signature, age, the row (not revoked, not
expired) and the account (not disabled) before it names anyone.  Logout and account changes revoke
rows, so a copied cookie dies with them.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, TimestampSigner
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from metrics import site
from metrics.access import Actor
from metrics.access_models import LoginSession
from metrics.accounts import actor_of
from metrics.db.base import utcnow
from metrics.db.engine import session_scope
from metrics.db.models import User

COOKIE_NAME = "yjx_session"
HANDOFF_SECONDS = 120
MAX_COOKIE_LENGTH = 512   # a longer cookie is not ours: refused before any work
_SALT = "yjx-session"


@dataclass(frozen=True)
class Opened:
    """A new session: its row id (kept in the server's memory for this browser tab) and the one-time
    code the browser trades for the cookie."""

    id: int
    handoff: str
    expires_at: datetime


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _signer(db_url: str) -> TimestampSigner:
    return TimestampSigner(site.cookie_secret(db_url), salt=_SALT)


def open_session(session: Session, user: User, *, ip: str | None, via: str, hours: int) -> Opened:
    """Add a session row for ``user`` inside the caller's transaction."""
    code = secrets.token_urlsafe(32)
    now = utcnow()
    row = LoginSession(user_id=user.id, handoff_hash=_digest(code), handoff_expires=now + timedelta(seconds=HANDOFF_SECONDS),
                       via=via, ip=ip, created_at=now, expires_at=now + timedelta(hours=hours))
    session.add(row)
    session.flush()
    return Opened(row.id, code, row.expires_at)


def redeem(db_url: str, code: str) -> tuple[str, int] | None:
    """Trade a handoff code (once, within its two minutes) for the cookie value and its max-age."""
    if not code or len(code) > 128:
        return None
    now = utcnow()
    with session_scope(db_url) as session:
        row = session.scalar(select(LoginSession).where(LoginSession.handoff_hash == _digest(code)))
        if row is None:
            return None
        fresh = row.handoff_expires is not None and row.handoff_expires > now and row.revoked_at is None
        row.handoff_hash, row.handoff_expires = None, None     # single use, even when too late
        if not fresh or row.expires_at <= now:
            return None
        token = secrets.token_urlsafe(32)
        row.token_hash = _digest(token)
        max_age = int((row.expires_at - now).total_seconds())
    return _signer(db_url).sign(token).decode("ascii"), max_age


def _live(session: Session, row: LoginSession | None) -> User | None:
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    user = session.get(User, row.user_id)
    return None if user is None or user.disabled else user


def actor_for_session(db_url: str, session_id: int, ip: str | None = None) -> Actor | None:
    """The account behind a live session row, as it is now (role and units re-read every time)."""
    with session_scope(db_url) as session:
        user = _live(session, session.get(LoginSession, int(session_id)))
        return actor_of(session, user, ip) if user is not None else None


def session_for_cookie(db_url: str, value: str | None) -> int | None:
    """The live session a cookie names; None for a missing, tampered, stale or revoked one."""
    if not value or len(value) > MAX_COOKIE_LENGTH:
        return None
    hours = site.get(db_url, "session_hours")
    try:
        token = _signer(db_url).unsign(value, max_age=hours * 3600).decode("ascii")
    except (BadSignature, UnicodeDecodeError):
        return None
    with session_scope(db_url) as session:
        row = session.scalar(select(LoginSession).where(LoginSession.token_hash == _digest(token)))
        return row.id if _live(session, row) is not None else None


def actor_for_cookie(db_url: str, value: str | None, ip: str | None = None) -> tuple[int, Actor] | None:
    found = session_for_cookie(db_url, value)
    if found is None:
        return None
    actor = actor_for_session(db_url, found, ip)
    return (found, actor) if actor is not None else None


def revoke(session: Session, session_id: int) -> None:
    row = session.get(LoginSession, int(session_id))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        row.handoff_hash = row.handoff_expires = None


def revoke_user(session: Session, user_id: int) -> int:
    """End every session of an account (disabled, password changed); returns how many were live."""
    result = session.execute(update(LoginSession)
                             .where(LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None))
                             .values(revoked_at=utcnow(), handoff_hash=None, handoff_expires=None))
    return int(result.rowcount or 0)
