"""Site settings a 管理员 changes without a code change: who may read without signing in, how long a
sign-in lasts, when repeated failures lock an account.

Stored in the database (``site_settings``) so every replica and the command line see the same
value; a change goes through :func:`metrics.writes.write` and leaves an audit row.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from metrics import writes
from metrics.access import Actor
from metrics.access_models import SiteSetting
from metrics.db.engine import session_scope

# key -> (default, zh, en)
SETTINGS: dict[str, tuple[Any, str, str]] = {
    "anonymous_read": (False, "未登录可查看看板", "anyone may read the dashboard without signing in"),
    "session_hours": (12, "登录有效期（小时）", "how long a sign-in lasts (hours)"),
    "max_failed_logins": (5, "连续输错密码几次后锁定账号", "failed sign-ins in a row that lock an account"),
    "lockout_minutes": (15, "锁定时长（分钟）", "how long a locked account stays locked (minutes)"),
}
_BOUNDS = {"session_hours": (1, 24 * 90), "max_failed_logins": (1, 100), "lockout_minutes": (1, 24 * 60)}
_SECRET_KEY = "_cookie_secret"  # never listed, never set through set_setting
_TRUE = {"1", "true", "yes", "on", "是", "开", "开启"}
_FALSE = {"0", "false", "no", "off", "否", "关", "关闭"}


class SettingError(ValueError):
    """A setting name or value that is not allowed; the message is in zh and en."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh, self.en = zh, en

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


def parse(key: str, value: object) -> Any:
    """A setting's value from text or a Python value, within its bounds."""
    if key not in SETTINGS:
        raise SettingError(f"没有设置项“{key}”（可用：{'、'.join(SETTINGS)}）",
                           f"no setting “{key}” (known: {', '.join(SETTINGS)})")
    default = SETTINGS[key][0]
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise SettingError(f"“{key}”应为 on 或 off，而不是“{value}”", f"“{key}” must be on or off, not “{value}”")
    try:
        number = int(str(value).strip()) if not isinstance(value, int) or isinstance(value, bool) else value
    except ValueError:
        raise SettingError(f"“{key}”应为整数，而不是“{value}”", f"“{key}” must be a whole number, not “{value}”") from None
    low, high = _BOUNDS[key]
    if not low <= number <= high:
        raise SettingError(f"“{key}”应在 {low}–{high} 之间：{number}", f"“{key}” must be within {low}–{high}: {number}")
    return number


def settings(db_url: str) -> dict[str, Any]:
    """Every setting with its value in force (the default where none was stored)."""
    with session_scope(db_url) as session:
        stored = {s.key: s.value for s in session.scalars(select(SiteSetting).where(SiteSetting.key.in_(SETTINGS)))}
    out = {}
    for key, (default, _zh, _en) in SETTINGS.items():
        try:
            out[key] = parse(key, stored[key]) if key in stored else default
        except SettingError:
            out[key] = default
    return out


def get(db_url: str, key: str) -> Any:
    return settings(db_url)[key]


def set_setting(db_url: str, actor: Actor, key: str, value: object) -> Any:
    """Store a setting (a 管理员's write, audited with the value before and after)."""
    new = parse(key, value)
    with writes.write(db_url, actor, "users.manage") as w:
        row = w.session.get(SiteSetting, key)
        before = parse(key, row.value) if row is not None else SETTINGS[key][0]
        if row is None:
            w.session.add(SiteSetting(key=key, value=new))
        else:
            row.value = new
        w.audit("site.set", "setting", key, before=before, after=new)
    return new


def cookie_secret(db_url: str) -> str:
    """The key that signs sign-in cookies: made once per database, shared by every replica."""
    with session_scope(db_url) as session:
        row = session.get(SiteSetting, _SECRET_KEY)
        if row is not None:
            return str(row.value)
    try:
        with session_scope(db_url) as session:
            session.add(SiteSetting(key=_SECRET_KEY, value=secrets.token_hex(32)))
    except IntegrityError:  # another process made it first; read theirs
        pass
    with session_scope(db_url) as session:
        return str(session.get(SiteSetting, _SECRET_KEY).value)
