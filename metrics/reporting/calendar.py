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


def _codes(col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(integer code per row, texts): a categorical's own codes, anything else factorised."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return col.cat.codes.to_numpy().astype("int64"), col.cat.categories.astype(str).to_numpy(dtype=object)
    codes, uniques = pd.factorize(col.astype(str))
    return codes.astype("int64"), np.asarray(uniques, dtype=object)


def _targets(figures: pd.DataFrame) -> pd.DataFrame:
    """(unit, indicator, year) -> the first day a target was given that year (datetime64).
    One int64 key per row from the frame's own codes and a group-wise min: no text or date per row."""
    mask = figures["target"].notna().to_numpy()
    if not mask.any():
        return pd.DataFrame({"unit_code": pd.Series(dtype=str), "indicator_code": pd.Series(dtype=str),
                             "year": pd.Series(dtype="int64"), "first_target": pd.Series(dtype="datetime64[ns]")})
    u, unames = _codes(figures["unit_code"])
    i, inames = _codes(figures["indicator_code"])
    d = pd.to_datetime(figures["date"]).to_numpy().astype("datetime64[ns]")
    u, i, d = u[mask], i[mask], d[mask]
    year = d.astype("datetime64[Y]").astype("int64") + 1970
    ni = len(inames) + 1
    key = ((u + 1) * ni + (i + 1)) * 10_000 + year
    first = pd.Series(d.view("int64")).groupby(key, sort=False).min()
    k = first.index.to_numpy()
    year_k, ui = k % 10_000, k // 10_000
    uk, ik = ui // ni - 1, ui % ni - 1
    ok = (uk >= 0) & (ik >= 0)
    return pd.DataFrame({"unit_code": unames[uk[ok]], "indicator_code": inames[ik[ok]], "year": year_k[ok],
                         "first_target": first.to_numpy()[ok].view("datetime64[ns]")})


def expected(units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame, rules: Mapping[str, DueRule],
             first_end: dt.date, last_end: dt.date, keep_due=None) -> pd.DataFrame:
    """Every figure owed with its period ending between the two dates, with its due day.
    ``keep_due`` (a test on a due day) leaves out the periods whose due day fails it before any row is
    made: due days depend on the indicator and period only, so a province's millions of (unit,
    indicator, period) rows are never built for a 旬's calendar."""
    frame = _expected64(units, indicators, figures, rules, first_end, last_end, keep_due)
    frame["period_end"] = frame["period_end"].dt.date
    frame["due"] = frame["due"].dt.date
    return frame


def _expected64(units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame, rules: Mapping[str, DueRule],
                first_end: dt.date, last_end: dt.date, keep_due=None) -> pd.DataFrame:
    """:func:`expected` with period_end and due as datetime64 (the form the states are computed in).
    Built as integer positions (unit, indicator, period) and joined to the targets on one int64 key;
    text is taken once, at the end."""
    u = units[~units["type"].isin(LEFT_OUT_TYPES)].reset_index(drop=True)
    ucode = u["code"].astype(str).to_numpy(dtype=object)
    owing_of: dict[tuple, np.ndarray] = {}
    uidx, iidx, pidx, ends64, dues64 = [], [], [], [], []
    periods: dict[str, int] = {}
    for k, ind in enumerate(indicators.itertuples(index=False)):
        codes = period_codes(str(ind.frequency), first_end, last_end)
        applies = tuple(ind.applies_to)
        if applies not in owing_of:
            owing_of[applies] = np.flatnonzero(u["type"].isin(list(applies)).to_numpy())
        owing = owing_of[applies]
        if not codes or not len(owing):
            continue
        rule = rules[str(ind.code)]
        ends = [per.end_date(c) for c in codes]
        dues = [rule.due(e) for e in ends]
        if keep_due is not None:
            chosen = [j for j, d in enumerate(dues) if keep_due(d)]
            codes, ends, dues = [codes[j] for j in chosen], [ends[j] for j in chosen], [dues[j] for j in chosen]
            if not codes:
                continue
        n = len(owing)
        uidx.append(np.tile(owing, len(codes)))
        iidx.append(np.full(n * len(codes), k, dtype="int64"))
        pidx.append(np.repeat(np.array([periods.setdefault(c, len(periods)) for c in codes], dtype="int64"), n))
        ends64.append(np.repeat(np.array(ends, dtype="datetime64[ns]"), n))
        dues64.append(np.repeat(np.array(dues, dtype="datetime64[ns]"), n))
    if not uidx:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c in ("period_end", "due") else object)
                             for c in COLUMNS if c not in ("received", "version", "time", "state")})
    ui, ii, end, due = (np.concatenate(uidx), np.concatenate(iidx), np.concatenate(ends64), np.concatenate(dues64))
    pi = np.concatenate(pidx)
    # the unit's first target of the period's year, by one integer key (unit, indicator, year)
    icode = indicators["code"].astype(str).to_numpy(dtype=object)
    targets = _targets(figures)
    tu = pd.Index(ucode).get_indexer(targets["unit_code"].astype(str))
    ti = pd.Index(icode).get_indexer(targets["indicator_code"].astype(str))
    ok = (tu >= 0) & (ti >= 0)
    n_i = len(icode)
    tkey = ((tu[ok] * n_i + ti[ok]) * 10_000 + targets["year"].to_numpy()[ok]).astype("int64")
    tfirst = targets["first_target"].to_numpy()[ok]
    order = np.argsort(tkey, kind="stable")
    tkey, tfirst = tkey[order], tfirst[order]
    year = end.astype("datetime64[Y]").astype("int64") + 1970
    key = (ui.astype("int64") * n_i + ii) * 10_000 + year
    pos = np.searchsorted(tkey, key)
    pos_c = np.minimum(pos, max(len(tkey) - 1, 0))
    found = (pos < len(tkey)) & (tkey[pos_c] == key) if len(tkey) else np.zeros(len(key), dtype=bool)
    keep = found & (tfirst[pos_c] <= end) if len(tkey) else found
    ui, ii, pi, end, due = ui[keep], ii[keep], pi[keep], end[keep], due[keep]
    plist = np.array(list(periods), dtype=object)
    return pd.DataFrame({
        "period": plist[pi], "period_end": end, "unit_code": ucode[ui],
        "unit_name": u["name"].astype(str).to_numpy(dtype=object)[ui],
        "unit_type": u["type"].astype(str).to_numpy(dtype=object)[ui], "indicator_code": icode[ii],
        "indicator_name": indicators["name"].astype(str).to_numpy(dtype=object)[ii],
        "frequency": indicators["frequency"].astype(str).to_numpy(dtype=object)[ii], "due": due})


