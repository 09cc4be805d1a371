"""What a bulletin covers, from what a person types: the whole city, one ranking group, one county.

    city | 全市                      the whole city (default)
    县市区/城区 | 城区                 a ranking group ("type/group", or the group's name when unique)
    430421 | 衡阳县 | 衡阳           a county by code, name or alias
"""

from __future__ import annotations

import pandas as pd

from metrics import views
from metrics.bulletin.model import Scope
from metrics.matching import closest, hint

CITY_WORDS = {"", "city", "全市", "市"}


class ScopeError(ValueError):
    """A scope nobody can find; carries both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh, self.en = zh, en


def group_label(group: str) -> str:
    unit_type, name = views.split_group(group)
    return f"{unit_type}·{name}" if unit_type != name else str(name)


def choices(units: pd.DataFrame) -> list[Scope]:
    """Every scope the page offers, city first, then groups, then counties (catalog order)."""
    out = [Scope("city")]
    out += [Scope("group", g, group_label(g)) for g in views.group_options(units)]
    counties = units[units["type"] == views.COUNTY_TYPE]
    out += [Scope("unit", str(c), str(n)) for c, n in zip(counties["code"], counties["name"], strict=True)]
    return out


def parse(text: str | None, units: pd.DataFrame) -> Scope:
    """The scope a text names (see the module's docstring); :class:`ScopeError` with the closest
    names when it names nothing."""
    wanted = (text or "").strip()
    if wanted.lower() in CITY_WORDS:
        return Scope("city")
    options = choices(units)
    for scope in options[1:]:
        if wanted in (scope.code, scope.key, scope.label):
            return scope
    groups = [s for s in options if s.kind == "group" and views.split_group(s.code)[1] == wanted]
    if len(groups) == 1:
        return groups[0]
    counties = units[units["type"] == views.COUNTY_TYPE]
    for code, aliases in zip(counties["code"], counties.get("aliases", pd.Series([[]] * len(counties))), strict=True):
        if aliases is not None and wanted in [str(a) for a in aliases]:
            return next(s for s in options if s.code == str(code))
    labels = [s.label for s in options]
    near = closest(wanted, labels)
    zh_hint, en_hint = hint(near)
    if len(groups) > 1:
        zh_hint, en_hint = "，请写明类型：" + " / ".join(s.code for s in groups), "; name the type: " + " / ".join(
            s.code for s in groups)
    return _refuse(wanted, zh_hint, en_hint)


def _refuse(wanted: str, zh_hint: str, en_hint: str) -> Scope:
    raise ScopeError(f"没有范围“{wanted}”（可选：全市、分组如“县市区/城区”、县市区名称）{zh_hint}",
                     f"no scope “{wanted}” (choose: city, a group such as 县市区/城区, a county){en_hint}")
