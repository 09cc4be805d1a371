"""Units and indicators: who is assessed, on what, and the names sheets use for them.

The catalog is data (two DataFrames, see docs/architecture.md); this module looks labels up in it.
A label matches by code, name or alias after normalising full-width characters and whitespace;
a town's name is unique only under its county, so ``衡阳县/白沙镇`` (or the code) picks one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from metrics.matching import closest, hint
from metrics.text import match_key, normalize_label

UNIT_TYPES = ("县市区", "乡镇", "市直部门", "园区", "市州")
UNIT_TYPES_EN = {"县市区": "county/district", "乡镇": "town", "市直部门": "department", "园区": "park",
                 "市州": "prefecture"}
KINDS = {"总量": "amount", "比率": "rate", "amount": "amount", "rate": "rate"}
DIRECTIONS = {"正向": "higher", "逆向": "lower", "higher": "higher", "lower": "lower"}
SCORINGS = {"完成率": "ratio", "排名": "rank", "ratio": "ratio", "rank": "rank"}
YES_NO = {"是": True, "否": False, "yes": True, "no": False, "y": True, "n": False, "true": True, "false": False}
UNIT_COLUMNS = ["code", "name", "type", "group", "parent", "aliases"]
INDICATOR_COLUMNS = ["code", "name", "category", "measure", "kind", "direction", "weight", "scoring",
                     "frequency", "lead", "applies_to", "aliases", "band", "additive"]
PATH_SEPARATORS = ("/", "·", "\\", "|")
#: footnote marks clerks put after a name (衡南县*, 衡南县①, 衡南县(注1)); NFKC has made ① a 1 already
_FOOTNOTE_MARK = re.compile(r"(?:[*※#△▲☆★†‡§]|\(?注?\d{1,2}\)?|\([^()]*\))+$")


@dataclass(frozen=True)
class LookupFailure(Exception):
    """A label that names no catalog entry, or more than one."""

    key: str  # message key: unknown_unit, ambiguous_unit, unknown_indicator
    label: str
    params: dict


def default_band(measure: str, target: float | None) -> float | None:
    """Yellow band of a rate indicator without 容差: 1.0 for %, else 5% of |target|."""
    if measure == "%":
        return 1.0
    if target is None or (isinstance(target, float) and math.isnan(target)):
        return None
    return 0.05 * abs(target)


class Catalog:
    """Lookups over the units and indicators frames; built once per catalog version."""

    def __init__(self, units: pd.DataFrame, indicators: pd.DataFrame) -> None:
        self.units = units.reset_index(drop=True)
        self.indicators = indicators.reset_index(drop=True)
        self._unit = {row.code: row for row in self.units.itertuples(index=False)}
        self._indicator = {row.code: row for row in self.indicators.itertuples(index=False)}
        self._unit_keys = self._index_units()
        self._indicator_keys = self._index_indicators()

    # -- indexes -----------------------------------------------------------------------------
    def _index_units(self) -> dict[str, set[str]]:
        keys: dict[str, set[str]] = {}
        names_of = {code: [row.name, *row.aliases] for code, row in self._unit.items()}
        for code, row in self._unit.items():
            keys.setdefault(match_key(code), set()).add(code)
            own = [match_key(n) for n in names_of[code]]
            for key in own:
                keys.setdefault(key, set()).add(code)
            parent = self._unit.get(row.parent)
            if parent is not None:
                for parent_name in names_of[parent.code]:
                    for key in own:
                        for sep in PATH_SEPARATORS:
                            keys.setdefault(match_key(parent_name) + sep + key, set()).add(code)
        return keys

    def _index_indicators(self) -> dict[str, set[str]]:
        keys: dict[str, set[str]] = {}
        for code, row in self._indicator.items():
            for label in (code, row.name, *row.aliases):
                keys.setdefault(match_key(label), set()).add(code)
        return keys

    # -- lookups -----------------------------------------------------------------------------
    def unit(self, code: str):
        return self._unit[code]

    def indicator(self, code: str):
        return self._indicator[code]

    def has_unit(self, code: str) -> bool:
        return code in self._unit

    def _unit_matches(self, label: object) -> set[str]:
        """Codes a label names: as written, else without a trailing footnote mark (衡南县* = 衡南县)."""
        key = match_key(label)
        found = self._unit_keys.get(key)
        if found:
            return found
        bare = _FOOTNOTE_MARK.sub("", key)
        return self._unit_keys.get(bare, set()) if bare and bare != key else set()

    def find_unit(self, label: object) -> str | None:
        """The code a label names, or None when it names none or several."""
        found = self._unit_matches(label)
        return next(iter(found)) if len(found) == 1 else None

    def find_indicator(self, label: object) -> str | None:
        found = self._indicator_keys.get(match_key(label), ())
        return next(iter(found)) if len(found) == 1 else None

    def resolve_unit(self, label: object) -> str:
        text = normalize_label(label)
        found = self._unit_matches(text)
        if len(found) == 1:
            return next(iter(found))
        if found:
            options = "、".join(self._unit_path(code) for code in sorted(found))
            raise LookupFailure("ambiguous_unit", text, {"options": options})
        names = closest(text, self.units["name"].tolist())
        raise LookupFailure("unknown_unit", text, {"hint": hint(names)})

    def resolve_indicator(self, label: object) -> str:
        text = normalize_label(label)
        found = self._indicator_keys.get(match_key(text), set())
        if len(found) == 1:
            return next(iter(found))
        names = closest(text, self.indicators["name"].tolist())
        raise LookupFailure("unknown_indicator", text, {"hint": hint(names)})

    def growth_indicator(self, code: str) -> str | None:
        """The catalog's 增速 indicator for an amount (name + 增速), used by 增速/增减 sub-columns."""
        row = self._indicator[code]
        for name in (row.name, *row.aliases):
            found = self.find_indicator(f"{name}增速")
            if found:
                return found
        return None

    def _unit_path(self, code: str) -> str:
        row = self._unit[code]
        parent = self._unit.get(row.parent)
        return f"{parent.name}/{row.name}（{code}）" if parent is not None else f"{row.name}（{code}）"

    def unit_names(self, codes: pd.Series) -> pd.Series:
        return codes.map({c: r.name for c, r in self._unit.items()})

    def indicator_names(self, codes: pd.Series) -> pd.Series:
        return codes.map({c: r.name for c, r in self._indicator.items()})


def empty_units() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in UNIT_COLUMNS})


def empty_indicators() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in INDICATOR_COLUMNS})
