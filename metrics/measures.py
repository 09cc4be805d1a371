"""Measure units written in headers (固定资产投资额（亿元）, 绝对额(万元)) and exact conversion.

Offices report the same figure in 万元 and 亿元; conversion is by a power of ten and done on the
decimal form of the number, so 12345.6 万元 becomes exactly 1.23456 亿元, not 1.2345600000000001.
"""

from __future__ import annotations

import re
from decimal import Decimal

from metrics.text import match_key, normalize_label

_PREFIX = {"": 0, "十": 1, "百": 2, "千": 3, "万": 4, "十万": 5, "百万": 6, "千万": 7, "亿": 8}
_BASES = ("美元", "元", "人", "户", "个", "吨", "千瓦时", "辆", "家", "人次", "亩", "平方米", "公里")
_TRAILING_PAREN = re.compile(r"^(.*?)[\s]*\(([^()]*)\)\s*$")
_MEASURE_WORDS = re.compile(r"^(?:(?:计量)?单位[:：]?)?\s*(.+)$")
#: words that make a parenthesis a note about the figure (生产总值(亿元)（季度）), not its measure
_NOTE_HINTS = ("季", "月", "年", "旬", "周", "累计", "快报", "初步", "预计", "预测", "含", "不含", "注", "口径", "考核",
               "调度", "数据", "全口径", "同比", "比上年")


def _is_note(inner: str) -> bool:
    text = inner.replace(" ", "")
    return any(h in text for h in _NOTE_HINTS) and _decompose(normalize_measure(text)) is None and text not in ("%",)


def split_annotated(header: object) -> tuple[str, str | None, list[str]]:
    """An indicator header as offices annotate it: name, measure and notes, from any number of trailing
    parentheses. '生产总值(亿元) （季度）' -> ('生产总值', '亿元', ['季度']); '出口总额 (万美元)' ->
    ('出口总额', '万美元', [])."""
    text = normalize_label(header)
    measure: str | None = None
    notes: list[str] = []
    while m := _TRAILING_PAREN.match(text):
        inner = m[2].strip()
        if _is_note(inner) or (measure is not None and inner):
            notes.insert(0, inner)
        elif inner:
            words = _MEASURE_WORDS.match(inner)
            measure = normalize_measure(words[1]) if words else None
        text = m[1].strip()
    return text, measure, notes


def split_measure(header: object) -> tuple[str, str | None]:
    """'固定资产投资额（亿元）' -> ('固定资产投资额', '亿元'); no parentheses -> (text, None); notes such as
    （季度） are dropped here (split_annotated keeps them)."""
    name, measure, _ = split_annotated(header)
    return name, measure


_FULL_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def normalize_measure(measure: object) -> str:
    """Trimmed, full-width ASCII made half-width; superscripts kept (μg/m³ stays μg/m³ for display)."""
    text = "" if measure is None else str(measure).translate(_FULL_WIDTH).replace(" ", "").strip()
    return {"百分比": "%", "个百分点": "pp", "百分点": "pp"}.get(text, text)


def _decompose(measure: str) -> tuple[int, str] | None:
    for base in _BASES:
        if measure.endswith(base):
            prefix = measure[: -len(base)]
            if prefix in _PREFIX:
                return _PREFIX[prefix], base
    return None


def conversion_exponent(source: str | None, target: str) -> int | None:
    """Power of ten that turns a value in ``source`` into ``target``; None when they do not convert.

    A header without a measure, or with the catalog's own, converts by 10**0.
    """
    if source is None:
        return 0
    src, dst = normalize_measure(source), normalize_measure(target)
    if match_key(src) == match_key(dst) or src == "":
        return 0
    if {src, dst} <= {"%", "pp"}:
        return 0
    a, b = _decompose(src), _decompose(dst)
    if a is None or b is None or a[1] != b[1]:
        return None
    return a[0] - b[0]


def scale_exact(value: float, exponent: int) -> float:
    """value * 10**exponent on the shortest decimal form of value."""
    if exponent == 0 or value != value:
        return value
    return float(Decimal(repr(float(value))).scaleb(exponent))


def is_measure(text: object) -> bool:
    """Whether a text is a measure unit (亿元, 万美元, %, 人), as a ``单位：…`` note writes it."""
    measure = normalize_measure(text)
    return measure in ("%", "pp", "‰") or _decompose(measure) is not None
