"""Dates of the supervision: whole days in the city's time zone; 逾期 and "feedback due" derived from
deadlines each time they are asked, never stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from metrics.supervision.states import DUTY_STATES, OPEN_STATES

CITY_TZ = ZoneInfo("Asia/Shanghai")


def today() -> dt.date:
    """Today in the city (a write at 01:30 Beijing time is that day, whatever the server's zone)."""
    return dt.datetime.now(CITY_TZ).date()


def city_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(CITY_TZ).date()


def is_overdue(status: str, deadline: dt.date, requirements: Iterable[tuple[dt.date, bool]], on: dt.date) -> bool:
    """逾期 on ``on``: open and the overall deadline is before that day, or an undone requirement's is."""
    if status not in OPEN_STATES:
        return False
    if deadline < on:
        return True
    return any(not done and due < on for due, done in requirements)


def feedback_anchor(opened_on: dt.date, feedback_days: Iterable[dt.date], returned_days: Iterable[dt.date]) -> dt.date:
    """The latest of opening, last feedback and last return to 整改中."""
    return max([opened_on, *feedback_days, *returned_days])


def feedback_due(status: str, anchor: dt.date, every_days: int) -> dt.date | None:
    """The day the next feedback is due, or None when the item owes none (not 挂账/整改中)."""
    if status not in DUTY_STATES:
        return None
    return anchor + dt.timedelta(days=every_days)


def feedback_overdue(status: str, anchor: dt.date, every_days: int, on: dt.date) -> bool:
    due = feedback_due(status, anchor, every_days)
    return due is not None and due < on


def urge_label(level: int, lang: str = "zh") -> str:
    """一次催办, 二次催办, then 约谈 from the third on (levels never reset)."""
    if level <= 0:
        return ""
    if lang == "en":
        return {1: "first reminder", 2: "second reminder"}.get(level, "interview with the leader")
    return {1: "一次催办", 2: "二次催办"}.get(level, "约谈")
