"""Who may import what: the acting person's role, his units, and the period locks, checked row by row
on the server before anything is written.

An upload by a unit-scoped account (填报员) with any row for a unit he is not bound to is refused
whole, each such row named (file, sheet, row, unit); a row at a locked period's moment is refused the
same way, whoever imports it.  A catalog needs ``catalog.manage``.  The command line without
``--user`` acts as the server's operator (unrestricted, recorded as such); with ``--user`` the
account's role and units apply exactly as on the page.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from sqlalchemy.orm import Session

from metrics import period_lock
from metrics.access import Actor, Forbidden, check
from metrics.messages import Problem, register

register({
    "import_forbidden": ("{detail}", "{detail}"),
    "unit_not_yours": ("单位“{unit}”不在账号 {account} 负责的单位内（负责：{units}），整份文件未导入",
                       "unit “{unit}” is not one account {account} reports for ({units}); the whole file was refused"),
})

ActorSource = Actor | Callable[[], Actor] | None


def resolve(actor: ActorSource) -> Actor:
    """The actor behind an import; none given means the server's operator (the command line)."""
    who = actor() if callable(actor) else actor
    return who if isinstance(who, Actor) else Actor.cli_operator()


def permission_problems(actor: Actor, permission: str, file: str) -> list[Problem]:
    try:
        check(actor, permission)
    except Forbidden as refused:
        return [Problem("error", "import_forbidden", file, params={"detail": (refused.zh, refused.en)})]
    return []


def unit_problems(actor: Actor, frame: pd.DataFrame, file: str, unit_names: dict[str, str]) -> list[Problem]:
    """One located error per row for a unit outside a unit-scoped account's units."""
    if frame.empty or actor.operator or not actor.unit_scoped:
        return []
    outside = frame[~frame["unit_code"].astype(str).isin(actor.units).to_numpy()]
    mine = "、".join(unit_names.get(u, u) for u in sorted(actor.units)) or "无"
    mine_en = ", ".join(unit_names.get(u, u) for u in sorted(actor.units)) or "none"
    return [Problem("error", "unit_not_yours", file, (getattr(r, "sheet", None) or None),
                    None if pd.isna(r.row) else int(r.row), getattr(r, "col_unit", None) or None,
                    unit_names.get(r.unit_code, r.unit_code),
                    {"unit": unit_names.get(r.unit_code, r.unit_code), "account": actor.name,
                     "units": (mine, mine_en)})
            for r in outside.itertuples(index=False)]


def figure_refusals(session: Session, actor: Actor, frame: pd.DataFrame, file: str,
                    unit_names: dict[str, str]) -> list[Problem]:
    """Everything that refuses a figures file for ``actor``: the role, the units, the locked periods."""
    denied = permission_problems(actor, "figures.upload", file)
    if denied:
        return denied
    return unit_problems(actor, frame, file, unit_names) + period_lock.locked_rows(session, frame, file)
