"""Numbers as a Chinese office writes them: 184.6亿元, 3.5万人, 85.3%, +1.2个百分点, ↑2.

Pure functions (no Streamlit).  Rounding is half away from zero on the number as written, like the
engine (metrics.ranking.round_half_up), so a table never shows 85.2% where the bulletin says 85.3%.
"""

from __future__ import annotations

import math

from metrics.ranking import round_half_up

# measures counted in whole things: shown without decimals
COUNT_MEASURES = {"个", "户", "人", "起", "套", "项", "件", "次", "家", "所", "座", "名", "元", "亩", "天", "宗"}
# a larger unit an office switches to once a value reaches it: measure -> (threshold, factor, new measure)
SCALES = {
    "万元": (1e4, 1e-4, "亿元"),
    "元": (1e8, 1e-8, "亿元"),
    "人": (1e4, 1e-4, "万人"),
    "万美元": (1e4, 1e-4, "亿美元"),
    "户": (1e4, 1e-4, "万户"),
}
DEFAULT_DECIMALS = 1
STATUS_COLORS = {
    "green": "#2E7D32", "yellow": "#F9A825", "red": "#C62828", "missing": "#9E9E9E", "no_target": "#E0E0E0",
}
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
    """Decimals of an indicator: its own (catalog column ``decimals``) if given, else 0 for counts, else 1."""
    if not blank(decimals):
        return int(decimals)  # type: ignore[arg-type]
    return 0 if str(measure or "").strip() in COUNT_MEASURES else DEFAULT_DECIMALS


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
    rule = SCALES.get(measure)
    if rule is not None and abs(value) >= rule[0]:
        return value * rule[1], rule[2]
    return value, measure


def value(value_: object, measure: object = "", decimals: object = None, scale: bool = True) -> str:
    """A figure with its measure: 184.6亿元, 3.5万人, 7.5%, 37,500元."""
    if blank(value_):
        return "—"
    m = "" if blank(measure) else str(measure)
    d = decimals_for(m, decimals)
    x = float(value_)  # type: ignore[arg-type]
    if scale:
        x2, m2 = scaled(x, m)
        if m2 != m:
            x, m, d = x2, m2, max(d, 1)
    return f"{number(x, d)}{m}"


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
