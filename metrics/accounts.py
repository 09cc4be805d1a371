"""Accounts as the server knows them: the acting person behind a name, with role and units.

Passwords, sessions and the ``users`` command build on this; here only what every write needs:
turning an account name into an :class:`metrics.access.Actor`, refusing unknown or disabled ones.
"""

from __future__ import annotations

from sqlalchemy import select

from metrics.access import Actor, Forbidden
from metrics.db.engine import session_scope
from metrics.db.models import Role, User


def actor_for(db_url: str, name: str, ip: str | None = None) -> Actor:
    """The enabled account ``name`` as an actor; :class:`Forbidden` for an unknown or disabled one."""
    with session_scope(db_url) as session:
        user = session.scalar(select(User).where(User.name == name))
        if user is None:
            raise Forbidden(f"账号“{name}”不存在", f"no account named “{name}”")
        if user.disabled:
            raise Forbidden(f"账号“{name}”已停用", f"account “{name}” is disabled")
        role = session.get(Role, user.role)
        return Actor(name=user.name, role=user.role, permissions=frozenset(role.permissions if role else ()),
                     units=frozenset(u.unit_code for u in user.units), unit_scoped=bool(role and role.unit_scoped),
                     ip=ip, display_name=user.display_name or user.name)
