"""How many decimals a figure is shown with, so that what a reader sees adds up.

"0.2万亩 / 0.2万亩 = 66.7%" makes a right status look wrong.  Rules (the dashboard's ui/fmt.py and
the bulletin's numbers.py both follow them):

- an indicator's own decimals come from the catalog's ``小数位`` column; without one, by measure:
  counted things (个, 户, 人 …) none, large measures (亿元, 万人, 万亩 …) 2, anything else 1;
- a figure that is neither counted nor a percentage is shown with at least 3 significant digits
  (0.213万亩, not 0.2万亩), up to ``MAX_PLACES`` decimals;
- a target and an actual shown side by side with a completion get the decimals that make the
  completion recomputed from the shown numbers round to the shown completion (:func:`pair_places`).

Pure functions; no Streamlit.
"""

from __future__ import annotations

import math
from typing import Any

from metrics.ranking import round_half_up

COUNT_MEASURES = frozenset({"个", "户", "人", "起", "套", "项", "件", "次", "家", "所", "座", "名", "元", "亩",
                            "天", "宗"})
LARGE_MEASURES = frozenset({"亿元", "亿美元", "万人", "万亩", "万户", "万吨", "万平方米", "万千瓦", "万美元"})
#: a larger unit an office switches to once a value reaches it: measure -> (threshold, new measure)
LARGER = {"万元": (1e4, "亿元"), "元": (1e8, "亿元"), "人": (1e4, "万人"), "万美元": (1e4, "亿美元"),
          "户": (1e4, "万户")}
SIGNIFICANT = 3
MAX_PLACES = 4


def blank(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):  # pd.NA
        return True


def base_places(measure: Any, decimals: Any = None) -> int:
    """The indicator's decimals: the catalog's 小数位 when given, else the measure's default."""
    if not blank(decimals):
        return int(decimals)
    m = str(measure or "").strip()
    if m in COUNT_MEASURES:
        return 0
    return 2 if m in LARGE_MEASURES else 1


def is_count(measure: Any) -> bool:
    return str(measure or "").strip() in COUNT_MEASURES


def scale(value: float, measure: str) -> tuple[float, str, bool]:
    """(value, measure, switched) in the larger unit an office would use (12,345万元 -> 1.2345亿元)."""
    rule = LARGER.get(measure)
    if rule is not None and abs(value) >= rule[0]:
        return value / rule[0], rule[1], True
    return value, measure, False


def places(value: Any, measure: Any, decimals: Any = None) -> int:
    """Decimals for one figure already in the measure it is shown in: the indicator's, raised until the
    figure shows ``SIGNIFICANT`` digits (never for counted things, never past ``MAX_PLACES``)."""
    d = base_places(measure, decimals)
    if blank(value) or is_count(measure) or str(measure or "").strip() == "%":
        return d
    x = abs(float(value))
    if x == 0 or not math.isfinite(x):
        return d
    need = SIGNIFICANT - 1 - math.floor(math.log10(x))
    return max(d, min(need, MAX_PLACES))


def shown(value: float, d: int) -> float:
    """The number a reader sees at d decimals (half away from zero, as written)."""
    return float(round_half_up(float(value), d))


def pair_places(target: Any, actual: Any, measure: Any, decimals: Any = None, pct_places: int = 1) -> int | None:
    """Extra decimals (0..MAX_PLACES) both a target and an actual need so that actual/target recomputed
    from the shown numbers gives the shown completion (at ``pct_places`` decimals of a percent).
    None when nothing needs to agree (a blank, a zero target)."""
    if blank(target) or blank(actual) or float(target) == 0:
        return None
    t, a = float(target), float(actual)
    want = round_half_up(100 * a / t, pct_places)
    m = str(measure or "")
    big = max(abs(t), abs(a))
    _, m2, switched = scale(big, m)
    factor = LARGER[m][0] if switched else 1.0
    ts, as_ = t / factor, a / factor
    dt, da = places(ts, m2, decimals), places(as_, m2, decimals)
    for extra in range(MAX_PLACES + 1):
        st, sa = shown(ts, dt + extra), shown(as_, da + extra)
        if st != 0 and round_half_up(100 * sa / st, pct_places) == want:
            return extra
    return MAX_PLACES
