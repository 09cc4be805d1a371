"""Due days of the reporting calendar: when a figure of a period is due.

A rule is either a number of days after the period's end (``2`` → the 12th for a 旬 ending on the
10th) or ``次月N日`` (the N-th of the month after the period's end).  Defaults per frequency come from
the scheme's ``[reporting]`` section (metrics/scheme_sections/reporting.py); an indicator may override
them with the catalog's ``报送时限`` column.  Pure functions.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_NEXT_MONTH = re.compile(r"^次月\s*(\d{1,2})\s*[日号]?$")
_DAYS = re.compile(r"^(\d{1,3})\s*(?:天|日)?$")


@dataclass(frozen=True)
class DueRule:
    """``days`` after the period's end, or the ``day_of_next_month``-th of the next month."""

    days: int | None = None
    day_of_next_month: int | None = None

    def due(self, period_end: dt.date) -> dt.date:
        if self.day_of_next_month is not None:
            year, month = (period_end.year + 1, 1) if period_end.month == 12 else (period_end.year, period_end.month + 1)
            day = min(self.day_of_next_month, calendar.monthrange(year, month)[1])
            return dt.date(year, month, day)
        return period_end + dt.timedelta(days=self.days or 0)

    def text(self, lang: str = "zh") -> str:
        if self.day_of_next_month is not None:
            return f"次月{self.day_of_next_month}日" if lang == "zh" else f"day {self.day_of_next_month} of next month"
        return f"期末后{self.days}天" if lang == "zh" else f"{self.days} days after the period"


def parse_rule(value: object) -> DueRule | None:
    """``2``, ``2天``, ``次月5日`` → a rule; blank → None; anything else raises ValueError."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value) != int(value) or not 0 <= int(value) <= 366:
            raise ValueError(str(value))
        return DueRule(days=int(value))
    text = str(value).strip()
    if not text:
        return None
    m = _NEXT_MONTH.match(text)
    if m and 1 <= int(m.group(1)) <= 31:
        return DueRule(day_of_next_month=int(m.group(1)))
    m = _DAYS.match(text)
    if m and int(m.group(1)) <= 366:
        return DueRule(days=int(m.group(1)))
    raise ValueError(text)
