"""Accounts as the server knows them: the acting person behind a name, with role and units.

Here: turning an account into an :class:`metrics.access.Actor` (enabled accounts only).  Sign-in
lives in :mod:`metrics.signin`, sessions in :mod:`metrics.sessions`, account changes (add, password,
disable, units) in :mod:`metrics.users`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from metrics.access import Actor, Forbidden
from metrics.db.engine import session_scope
from metrics.db.models import Role, User


def actor_of(session: Session, user: User, ip: str | None = None) -> Actor:
    """The actor an account acts as, with its role's permissions as the roles table holds them now."""
    role = session.get(Role, user.role)
    return Actor(name=user.name, role=user.role, permissions=frozenset(role.permissions if role else ()),
                 units=frozenset(u.unit_code for u in user.units), unit_scoped=bool(role and role.unit_scoped),
                 ip=ip, display_name=user.display_name or user.name)


def actor_for(db_url: str, name: str, ip: str | None = None) -> Actor:
    """The enabled account ``name`` as an actor; :class:`Forbidden` for an unknown or disabled one."""
    with session_scope(db_url) as session:
        user = session.scalar(select(User).where(User.name == name))
        if user is None:
            raise Forbidden(f"账号“{name}”不存在", f"no account named “{name}”")
        if user.disabled:
            raise Forbidden(f"账号“{name}”已停用", f"account “{name}” is disabled")
        return actor_of(session, user, ip)