def states(owed: pd.DataFrame, received: pd.DataFrame, on: dt.date) -> pd.DataFrame:
    """``owed`` (from :func:`expected`) with received day, version, time and state as of ``on``.
    The received index is narrowed to the owed keys first (it holds every figure ever received)."""
    owed = owed.copy()
    owed["period_end"] = pd.to_datetime(owed["period_end"]).astype("datetime64[ns]")
    owed["due"] = pd.to_datetime(owed["due"]).astype("datetime64[ns]")
    rec = received
    if len(rec) and len(owed):
        ends = pd.to_datetime(rec["date"])
        mask = (ends.isin(owed["period_end"].unique()) & rec["unit_code"].isin(owed["unit_code"].unique())
                & rec["indicator_code"].isin(owed["indicator_code"].unique())).to_numpy()
        rec = rec[mask]
    rec = pd.DataFrame({"period_end": pd.to_datetime(rec["date"]).astype("datetime64[ns]").to_numpy(),
                        "unit_code": rec["unit_code"].astype(str).to_numpy(),
                        "indicator_code": rec["indicator_code"].astype(str).to_numpy(),
                        "version": rec["version"].to_numpy(), "received": rec["received"].astype(object).to_numpy(),
                        "time": rec["time"].astype(object).to_numpy()})
    out = owed.merge(rec, on=["period_end", "unit_code", "indicator_code"], how="left")
    day = pd.Timestamp(on)
    got_day = pd.to_datetime(out["received"])
    got = (got_day.notna() & (got_day <= day)).to_numpy()
    out.loc[~got, ["received", "version", "time"]] = None
    late = got & (got_day > out["due"]).to_numpy()
    out["state"] = np.where(got & ~late, "on_time", np.where(late, "late", np.where(
        (out["due"] < day).to_numpy(), "missing", "not_due")))
    out = out[COLUMNS].sort_values(["unit_type", "unit_code", "due", "indicator_code"], kind="stable"
                                   ).reset_index(drop=True)
    out["period_end"] = out["period_end"].dt.date
    out["due"] = out["due"].dt.date
    return out


def owed_on(units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame, on: dt.date,
            window: str = "dekad", settings: Mapping | None = None) -> pd.DataFrame:
    """The figures :func:`on_date` reports, before their states (period_end and due as datetime64):
    their period ends say which part of the received index is needed."""
    rules = due_rules(indicators, settings)
    since = window_start(on, window)
    return _expected64(units, indicators, figures, rules, since - dt.timedelta(days=100), on,
                       keep_due=lambda d: since <= d <= on or d > on)


def on_date(units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame, received: pd.DataFrame,
            on: dt.date, window: str = "dekad", settings: Mapping | None = None) -> pd.DataFrame:
    """The figures whose due day falls in the window (本旬/本月/本季度/本年) up to ``on``, and those
    whose period has ended but are not due yet, each with its state as of ``on``."""
    return states(owed_on(units, indicators, figures, on, window, settings), received, on)


def owed_in_period(units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame, period: str,
                   settings: Mapping | None = None) -> pd.DataFrame:
    """The figures :func:`in_period` reports, before their states."""
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
    return _expected64(units, indicators, figures, due_rules(indicators, settings), start, end)


def in_period(units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame, received: pd.DataFrame,
              period: str, on: dt.date, settings: Mapping | None = None) -> pd.DataFrame:
    """The figures of every period ending within ``period`` (a quarter: its months, 旬 and itself),
    with their state as of ``on`` (the bulletin's 未按时报送)."""
    return states(owed_in_period(units, indicators, figures, period, settings), received, on)


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
