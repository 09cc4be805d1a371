"""Deadlines as offices write them: ``2021年6月30日``, ``2021-06-30``, ``（2021年12月31日前）``,
``6月底``, ``年底``, a date cell.  Undated text (``长期坚持``) is no date."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from metrics.sheets.common import cell_text

_FULL = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(前|之前)?")
_MONTH_END = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(底|末|份?前|份)")
_YEAR_END = re.compile(r"(?:(\d{4})\s*年\s*)?(年底|年末|年内)")


def parse_deadline(value: object, year: int | None) -> dt.date | None:
    """The date written, or None when there is none; raises ValueError on an impossible date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = (cell_text(value) or "").strip()
    if not text:
        return None
    m = _FULL.search(text)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = _MONTH_END.search(text)
    if m:
        y = int(m[1]) if m[1] else year
        if y is None:
            raise ValueError("no year")
        month = int(m[2])
        return dt.date(y, month, calendar.monthrange(y, month)[1])
    m = _YEAR_END.search(text)
    if m:
        y = int(m[1]) if m[1] else year
        if y is None:
            raise ValueError("no year")
        return dt.date(y, 12, 31)
    return None


_TRAILING = re.compile(r"[（(]\s*([^（）()]*?\d[^（）()]*?)\s*[)）]\s*$")


def split_requirement(text: str, year: int | None) -> tuple[str, dt.date | None]:
    """``完成项目入库（2021年12月31日前）`` → (``完成项目入库``, 2021-12-31)."""
    m = _TRAILING.search(text)
    if m:
        due = parse_deadline(m[1], year)
        if due is not None:
            return text[:m.start()].strip(), due
    return text.strip(), None


def split_requirements(cell: object) -> list[str]:
    """Several requirements in one cell: separated by line breaks or ``；``; leading 1. / （1） dropped."""
    text = "" if cell is None else str(cell)
    parts = re.split(r"[\n\r；;]+", text)
    out = []
    for part in parts:
        part = cell_text(part) or ""
        part = re.sub(r"^\s*(?:[（(]?\d{1,2}[)）.、．]|[①-⑳])\s*", "", part).strip()
        if part:
            out.append(part)
    return out


def plain(value: object) -> str:
    """A person's text as written (trimmed, inner runs of spaces kept, line breaks as spaces)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).replace("\r", "\n").split("\n")).strip()
