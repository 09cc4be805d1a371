"""Measures users ask for beyond the assessment itself: 同比 (YoY), city totals, 短板 and projections.

Each function takes the indicator table of :func:`metrics.compute.indicator_table` (and, where last
year's figures are needed, the figures frame) and returns a frame aligned with it or keyed by
period/unit/indicator, so a page can show it beside the assessment's numbers.  The formulas are in
docs/metrics.md.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from metrics import periods as per
from metrics.compute import THRESHOLD_DIGITS, _codes_in
from metrics.ranking import round_half_up

KEY = ["period", "unit_code", "indicator_code"]
CITY_TYPE = "县市区"


def same_period_last_year(code: str) -> str | None:
    """The same period a year earlier (2021Q3 -> 2020Q3, 2021-09-D2 -> 2020-09-D2, 2021-W37 -> 2020-W37).

    For quarters, months and 旬 it ends on the same calendar date a year earlier (month ends stay month
    ends); a week
    compares with the same ISO week (a weekly indicator has figures on Sundays only), and week 53 has
    none in a 52-week year.
    """
    kind, year = per.kind(code), int(code[:4])
    if kind == "week":
        week = int(code[-2:])
        weeks = dt.date(year - 1, 12, 28).isocalendar().week
        return f"{year - 1}-W{week:02d}" if week <= weeks else None
    return f"{year - 1}{code[4:]}"


def last_period_of_year(code: str, year: int) -> str:
    """The last period of the same kind in ``year`` (its figures are that year's result)."""
    kind = per.kind(code)
    if kind == "quarter":
        return f"{year}Q4"
    if kind == "month":
        return f"{year}-12"
    if kind == "dekad":
        return f"{year}-12-D3"
    return f"{year}-W{dt.date(year, 12, 28).isocalendar().week:02d}"


def _day(code: str | None) -> float:
    return float((per.end_date(code) - dt.date(1970, 1, 1)).days) if code else np.nan


class _FigureIndex:
    """Actual values of the figures by (unit, indicator, date), for vectorised look-ups of the rows
    of an indicator table (codes are matched through their categories, not row by row)."""

    def __init__(self, figures: pd.DataFrame, table: pd.DataFrame) -> None:
        self.units = np.asarray(pd.Index(table["unit_code"].astype("category").cat.categories).astype(str))
        self.indicators = np.asarray(
            pd.Index(table["indicator_code"].astype("category").cat.categories).astype(str))
        frame = figures[figures["actual"].notna()] if len(figures) else figures
        if not len(frame):
            self.keys = np.zeros(0, np.int64)
            self.actual = np.zeros(0)
            return
        u = _codes_in(frame["unit_code"], self.units).astype(np.int64)
        i = _codes_in(frame["indicator_code"], self.indicators).astype(np.int64)
        day = pd.to_datetime(frame["date"]).to_numpy().astype("datetime64[D]").astype(np.int64)
        ok = (u >= 0) & (i >= 0)
        keys = self._key(u[ok], i[ok], day[ok])
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.actual = frame["actual"].to_numpy(dtype=np.float64)[ok][order]

    def _key(self, u: np.ndarray, i: np.ndarray, day: np.ndarray) -> np.ndarray:
        return (u * max(len(self.indicators), 1) + i) * 200_000 + (day + 50_000)

    def actual_at(self, table: pd.DataFrame, days: np.ndarray) -> np.ndarray:
        """The stored actual at each row's (unit, indicator) and day; NaN where none (or day is NaN)."""
        out = np.full(len(table), np.nan)
        if not self.keys.size:
            return out
        u = _codes_in(table["unit_code"], self.units).astype(np.int64)
        i = _codes_in(table["indicator_code"], self.indicators).astype(np.int64)
        ok = (u >= 0) & (i >= 0) & ~np.isnan(days)
        keys = self._key(u[ok], i[ok], days[ok].astype(np.int64))
        pos = np.minimum(np.searchsorted(self.keys, keys), self.keys.size - 1)
        out[ok] = np.where(self.keys[pos] == keys, self.actual[pos], np.nan)
        return out


def _per_period(table: pd.DataFrame, fn) -> np.ndarray:
    """A per-period value (computed once per distinct period code) for every row."""
    period = table["period"].astype("category")
    values = np.array([fn(str(c)) for c in period.cat.categories] + [None], dtype=object)
    codes = period.cat.codes.to_numpy()
    return values[np.where(codes < 0, len(values) - 1, codes)]


def yoy(table: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """同比 for every row of the indicator table (same index).

    Amounts: ``actual / last_year_actual - 1`` (empty when last year's is 0); rates:
    ``actual - last_year_actual`` in the indicator's own measure (pp for %).
    """
    index = _FigureIndex(figures, table)
    last_code = _per_period(table, same_period_last_year)
    last_day = _per_period(table, lambda c: _day(same_period_last_year(c))).astype(np.float64)
    last = index.actual_at(table, last_day)
    actual = table["actual"].to_numpy(dtype=np.float64)
    rate = (table["kind"].astype(str) == "rate").to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(last != 0, actual / last - 1, np.nan)
    change = np.where(rate, actual - last, ratio)
    return pd.DataFrame({
        "period": table["period"], "unit_code": table["unit_code"], "indicator_code": table["indicator_code"],
        "kind": table["kind"], "actual": actual, "last_year_period": last_code,
        "last_year_actual": last, "yoy": change,
        "yoy_unit": np.where(rate, "pp", "ratio"),
    }, index=table.index)


def projections(table: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Year-end projection of amount indicators, for every row of the indicator table (same index).

    Seasonal ``actual * last_year_end / last_year_same`` when last year's same-period and year-end
    actuals exist and the former is not 0; else the pace ``actual / expected_progress``.
    ``will_meet``: projection >= target (higher is better) or <= target (lower), on values rounded to
    6 decimals; empty without a projection or a target, and for a higher-is-better zero target.
    """
    index = _FigureIndex(figures, table)
    same_day = _per_period(table, lambda c: _day(same_period_last_year(c))).astype(np.float64)
    end_day = _per_period(table, lambda c: _day(last_period_of_year(c, int(c[:4]) - 1))).astype(np.float64)
    same = index.actual_at(table, same_day)
    end = index.actual_at(table, end_day)
    actual = table["actual"].to_numpy(dtype=np.float64)
    target = table["target"].to_numpy(dtype=np.float64)
    e = table["expected_progress"].to_numpy(dtype=np.float64)
    amount = (table["kind"].astype(str) == "amount").to_numpy()
    lower = (table["direction"].astype(str) == "lower").to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        pace = np.where(amount & (e > 0), actual / e, np.nan)
        seasonal_ok = amount & ~np.isnan(same) & ~np.isnan(end) & (same != 0) & ~np.isnan(actual)
        seasonal = np.where(seasonal_ok, actual * end / same, np.nan)
    projection = np.where(seasonal_ok, seasonal, pace)
    method = np.where(seasonal_ok, "seasonal", np.where(np.isnan(pace), None, "pace"))
    p6 = round_half_up(projection, THRESHOLD_DIGITS)
    t6 = round_half_up(target, THRESHOLD_DIGITS)
    meets = np.where(lower, p6 <= t6, p6 >= t6)
    unknown = np.isnan(projection) | np.isnan(target) | (~lower & (target == 0))
    return pd.DataFrame({
        "period": table["period"], "unit_code": table["unit_code"], "indicator_code": table["indicator_code"],
        "direction": table["direction"], "target": target, "actual": actual, "expected_progress": e,
        "last_year_same": np.where(amount, same, np.nan), "last_year_end": np.where(amount, end, np.nan),
        "pace_projection": pace, "seasonal_projection": seasonal, "projection": projection,
        "method": pd.array(method, dtype="str"),
        "will_meet": pd.array(np.where(unknown, None, meets), dtype="boolean"),
    }, index=table.index)


def city_totals(table: pd.DataFrame, indicators: pd.DataFrame, unit_type: str = CITY_TYPE) -> pd.DataFrame:
    """City-wide totals per period and indicator over the 县市区 units (sums in catalog order).

    Only amount indicators marked additive are summed; rates and non-additive amounts get a row with
    ``additive`` False and empty totals, so a page can say why there is no total.
    """
    rows = table[table["unit_type"].astype(str) == unit_type]
    if "additive" in indicators.columns:
        additive_of = {str(c): bool(a) if a is not None and a == a else True
                       for c, a in zip(indicators["code"], indicators["additive"], strict=True)}
    else:
        additive_of = {}
    keys = rows[["period", "indicator_code"]].astype(str)
    group = pd.MultiIndex.from_frame(keys)
    codes, uniq = pd.factorize(group)
    n = len(uniq)
    target = rows["target"].to_numpy(dtype=np.float64)
    actual = rows["actual"].to_numpy(dtype=np.float64)
    kind = rows["kind"].astype(str).to_numpy()

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=np.nan_to_num(values, nan=0.0), minlength=n)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=mask.astype(np.float64), minlength=n).astype(np.int64)

    first = pd.Series(np.arange(len(rows))).groupby(codes).first().to_numpy() if n else np.zeros(0, int)
    out = pd.DataFrame({
        "period": [p for p, _ in uniq], "indicator_code": [i for _, i in uniq],
        "indicator_name": rows["indicator_name"].astype(str).to_numpy()[first],
        "kind": kind[first],
        "units": count(np.ones(len(rows), bool)),
        "with_target": count(~np.isnan(target)),
        "reported": count(~np.isnan(actual)),
        "target": total(target), "actual": total(actual),
    })
    out["additive"] = [(k == "amount") and additive_of.get(c, True) for k, c in zip(out["kind"], out["indicator_code"], strict=True)]
    out.loc[~out["additive"], ["target", "actual"]] = np.nan
    out.loc[out["with_target"] == 0, "target"] = np.nan
    out.loc[out["reported"] == 0, "actual"] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        out["completion"] = np.where(out["target"] > 0, out["actual"] / out["target"], np.nan)
    out["complete"] = (out["reported"] == out["units"]) & (out["with_target"] == out["units"])
    return out


def shortfalls(table: pd.DataFrame) -> pd.DataFrame:
    """短板: rows where the unit is red, or ranks in the bottom third of its group
    (``rank > 2 * rank_of / 3`` when ``rank_of >= 3``), with the reason."""
    red = (table["status"].astype(str) == "red").to_numpy()
    rank = table["rank"].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    rank_of = table["rank_of"].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bottom = (rank_of >= 3) & (3 * rank > 2 * rank_of)   # integers: exact
    keep = red | bottom
    out = table.loc[keep].copy()
    out["red"] = red[keep]
    out["bottom"] = bottom[keep]
    out["reason"] = np.where(out["red"] & out["bottom"], "red+bottom", np.where(out["red"], "red", "bottom"))
    return out
