"""The reporting calendar (报送): on a date, for every unit, which figures were due, received on time,
received late, are missing, or are not yet due.

A figure is expected from a unit when its indicator applies to the unit's type, the period's end is
one of the indicator's reporting dates, and the unit has a target for it in that year (a department
without key projects owes no 重点项目完成投资).  The 市州 are left out: the province reports them.
It is due on its indicator's due day (``报送时限`` in the catalog, else the scheme's ``[reporting]``
default for its frequency).  It is received by the first store version supplying a non-blank actual
(metrics.reporting.received); on a date d it is:

- ``on_time`` (按时报送): received on or before its due day;
- ``late`` (逾期报送): received after its due day, by d;
- ``missing`` (未报送): nothing received by d, and d is past its due day;
- ``not_due`` (未到期): nothing received yet, and its due day is still to come.

Pure functions over frames; no Streamlit.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from metrics import periods as per
from metrics.reporting.rules import DueRule, parse_rule
from metrics.scheme_sections.reporting import DEFAULTS

STATES = ("on_time", "late", "missing", "not_due")
LEFT_OUT_TYPES = ("市州",)
WINDOWS = ("dekad", "month", "quarter", "year")
COLUMNS = ["unit_code", "unit_name", "unit_type", "indicator_code", "indicator_name", "frequency", "period",
           "period_end", "due", "received", "version", "time", "state"]


def dekad_start(day: dt.date) -> dt.date:
    """The first day of the 旬 holding ``day`` (1st, 11th or 21st)."""
    return day.replace(day=1 if day.day <= 10 else 11 if day.day <= 20 else 21)


def window_start(day: dt.date, window: str) -> dt.date:
    """The first day of the 旬 / month / quarter / year holding ``day``."""
    if window == "dekad":
        return dekad_start(day)
    if window == "month":
        return day.replace(day=1)
    if window == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if window == "year":
        return dt.date(day.year, 1, 1)
    raise ValueError(window)


def period_codes(frequency: str, first: dt.date, last: dt.date) -> list[str]:
    """Codes of one frequency whose period ends between ``first`` and ``last`` (inclusive)."""
    out: list[str] = []
    for year in range(first.year, last.year + 1):
        if frequency == "quarter":
            codes = [per.quarter_code(year, q) for q in range(1, 5)]
        elif frequency == "month":
            codes = [f"{year}-{m:02d}" for m in range(1, 13)]
        elif frequency == "dekad":
            codes = [f"{year}-{m:02d}-D{k}" for m in range(1, 13) for k in (1, 2, 3)]
        elif frequency == "week":
            weeks = dt.date(year, 12, 28).isocalendar()[1]
            codes = [f"{year}-W{w:02d}" for w in range(1, weeks + 1)]
        else:
            codes = []
        out += [c for c in codes if first <= per.end_date(c) <= last]
    return out


def due_rules(indicators: pd.DataFrame, settings: Mapping | None = None) -> dict[str, DueRule]:
    """Each indicator's due rule: its catalog override, else its frequency's default."""
    defaults = {**DEFAULTS, **(settings or {})}
    rules = {}
    override = indicators["due"] if "due" in indicators.columns else pd.Series("", index=indicators.index)
    for code, freq, own in zip(indicators["code"], indicators["frequency"], override, strict=True):
        rule = None
        if isinstance(own, str) and own.strip():
            rule = parse_rule(own)
        rules[str(code)] = rule or parse_rule(defaults.get(str(freq), DEFAULTS["quarter"]))
    return rules


def _targets(figures: pd.DataFrame) -> pd.DataFrame:
    """(unit, indicator, year) -> the first day a target was given that year."""
    f = figures[figures["target"].notna()]
    if f.empty:
        return pd.DataFrame(columns=["unit_code", "indicator_code", "year", "first_target"])
    d = pd.to_datetime(f["date"])
    return (pd.DataFrame({"unit_code": f["unit_code"].astype(str).to_numpy(),
                          "indicator_code": f["indicator_code"].astype(str).to_numpy(),
                          "year": d.dt.year.to_numpy(), "first_target": d.dt.date.to_numpy()})
            .groupby(["unit_code", "indicator_code", "year"], as_index=False)["first_target"].min())


def expected(units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame, rules: Mapping[str, DueRule],
             first_end: dt.date, last_end: dt.date) -> pd.DataFrame:
    """Every figure owed with its period ending between the two dates, with its due day."""
    u = units[~units["type"].isin(LEFT_OUT_TYPES)]
    parts = []
    for ind in indicators.itertuples(index=False):
        codes = period_codes(str(ind.frequency), first_end, last_end)
        owing = u[u["type"].isin(list(ind.applies_to))]
        if not codes or owing.empty:
            continue
        rule = rules[str(ind.code)]
        ends = [per.end_date(c) for c in codes]
        frame = pd.DataFrame({"period": np.repeat(codes, len(owing)),
                              "period_end": np.repeat(np.array(ends, dtype=object), len(owing)),
                              "unit_code": np.tile(owing["code"].astype(str).to_numpy(), len(codes)),
                              "unit_name": np.tile(owing["name"].astype(str).to_numpy(), len(codes)),
                              "unit_type": np.tile(owing["type"].astype(str).to_numpy(), len(codes))})
        frame["indicator_code"] = str(ind.code)
        frame["indicator_name"] = str(ind.name)
        frame["frequency"] = str(ind.frequency)
        frame["due"] = [rule.due(e) for e in frame["period_end"]]
        parts.append(frame)
    if not parts:
        return pd.DataFrame(columns=[c for c in COLUMNS if c not in ("received", "version", "time", "state")])
    out = pd.concat(parts, ignore_index=True)
    targets = _targets(figures)
    out["year"] = [e.year for e in out["period_end"]]
    out = out.merge(targets, on=["unit_code", "indicator_code", "year"], how="inner")
    out = out[out["first_target"] <= out["period_end"]]
    return out.drop(columns=["year", "first_target"]).reset_index(drop=True)


def states(owed: pd.DataFrame, received: pd.DataFrame, on: dt.date) -> pd.DataFrame:
    """``owed`` (from :func:`expected`) with received day, version, time and state as of ``on``."""
    rec = received.rename(columns={"date": "period_end"}).copy()
    rec["period_end"] = [d.date() if hasattr(d, "date") else d for d in pd.to_datetime(rec["period_end"])]
    out = owed.merge(rec[["period_end", "unit_code", "indicator_code", "version", "received", "time"]],
                     on=["period_end", "unit_code", "indicator_code"], how="left")
    got = out["received"].notna() & (out["received"].map(lambda r: r is not None and r == r and r <= on))
    out.loc[~got, ["received", "version", "time"]] = None
    late = got & (out["received"].map(lambda r: r if r == r and r is not None else dt.date.max) > out["due"])
    state = np.where(got & ~late, "on_time", np.where(late, "late", np.where(
        out["due"].map(lambda d: d < on), "missing", "not_due")))
    out["state"] = state
    return out[COLUMNS].sort_values(["unit_type", "unit_code", "due", "indicator_code"], kind="stable"
                                    ).reset_index(drop=True)


def on_date(units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame, received: pd.DataFrame,
            on: dt.date, window: str = "dekad", settings: Mapping | None = None) -> pd.DataFrame:
    """The figures whose due day falls in the window (本旬/本月/本季度/本年) up to ``on``, and those
    whose period has ended but are not due yet, each with its state as of ``on``."""
    rules = due_rules(indicators, settings)
    since = window_start(on, window)
    owed = expected(units, indicators, figures, rules, since - dt.timedelta(days=100), on)
    keep = ((owed["due"] >= since) & (owed["due"] <= on)) | (owed["due"] > on)
    return states(owed[keep].reset_index(drop=True), received, on)


def in_period(units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame, received: pd.DataFrame,
              period: str, on: dt.date, settings: Mapping | None = None) -> pd.DataFrame:
    """The figures of every period ending within ``period`` (a quarter: its months, 旬 and itself),
    with their state as of ``on`` (the bulletin's 未按时报送)."""
    end = per.end_date(period)
    k = per.kind(period)
    if k == "quarter":
        start = dt.date(end.year, end.month - 2, 1)
    elif k == "month":
        start = end.replace(day=1)
    elif k == "dekad":
        start = dekad_start(end)
    else:
        start = end - dt.timedelta(days=6)
    owed = expected(units, indicators, figures, due_rules(indicators, settings), start, end)
    return states(owed, received, on)


def by_unit(table: pd.DataFrame) -> pd.DataFrame:
    """Per unit: figures due, on time, late, missing, not yet due."""
    if table.empty:
        return pd.DataFrame(columns=["unit_code", "unit_name", "unit_type", "due", *STATES])
    counts = pd.crosstab(table["unit_code"], table["state"]).reindex(columns=list(STATES), fill_value=0)
    first = table.drop_duplicates("unit_code").set_index("unit_code")
    out = pd.DataFrame({"unit_code": counts.index, "unit_name": first.loc[counts.index, "unit_name"].to_numpy(),
                        "unit_type": first.loc[counts.index, "unit_type"].to_numpy()})
    for s in STATES:
        out[s] = counts[s].to_numpy().astype(int)
    out["due"] = out["on_time"] + out["late"] + out["missing"]
    order = {t: i for i, t in enumerate(("县市区", "市直部门", "园区", "乡镇"))}
    out["_o"] = out["unit_type"].map(order).fillna(9)
    out = out.sort_values(["_o", "unit_code"], kind="stable").drop(columns="_o")
    return out[["unit_code", "unit_name", "unit_type", "due", *STATES]].reset_index(drop=True)


def not_on_time_units(table: pd.DataFrame) -> list[str]:
    """Codes of the units with at least one late or missing figure (the overview's card)."""
    bad = table[table["state"].isin(["late", "missing"])]
    return list(dict.fromkeys(bad["unit_code"]))


def default_date(figures: pd.DataFrame, today: dt.date) -> dt.date:
    """The date the 报送 page and card open on: today, or, for a store whose figures stop earlier
    (the demo ends in 2021), ten days after its last period's end (that period's reporting round)."""
    if figures.empty:
        return today
    last = pd.to_datetime(figures["date"]).max().date()
    return min(today, last + dt.timedelta(days=10))


def last_day_of_month(day: dt.date) -> dt.date:
    return day.replace(day=cal.monthrange(day.year, day.month)[1])
