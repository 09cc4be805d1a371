"""Sections that come from other features, each behind one small function with a fixed contract.

A provider returns its data, or an :class:`Unavailable` saying why the section is left out; the
bulletin then prints that sentence instead of the section's body, so a reader never mistakes a
missing feature for "nothing to report".  Contracts:

* :func:`supervision` → :class:`SupervisionData` (督查事项: open, overdue, struck off in the period,
  carried-over items with how many meetings carried them).  Source: the supervision ledger.
* :func:`late_reports` → :class:`ReportingData` (未按时报送: per unit, figures received late and
  missing at the bulletin's date).  Source: the reporting calendar.
* :func:`annual_grades` → a frame ``unit_code, unit_name, unit_type, group, final, rank, grade`` for
  the year of a Q4 bulletin.  Source: the annual assessment.
* :func:`lock_period` (called inside the issuing transaction) → True when the period was locked.
  Source: the accounts feature's period lock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from metrics.writes import Write


@dataclass(frozen=True)
class Unavailable:
    reason: str


@dataclass
class SupervisionData:
    open: int
    overdue: int
    closed: int                                  # struck off (已销号) within the bulletin's period
    carried: list[dict] = field(default_factory=list)   # code, unit_name, problem, leader, times
    items: list[dict] = field(default_factory=list)     # code, unit_name, problem, leader, deadline, state


@dataclass
class ReportingData:
    rows: list[dict]            # unit_code, unit_name, late, missing (counts of figures)
    source: str                 # a sentence on what the counts mean


def supervision(db_url: str | None, period: str, unit_codes: list[str], on: dt.date) -> SupervisionData | Unavailable:
    """督查事项 of the units in the bulletin's scope, as of ``on``."""
    return Unavailable("督查台账功能尚未启用，本期通报暂不列入督查事项（开展中、逾期、本期销号及结转事项）。")


def late_reports(db_url: str | None, period: str, unit_codes: list[str], on: dt.date,
                 missing_rows: pd.DataFrame) -> ReportingData | Unavailable:
    """未按时报送 per unit.  Until the reporting calendar exists, what the engine knows: the figures
    each unit has not reported for this period as of the store version (no lateness: without due
    days and received dates nothing can be called late)."""
    if missing_rows.empty:
        rows: list[dict] = []
    else:
        counts = missing_rows.groupby(["unit_code", "unit_name"], sort=False).size()
        rows = [{"unit_code": c, "unit_name": n, "late": None, "missing": int(k)} for (c, n), k in counts.items()]
    return ReportingData(rows=rows, source="报送日历功能尚未启用，迟报情况暂不统计；下表为截至本数据版本应报未报的指标数。")


def annual_grades(ctx, db_url: str | None, on: dt.date) -> pd.DataFrame | Unavailable:
    """The year's grades (优秀 … 较差) for the 表彰/通报批评 lists of an annual (Q4) bulletin: the
    composites of the bulletin's store version and the 加扣分事项 in force at the end of its date."""
    from metrics.assessment import annual
    from metrics.assessment.service import events_as_of

    if db_url is None or ctx.figures is None:
        return Unavailable("未连接考核数据库，表彰和通报批评按本期综合得分排名列出。")
    year = int(ctx.period[:4])
    try:
        events = events_as_of(db_url, annual.end_of_day(on), year)
        return annual.compute(ctx.units, ctx.indicators, ctx.figures, events, year)
    except annual.NoResult as missing:
        return Unavailable(missing.zh + "；表彰和通报批评按本期综合得分排名列出。")


def lock_period(w: Write, period: str) -> bool:
    """Lock ``period`` in the issuing transaction (a published 通报's figures must not change under the
    meeting's feet): True when the period is locked afterwards, False when the issuer may not lock."""
    from metrics import period_lock

    if not w.actor.may("periods.lock"):
        return False
    period_lock.lock_in(w, period, reason="通报签发")
    return True
