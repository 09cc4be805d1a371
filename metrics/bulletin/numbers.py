"""Numbers in a bulletin as a Chinese office writes them, and the Excel formats that show the same.

The dashboard writes its figures by the same rules (``ui/fmt.py``; a test holds the two together):
half away from zero on the number as written, counts without decimals, 万元 becoming 亿元 once a
figure reaches 10,000, ratios as percentages with one decimal, composites with two.
"""

from __future__ import annotations

import math
from typing import Any

from metrics import precision
from metrics.bulletin.model import STATUS_WORDS, Column
from metrics.ranking import round_half_up


def missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):  # pd.NA
        return True


def places(measure: Any, decimals: Any = None) -> int:
    """The indicator's own decimals (catalog 小数位) when given, else by measure (metrics.precision)."""
    return precision.base_places(measure, decimals)


def plain(value: Any, decimals: int = 1) -> str:
    """1234.56 -> '1,234.6'; nothing -> '—'."""
    if missing(value):
        return "—"
    x = float(round_half_up(float(value), decimals)) + 0.0   # + 0.0: no "-0.0"
    return f"{x:,.{decimals}f}"


def figure(value: Any, measure: Any = "", decimals: Any = None) -> str:
    """A figure with its measure, in the larger unit an office would use: 184.6亿元, 3.5万人, 7.5%."""
    if missing(value):
        return "—"
    m = "" if missing(measure) else str(measure)
    x, m, _ = precision.scale(float(value), m)
    return plain(x, precision.places(x, m, decimals)) + m


def percent(ratio: Any, decimals: int = 1) -> str:
    return "—" if missing(ratio) else plain(100 * float(ratio), decimals) + "%"


def score(value: Any) -> str:
    return plain(value, 2)


def whole(value: Any) -> str:
    return "—" if missing(value) else str(int(value))


def rank_move(change: Any) -> str:
    """A rank change (previous − current, positive = up) in words: 上升2位 / 下降1位 / 持平."""
    if missing(change):
        return "—"
    c = int(change)
    return f"上升{c}位" if c > 0 else f"下降{-c}位" if c < 0 else "持平"


def cell_text(row: dict[str, Any], column: Column) -> str:
    """What a document shows in one cell."""
    value = row.get(column.key)
    kind = column.kind
    if kind == "text":
        return "—" if missing(value) else str(value)
    if kind == "int":
        return whole(value)
    if kind == "rank":
        return "—" if missing(value) else f"{int(value)}/{int(row['rank_of'])}"
    if kind == "score":
        return score(value)
    if kind == "pct":
        return percent(value)
    if kind == "change":
        return rank_move(value)
    if kind == "status":
        return "—" if missing(value) else STATUS_WORDS.get(str(value), str(value))
    if kind == "value":
        return figure(value, row.get("measure"), row.get("decimals"))
    raise ValueError(f"unknown column kind {kind!r}")


def excel_format(row: dict[str, Any], column: Column) -> str | None:
    """The number format that makes Excel show what :func:`cell_text` writes (None: general)."""
    kind = column.kind
    if kind in ("int", "rank"):
        return "0"
    if kind == "score":
        return "0.00"
    if kind == "pct":
        return "0.0%"
    if kind == "change":
        return '"上升"0"位";"下降"0"位";"持平"'
    if kind == "value":
        measure = "" if missing(row.get("measure")) else str(row.get("measure"))
        d = places(measure, row.get("decimals"))
        digits = "#,##0" + ("." + "0" * d if d else "")
        return digits + (f'"{measure}"' if measure else "")
    return None
