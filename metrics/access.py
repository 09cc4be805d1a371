"""Who may do what: permissions, the acting person, and the one check every write goes through.

Why here and not in the pages: a hidden button is not a permission.  Every write path (page, CLI,
import) names the permission it needs and the unit it touches; :func:`check` refuses on the server
side whatever the screen showed.  Roles are data (the ``roles`` table); ``DEFAULT_ROLES`` is only what
a new database starts with.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable
from dataclasses import dataclass, field

# permission -> (zh, en). Unit-scoped roles hold the permissions marked True only for their units.
PERMISSIONS: dict[str, tuple[str, str, bool]] = {
    "read": ("查看", "read", False),
    "export": ("导出", "export", False),
    "figures.upload": ("上报数据", "upload figures", True),
    "tasks.report": ("报告任务进展", "report task progress", True),
    "ledger.feedback": ("反馈整改进展", "send rectification feedback", True),
    "ledger.manage": ("挂账、验收、退回、撤销、催办", "open, accept, reject, withdraw, urge ledger items", False),
    "ledger.import": ("导入问题清单", "import a problem list", False),
    "tasks.manage": ("管理任务清单", "manage the task list", False),
    "meetings.manage": ("组织调度会", "run dispatch meetings", False),
    "catalog.manage": ("管理指标目录", "manage the catalog", False),
    "scheme.manage": ("管理考核方案", "manage schemes", False),
    "events.manage": ("管理加扣分事项", "manage assessment events", False),
    "users.manage": ("管理账号", "manage accounts", False),
    "periods.lock": ("锁定期间", "lock periods", False),
    "versions.rollback": ("回退版本", "roll back versions", False),
    "bulletin.issue": ("签发通报", "issue bulletins", False),
    "audit.read": ("查看审计记录", "read the audit trail", False),
}

# name -> (zh, en, permissions, unit_scoped)
DEFAULT_ROLES: dict[str, tuple[str, str, list[str], bool]] = {
    "leader": ("领导", "Leader", ["read", "export"], False),
    "analyst": ("分析员", "Analyst", ["read", "export"], False),
    "reporter": ("填报员", "Reporter", ["read", "export", "figures.upload", "tasks.report", "ledger.feedback"], True),
    "inspector": ("督查员", "Inspector", ["read", "export", "ledger.manage", "ledger.import", "ledger.feedback",
                                         "tasks.manage", "meetings.manage"], False),
    "admin": ("管理员", "Administrator", list(PERMISSIONS), False),
}


class Forbidden(PermissionError):
    """A write the acting person may not make; the message is for the user, in zh and en."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh, self.en = zh, en

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Actor:
    """The person behind a write, as the server knows them (never as a form field says)."""

    name: str
    role: str
    permissions: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    unit_scoped: bool = False
    ip: str | None = None
    operator: bool = False          # the server's operator at the command line: unrestricted
    display_name: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def cli_operator(cls) -> Actor:
        """The CLI without ``--user``: whoever runs the server's shell, recorded as such."""
        try:
            who = getpass.getuser()
        except (KeyError, OSError):
            who = "operator"
        return cls(name=who, role="operator", permissions=frozenset(PERMISSIONS), operator=True,
                   display_name=f"{who}（服务器操作员）")

    @classmethod
    def anonymous(cls) -> Actor:
        return cls(name="anonymous", role="anonymous", permissions=frozenset({"read", "export"}))

    def may(self, permission: str, unit: str | None = None) -> bool:
        if self.operator:
            return True
        if permission not in self.permissions:
            return False
        scoped = PERMISSIONS.get(permission, ("", "", False))[2]
        if self.unit_scoped and scoped and unit is not None:
            return unit in self.units
        return True


def check(actor: Actor, permission: str, units: str | Iterable[str] | None = None) -> None:
    """Raise :class:`Forbidden` unless ``actor`` holds ``permission`` (for every unit named)."""
    label_zh, label_en, _ = PERMISSIONS.get(permission, (permission, permission, False))
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    if not actor.may(permission):
        raise Forbidden(f"无权{label_zh}（当前账号 {actor.name}，角色 {actor.role}）",
                        f"not allowed to {label_en} (account {actor.name}, role {actor.role})")
    wanted = [units] if isinstance(units, str) else list(units or [])
    outside = sorted(u for u in wanted if not actor.may(permission, u))
    if outside:
        raise Forbidden(f"无权为以下单位{label_zh}：{'、'.join(outside)}（账号 {actor.name} 只负责 "
                        f"{'、'.join(sorted(actor.units)) or '无'}）",
                        f"not allowed to {label_en} for {', '.join(outside)} (account {actor.name} reports for "
                        f"{', '.join(sorted(actor.units)) or 'no unit'})")
