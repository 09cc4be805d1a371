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
    """督查事项 of the units in the bulletin's scope (found in or responsible), as of ``on``: open and
    overdue counts, items struck off within the period, and the carried items of the latest meeting
    held by ``on`` with how many meetings carried them."""
    if db_url is None:
        return Unavailable("未连接督查数据库，本期通报暂不列入督查事项。")
    from metrics import periods as per
    from metrics.supervision import meetings, queries
    from metrics.supervision.states import OPEN_STATES

    frame = queries.filter_items(queries.items(db_url, on=on), units=set(unit_codes))
    start = per.end_date(per.previous(period)) + dt.timedelta(days=1)
    end = per.end_date(period)
    opened = frame[frame["status"].isin(OPEN_STATES)]
    closed = frame[(frame["status"] == "已销号") & frame["closed_on"].map(lambda d: d is not None and start <= d <= end)]
    held = [m for m in meetings.meetings(db_url) if m["held_on"] <= on]
    carried = []
    if held:
        agenda = meetings.meeting(db_url, held[-1]["id"])["agenda"]
        codes = set(opened["code"])
        carried = [{"code": x["code"], "unit_code": x["responsible_unit"], "problem": x["problem"],
                    "leader": x["leader"], "times": x["times"]}
                   for x in agenda.get("carried", []) if x.get("code") in codes]
    items = [{"code": r.code, "unit_code": r.responsible_unit, "problem": r.problem, "leader": r.leader,
              "deadline": r.deadline, "state": r.status, "overdue": bool(r.overdue)} for r in opened.itertuples()]
    return SupervisionData(open=len(opened), overdue=int(opened["overdue"].sum()), closed=len(closed),
                           carried=carried, items=items)


def late_reports(db_url: str | None, period: str, unit_codes: list[str], on: dt.date,
                 missing_rows: pd.DataFrame, store_root: str | None = None,
                 as_of: int | None = None, figures: pd.DataFrame | None = None) -> ReportingData | Unavailable:
    """未按时报送 per unit: from the reporting calendar (metrics.reporting), the figures of every
    period ending within the bulletin's period that arrived after their due day (late) or had not
    arrived by ``on`` past it (missing); units with neither are left out.  Without the store (an
    older caller), the figures the engine has as 未报送.  ``figures``: the view the caller already
    holds (the dashboard's engine frame), so a province's figures are not read a second time."""
    if store_root is not None:
        from metrics.reporting import calendar
        from metrics.reporting.received import received_index
        from metrics.scheme import load_scheme
        from metrics.store import Store

        store = Store(store_root)
        version = store.latest_version() if as_of is None else int(as_of)
        units, indicators = store.catalog(version)
        if figures is None:
            figures = store.figures(version, codes=True, cache=False)
        owed = calendar.owed_in_period(units, indicators, figures, period,
                                       load_scheme(per_year(period)).section("reporting"))
        received = received_index(store, version, dates=owed["period_end"].unique())
        table = calendar.states(owed, received, on)
        table = table[table["unit_code"].isin(set(unit_codes))]
        counts = calendar.by_unit(table)
        counts = counts[(counts["late"] > 0) | (counts["missing"] > 0)]
        rows = [{"unit_code": r.unit_code, "unit_name": r.unit_name, "late": int(r.late), "missing": int(r.missing)}
                for r in counts.itertuples()]
        return ReportingData(rows=rows, source=f"按报送日历统计：本期各报送期的数据，收到日期晚于报送时限的计为迟报，"
                                               f"截至{on.year}年{on.month}月{on.day}日仍未收到的计为未报。")
    if missing_rows.empty:
        rows: list[dict] = []
    else:
        counts = missing_rows.groupby(["unit_code", "unit_name"], sort=False).size()
        rows = [{"unit_code": c, "unit_name": n, "late": None, "missing": int(k)} for (c, n), k in counts.items()]
    return ReportingData(rows=rows, source="未提供数据库，迟报情况暂不统计；下表为截至本数据版本应报未报的指标数。")


def per_year(period: str) -> int:
    return int(period[:4])


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
