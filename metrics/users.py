"""Account changes a 管理员 makes: add, password, disable/enable, unlock, units; roles listed.

Every change is a :func:`metrics.writes.write` (``users.manage``) with its audit row; passwords are
never written to the audit trail, and a password change or a disabled account ends its sessions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import select

from metrics import passwords, sessions, writes
from metrics.access import PERMISSIONS, Actor
from metrics.catalog import Catalog, LookupFailure
from metrics.db.base import utcnow
from metrics.db.engine import session_scope
from metrics.db.models import Role, User, UserUnit
from metrics.messages import Problem

_NAME = re.compile(r"^[^\s\x00-\x1f\x7f/\\]{1,64}$")


class AccountError(ValueError):
    """A refused account change; the message is in zh and en."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh, self.en = zh, en

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


def resolve_units(labels: Iterable[str], catalog: Catalog | None) -> list[str]:
    """Unit codes for labels given by code, name or alias (the catalog's own lookup)."""
    labels = [str(x).strip() for x in labels if str(x).strip()]
    if labels and catalog is None:
        raise AccountError("尚未导入指标目录，无法识别单位", "no catalog yet: units cannot be recognised")
    codes, bad = [], []
    for label in labels:
        try:
            codes.append(catalog.resolve_unit(label))
        except LookupFailure as err:
            bad.append(Problem("error", err.key, "--unit", value=err.label, params=err.params))
    if bad:
        raise AccountError("；".join(p.text("zh") for p in bad), "; ".join(p.text("en") for p in bad))
    return sorted(dict.fromkeys(codes))


def _user(session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise AccountError(f"账号“{name}”不存在", f"no account named “{name}”")
    return user


def add_user(db_url: str, actor: Actor, name: str, role: str, *, units: Iterable[str] = (),
             password: str | None = None, display_name: str = "", email: str | None = None) -> None:
    """A new account (``units`` as catalog codes); a unit-scoped role needs at least one unit."""
    name = (name or "").strip()
    if not _NAME.match(name):
        raise AccountError("账号名须为 1–64 个字符，不含空格、斜杠或控制字符",
                           "an account name is 1–64 characters without spaces, slashes or control characters")
    units = sorted(set(units))
    hashed = passwords.hash_password(password) if password is not None else None
    with writes.write(db_url, actor, "users.manage") as w:
        found = w.session.get(Role, role)
        if found is None:
            known = "、".join(r.name for r in w.session.scalars(select(Role)))
            raise AccountError(f"没有角色“{role}”（可用：{known}）", f"no role “{role}” (known: {known})")
        if found.unit_scoped and not units:
            raise AccountError(f"{found.label_zh}须绑定至少一个单位（--unit）", f"a {found.label_en} needs at least one unit (--unit)")
        if w.session.scalar(select(User).where(User.name == name)) is not None:
            raise AccountError(f"账号“{name}”已存在", f"account “{name}” already exists")
        w.session.add(User(name=name, role=role, display_name=display_name or name, password_hash=hashed,
                           email=(email or None), units=[UserUnit(unit_code=u) for u in units]))
        w.audit("users.add", "user", name, after={"role": role, "units": units, "email": email or None,
                                                  "password": hashed is not None})


def set_password(db_url: str, actor: Actor, name: str, password: str) -> int:
    """A new password (also clears a lock-out); ends the account's sessions, returns how many."""
    hashed = passwords.hash_password(password)
    with writes.write(db_url, actor, "users.manage") as w:
        user = _user(w.session, name)
        user.password_hash, user.failed_logins, user.locked_until = hashed, 0, None
        ended = sessions.revoke_user(w.session, user.id)
        w.audit("users.passwd", "user", name, after={"sessions_ended": ended})
    return ended


def set_disabled(db_url: str, actor: Actor, name: str, disabled: bool = True) -> None:
    with writes.write(db_url, actor, "users.manage") as w:
        user = _user(w.session, name)
        if disabled and user.name == actor.name:
            raise AccountError("不能停用自己正在使用的账号", "you cannot disable the account you are using")
        before, user.disabled = user.disabled, disabled
        ended = sessions.revoke_user(w.session, user.id) if disabled else 0
        w.audit("users.disable" if disabled else "users.enable", "user", name,
                before={"disabled": before}, after={"disabled": disabled, "sessions_ended": ended})


def unlock(db_url: str, actor: Actor, name: str) -> None:
    with writes.write(db_url, actor, "users.manage") as w:
        user = _user(w.session, name)
        before = user.locked_until
        user.failed_logins, user.locked_until = 0, None
        w.audit("users.unlock", "user", name, before={"locked_until": before})


def set_role(db_url: str, actor: Actor, name: str, role: str, units: Iterable[str] | None = None) -> None:
    """Change an account's role and, when given, its units (replacing the old ones)."""
    with writes.write(db_url, actor, "users.manage") as w:
        user = _user(w.session, name)
        found = w.session.get(Role, role)
        if found is None:
            raise AccountError(f"没有角色“{role}”", f"no role “{role}”")
        new_units = sorted(set(units)) if units is not None else sorted(u.unit_code for u in user.units)
        if found.unit_scoped and not new_units:
            raise AccountError(f"{found.label_zh}须绑定至少一个单位", f"a {found.label_en} needs at least one unit")
        before = {"role": user.role, "units": sorted(u.unit_code for u in user.units)}
        user.role = role
        if units is not None:
            user.units = [UserUnit(unit_code=u) for u in new_units]
        w.audit("users.role", "user", name, before=before, after={"role": role, "units": new_units})


def list_users(db_url: str) -> pd.DataFrame:
    """Every account: name, display name, role, units, email, state, failed sign-ins, created."""
    now = utcnow()
    with session_scope(db_url) as session:
        rows = [{"name": u.name, "display_name": u.display_name, "role": u.role,
                 "units": sorted(x.unit_code for x in u.units), "email": u.email or "",
                 "state": "disabled" if u.disabled else ("locked" if u.locked_until and u.locked_until > now else "enabled"),
                 "locked_until": u.locked_until if u.locked_until and u.locked_until > now else None,
                 "password": u.password_hash is not None, "created_at": u.created_at}
                for u in session.scalars(select(User).order_by(User.name))]
    return pd.DataFrame(rows, columns=["name", "display_name", "role", "units", "email", "state", "locked_until",
                                       "password", "created_at"])


def roles_table(db_url: str) -> pd.DataFrame:
    """The roles as the database holds them, with each permission's words."""
    with session_scope(db_url) as session:
        rows = [{"name": r.name, "label_zh": r.label_zh, "label_en": r.label_en, "unit_scoped": r.unit_scoped,
                 "permissions": list(r.permissions),
                 "permissions_zh": [PERMISSIONS.get(p, (p,))[0] for p in r.permissions],
                 "permissions_en": [PERMISSIONS.get(p, ("", p))[1] for p in r.permissions]}
                for r in session.scalars(select(Role).order_by(Role.name))]
    return pd.DataFrame(rows)
