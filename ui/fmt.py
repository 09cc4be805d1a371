"""Numbers as a Chinese office writes them: 184.6亿元, 3.5万人, 85.3%, +1.2个百分点, ↑2.

Pure functions (no Streamlit).  Rounding is half away from zero on the number as written, like the
engine (metrics.ranking.round_half_up), so a table never shows 85.2% where the bulletin says 85.3%.
"""

from __future__ import annotations

import math

from metrics import precision
from metrics.ranking import round_half_up

# measures counted in whole things: shown without decimals
COUNT_MEASURES = precision.COUNT_MEASURES
DEFAULT_DECIMALS = 1
STATUS_COLORS = {
    "green": "#2E7D32", "yellow": "#F9A825", "red": "#C62828", "missing": "#9E9E9E", "no_target": "#E0E0E0",
}
#: standing among the 市州 (全省位次): a blue-to-orange scale that cannot be read as traffic lights
STANDING_COLORS = {"top": "#1565C0", "middle": "#90A4AE", "bottom": "#E65100"}
STATUS_ORDER = ("red", "yellow", "green", "missing", "no_target")


def blank(value: object) -> bool:
    """None, NaN and pandas' NA all mean "no value here"."""
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):  # pd.NA raises on bool()
        return True


def decimals_for(measure: object, decimals: object = None) -> int:
    """Decimals of an indicator: its own (catalog column 小数位) if given, else by measure (metrics.precision)."""
    return precision.base_places(measure, decimals)


def number(value: object, decimals: int = DEFAULT_DECIMALS) -> str:
    """1234.56 -> '1,234.6'; blank -> '—'."""
    if blank(value):
        return "—"
    x = round_half_up(float(value), decimals)  # type: ignore[arg-type]
    if x == 0:
        x = 0.0  # no "-0.0"
    return f"{x:,.{decimals}f}"


def scaled(value: float, measure: str) -> tuple[float, str]:
    """Switch to the larger unit an office would use (12,345 万元 -> 1.2345 亿元)."""
    x, m, _ = precision.scale(value, measure)
    return x, m


def value(value_: object, measure: object = "", decimals: object = None, scale: bool = True, extra: int = 0,
          scale_by: object = None) -> str:
    """A figure with its measure, with at least 3 significant digits: 184.62亿元, 3.52万人, 7.5%, 37,500元.
    ``extra`` decimals and ``scale_by`` (the larger of a pair, so both share one measure) come from
    :func:`pair`."""
    if blank(value_):
        return "—"
    m = "" if blank(measure) else str(measure)
    x = float(value_)  # type: ignore[arg-type]
    if scale:
        _, m2, switched = precision.scale(x if blank(scale_by) else float(scale_by), m)  # type: ignore[arg-type]
        if switched:
            x, m = x / precision.LARGER[m][0], m2
    d = precision.places(x, m, decimals) + extra
    return f"{number(x, d)}{m}"


def pair(target: object, actual: object, measure: object = "", decimals: object = None) -> tuple[str, str]:
    """(target, actual) as text, precise enough that actual/target recomputed from them gives the shown
    completion (``pct``): never "0.2万亩 / 0.2万亩 = 66.7%"."""
    extra = precision.pair_places(target, actual, measure, decimals) or 0
    big = None
    if not blank(target) and not blank(actual):
        big = max(abs(float(target)), abs(float(actual)))  # type: ignore[arg-type]
    return (value(target, measure, decimals, extra=extra, scale_by=big),
            value(actual, measure, decimals, extra=extra, scale_by=big))


def pct(ratio: object, decimals: int = 1) -> str:
    """A completion ratio as a percentage: 0.8532 -> '85.3%'."""
    if blank(ratio):
        return "—"
    return f"{number(100 * float(ratio), decimals)}%"  # type: ignore[arg-type]


def signed(value_: object, decimals: int = 1, suffix: str = "") -> str:
    """+1.2 / -0.4 / 0.0 with a suffix ('%', '个百分点')."""
    if blank(value_):
        return "—"
    x = round_half_up(float(value_), decimals)  # type: ignore[arg-type]
    sign = "+" if x > 0 else ""
    return f"{sign}{number(x, decimals)}{suffix}"


def pp(value_: object, lang: str = "zh", decimals: int = 1) -> str:
    """Percentage points: +1.2个百分点 / +1.2 pp."""
    return signed(value_, decimals, " pp" if lang == "en" else "个百分点")


def rank_change(change: object) -> str:
    """Rank change (previous - current; positive = moved up): ↑2, ↓1, 0 -> '—'."""
    if blank(change):
        return ""
    c = int(change)  # type: ignore[arg-type]
    if c > 0:
        return f"↑{c}"
    if c < 0:
        return f"↓{-c}"
    return "—"


def rank(rank_: object, rank_of: object) -> str:
    """'3/12' (third of twelve); blank when not ranked."""
    if blank(rank_):
        return "—"
    return f"{int(rank_)}/{int(rank_of)}"  # type: ignore[arg-type]


def score(value_: object) -> str:
    """A composite score: 2 decimals, as it is ranked."""
    return number(value_, 2)


def standing(rank_: object, rank_of: object) -> str:
    """top / middle / bottom third of the ranked (全省位次 4 of 14 is the top third: 4 ≤ 14/3)."""
    if blank(rank_) or blank(rank_of) or not int(rank_of):  # type: ignore[arg-type]
        return "middle"
    r, n = int(rank_), int(rank_of)  # type: ignore[arg-type]
    if 3 * r <= n:
        return "top"
    return "bottom" if 3 * r > 2 * n else "middle"


LOWER_MARK = "↓"


def indicator_label(name: object, direction: object) -> str:
    """An indicator's name with ↓ when lower is better (PM2.5平均浓度 ↓)."""
    text = str(name)
    return f"{text} {LOWER_MARK}" if str(direction) == "lower" else text
