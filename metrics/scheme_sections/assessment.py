"""年度考核 rules of a year: caps on bonus and deduction points, and the grade boundaries with the quota
for 优秀.  Each unit type (县市区, 乡镇, 市直部门, 园区) may differ: a sub-table named after the type
overrides the keys it names for that type only.

    [assessment]
    bonus_cap = 5              # 加分 counts at most this much (a number, or "none")
    deduction_cap = "none"     # 扣分 counts at most this much (default: no cap)
    excellent_share = 0.30     # 优秀 for at most floor(share × n) units of a group
    excellent_min = 90         # 优秀 needs a final score of at least this
    good_min = 80              # 良好 from here
    pass_min = 60              # 一般 from here; 较差 below

    [assessment.乡镇]
    excellent_share = 0.20
"""

from __future__ import annotations

import math
from typing import Any

NAME = "assessment"
UNIT_TYPES = ("县市区", "乡镇", "市直部门", "园区")
NO_CAP = ("none", "无", "不设")

DEFAULTS: dict[str, Any] = {
    "bonus_cap": 5.0,
    "deduction_cap": "none",
    "excellent_share": 0.30,
    "excellent_min": 90.0,
    "good_min": 80.0,
    "pass_min": 60.0,
}
KEYS = tuple(DEFAULTS)


def rules_for(values: dict[str, Any], unit_type: str) -> dict[str, Any]:
    """The section's keys for one unit type: the type's own table over the section's keys."""
    own = values.get(unit_type)
    merged = {key: values[key] for key in KEYS}
    if isinstance(own, dict):
        merged.update({key: own[key] for key in KEYS if key in own})
    return merged


def is_no_cap(value: Any) -> bool:
    return isinstance(value, str) and value.strip().casefold() in NO_CAP


def validate(values: dict[str, Any], where: str) -> None:
    """Refuse unknown keys, non-numbers, a share outside [0, 1] and boundaries out of order."""
    from metrics.scheme import SchemeError

    for key, value in values.items():
        if key in UNIT_TYPES:
            if not isinstance(value, dict):
                raise SchemeError(f"{where}: [assessment.{key}] must be a table")
            unknown = sorted(set(value) - set(KEYS))
            if unknown:
                raise SchemeError(f"{where}: unknown key assessment.{key}.{unknown[0]} (known: {', '.join(KEYS)})")
        elif key not in KEYS:
            raise SchemeError(f"{where}: unknown key assessment.{key} (known: {', '.join(KEYS)}, "
                              f"or a table per unit type: {', '.join(UNIT_TYPES)})")
    for unit_type in (None, *UNIT_TYPES):
        rules = rules_for(values, unit_type) if unit_type else {k: values[k] for k in KEYS}
        label = f"assessment.{unit_type}" if unit_type else "assessment"
        for key in ("bonus_cap", "deduction_cap"):
            value = rules[key]
            if not is_no_cap(value) and not _number(value, 0):
                raise SchemeError(f"{where}: {label}.{key} must be a number >= 0 or \"none\" ({value!r})")
        for key in ("excellent_share", "excellent_min", "good_min", "pass_min"):
            if not _number(rules[key], 0):
                raise SchemeError(f"{where}: {label}.{key} must be a number >= 0 ({rules[key]!r})")
        if rules["excellent_share"] > 1:
            raise SchemeError(f"{where}: {label}.excellent_share must be between 0 and 1 ({rules['excellent_share']})")
        if not rules["pass_min"] <= rules["good_min"] <= rules["excellent_min"]:
            raise SchemeError(f"{where}: {label}: pass_min <= good_min <= excellent_min must hold "
                              f"({rules['pass_min']}, {rules['good_min']}, {rules['excellent_min']})")


def _number(value: Any, minimum: float) -> bool:
    return (not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)
            and value >= minimum)
