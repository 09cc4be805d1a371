"""Signing in and out: passwords checked against Argon2 hashes, lock-out after repeated failures,
single sign-on identities mapped onto the same accounts, every attempt in the audit trail.

The wording of a refusal never tells a stranger whether an account exists: a wrong name and a wrong
password read alike and cost the same time.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from metrics import passwords, sessions, site
from metrics.access import Actor
from metrics.accounts import actor_of
from metrics.db.base import utcnow
from metrics.db.engine import session_scope
from metrics.db.models import User
from metrics.writes import Write

LOCAL_TIME = ZoneInfo("Asia/Shanghai")


class LoginFailed(Exception):
    """A refused sign-in; ``reason`` is wrong | locked | disabled | unknown_identity."""

    def __init__(self, reason: str, zh: str, en: str) -> None:
        super().__init__(zh)
        self.reason, self.zh, self.en = reason, zh, en

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


WRONG = ("wrong", "账号或密码错误", "wrong account name or password")


def _stranger(name: str, ip: str | None) -> Actor:
    return Actor(name=name[:64] or "?", role="anonymous", ip=ip)


def login(db_url: str, name: str, password: str, ip: str | None = None) -> tuple[sessions.Opened, Actor]:
    """Check a name and password; open a session, or raise :class:`LoginFailed` (audited either way)."""
    rules = site.settings(db_url)
    name = (name or "").strip()
    failure: LoginFailed | None = None
    with session_scope(db_url) as session:
        user = session.scalar(select(User).where(User.name == name)) if 0 < len(name) <= 64 else None
        now = utcnow()
        if user is None:
            passwords.verify(None, password)
            Write(session, _stranger(name, ip)).audit("login.failed", "user", name[:128], reason="unknown")
            failure = LoginFailed(*WRONG)
        elif user.locked_until is not None and user.locked_until > now:
            until = user.locked_until.astimezone(LOCAL_TIME).strftime("%H:%M")
            Write(session, _stranger(name, ip)).audit("login.locked", "user", name, reason="locked")
            failure = LoginFailed("locked", f"连续输错密码次数过多，账号已锁定，请于 {until} 后再试",
                                  f"too many failed sign-ins: the account is locked until {until} (Beijing time)")
        elif not passwords.verify(user.password_hash, password):
            user.failed_logins = (user.failed_logins or 0) + 1
            if user.failed_logins >= rules["max_failed_logins"]:
                user.locked_until = now + timedelta(minutes=rules["lockout_minutes"])
                user.failed_logins = 0
                Write(session, _stranger(name, ip)).audit("login.lockout", "user", name,
                                                          after={"locked_minutes": rules["lockout_minutes"]})
            else:
                Write(session, _stranger(name, ip)).audit("login.failed", "user", name, reason="password",
                                                          after={"failed_in_a_row": user.failed_logins})
            failure = LoginFailed(*WRONG)
        elif user.disabled:
            Write(session, _stranger(name, ip)).audit("login.failed", "user", name, reason="disabled")
            failure = LoginFailed("disabled", "账号已停用，请联系管理员", "the account is disabled; ask an administrator")
        else:
            user.failed_logins, user.locked_until = 0, None
            if passwords.needs_rehash(user.password_hash):
                user.password_hash = passwords.hash_password(password)
            opened = sessions.open_session(session, user, ip=ip, via="password", hours=rules["session_hours"])
            actor = actor_of(session, user, ip)
            Write(session, actor).audit("login", "user", name, after={"session": opened.id, "via": "password"})
    if failure is not None:
        raise failure
    return opened, actor


def login_identity(db_url: str, email: str, ip: str | None = None) -> tuple[sessions.Opened, Actor]:
    """A single sign-on identity (``st.user.email``) mapped onto the enabled account holding that email."""
    email = (email or "").strip().lower()
    rules = site.settings(db_url)
    failure: LoginFailed | None = None
    with session_scope(db_url) as session:
        user = session.scalar(select(User).where(func.lower(User.email) == email)) if email else None
        if user is None or user.disabled:
            Write(session, _stranger(email, ip)).audit("login.failed", "user", email[:128], reason="identity")
            failure = LoginFailed("unknown_identity", f"单点登录身份 {email or '（无邮箱）'} 没有对应的启用账号，请联系管理员",
                                  f"no enabled account for the sign-on identity {email or '(no email)'}; ask an administrator")
        else:
            opened = sessions.open_session(session, user, ip=ip, via="oidc", hours=rules["session_hours"])
            actor = actor_of(session, user, ip)
            Write(session, actor).audit("login", "user", user.name, after={"session": opened.id, "via": "oidc"})
    if failure is not None:
        raise failure
    return opened, actor


def logout(db_url: str, session_id: int, actor: Actor) -> None:
    """End a session (the cookie it was traded for dies with it), audited."""
    with session_scope(db_url) as session:
        sessions.revoke(session, session_id)
        Write(session, actor).audit("logout", "user", actor.name, after={"session": int(session_id)})
