"""The tables the dashboard's pages show, built from the engine's results (pure functions).

Every number here comes from metrics.compute (one row per period, unit and expected indicator, and
one per period and unit); this module only selects, joins and reshapes, plus the few derived
measures the pages need (YoY, year-end projection, shortfalls, city totals, province ranks) by the
formulas of the domain reference.  No Streamlit: ui.cache calls these with read-only frames and
keeps the small results.

Column names stay in English; ui/ translates headers and formats values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa

from metrics import derive
from metrics import periods as per
from metrics.compute import Results

ASSESSED_TYPES = ("县市区", "市直部门", "园区", "乡镇")   # the city's own assessment (市考)
RANKED_TYPES = ("县市区", "市直部门", "园区")            # the ones filters and rankings list
PROVINCE_TYPE = "市州"
COUNTY_TYPE = "县市区"
TOWN_TYPE = "乡镇"
STATUS_SEVERITY = {"red": 0, "missing": 1, "yellow": 2, "green": 3, "no_target": 4}
PROVENANCE = ["actual_version", "actual_file", "actual_sheet", "actual_row",
              "target_version", "target_file", "target_sheet", "target_row"]
FIGURE_COLUMNS = ["unit_code", "unit_name", "unit_type", "group", "indicator_code", "indicator_name",
                  "category", "measure", "decimals", "kind", "direction", "target", "milestone", "actual",
                  "expected_progress", "completion", "attainment", "gap_pp", "status", "rank", "rank_of",
                  "score", "weight"]
MATRIX_LIMIT = 60   # rows of a status matrix before it stops being readable


@dataclass
class Context:
    """What one page needs: the catalog, the period's results, the previous period's, and the
    history of the same kind of period (loaded only when a view asks for it)."""

    units: pd.DataFrame
    indicators: pd.DataFrame
    period: str
    now: Results
    prev: Results
    figures: pd.DataFrame | None = field(default=None, repr=False)   # the store's view (YoY, projection)
    hist_loader: Callable[[], Results] | None = field(default=None, repr=False)

    @cached_property
    def hist(self) -> Results:
        if self.hist_loader is None:
            return self.now
        return self.hist_loader()

    @cached_property
    def ind_meta(self) -> pd.DataFrame:
        meta = self.indicators.set_index("code")
        out = pd.DataFrame(index=meta.index)
        out["category"] = meta.get("category", pd.Series("", index=meta.index)).fillna("").astype(str)
        out["measure"] = meta.get("measure", pd.Series("", index=meta.index)).fillna("").astype(str)
        out["decimals"] = (pd.to_numeric(meta["decimals"], errors="coerce") if "decimals" in meta
                           else pd.Series(np.nan, index=meta.index))
        out["lead"] = meta.get("lead", pd.Series("", index=meta.index)).fillna("").astype(str)
        out["additive"] = meta.get("additive", pd.Series(False, index=meta.index)).fillna(False).astype(bool)
        out["order"] = np.arange(len(meta))
        return out

    @cached_property
    def unit_meta(self) -> pd.DataFrame:
        u = self.units.set_index("code")
        out = pd.DataFrame(index=u.index)
        out["name"] = u["name"].astype(str)
        out["type"] = u["type"].astype(str)
        out["group"] = [g if isinstance(g, str) and g else t for g, t in zip(u["group"], u["type"], strict=True)]
        out["parent"] = u.get("parent", pd.Series("", index=u.index)).fillna("").astype(str)
        out["order"] = np.arange(len(u))
        return out


# ---------------------------------------------------------------------------------------------------
# periods and scope


def period_options(figures: pd.DataFrame) -> list[str]:
    """The periods the store can show: every code a sheet wrote, plus the quarter of each quarter end
    (figures of 2021-09 are those of 2021Q3).  Oldest first; a quarter before the month it ends with."""
    if figures.empty:
        return []
    codes = set(pd.unique(figures["period"].astype(str)))
    for code in list(codes):
        day = per.end_date(code)
        if per.is_month_end(day) and day.month % 3 == 0:
            codes.add(per.quarter_code(day.year, day.month // 3))
    return sorted(codes, key=per.sort_key)


def default_period(options: list[str]) -> str | None:
    """The latest end date; at that date the longest period (a quarter before its month)."""
    if not options:
        return None
    last = max(per.end_date(c) for c in options)
    same = [c for c in options if per.end_date(c) == last]
    return min(same, key=lambda c: per.KINDS.index(per.kind(c)))


def years(options: list[str]) -> list[int]:
    return sorted({per.year_of(c) for c in options}, reverse=True)


def trend_periods(options: list[str], period: str) -> tuple[str, ...]:
    """Periods of the same kind as ``period``, last year and this year, up to it (plus the period)."""
    kind, year, end = per.kind(period), per.year_of(period), per.end_date(period)
    codes = {c for c in options if per.kind(c) == kind and per.year_of(c) in (year - 1, year)
             and per.end_date(c) <= end}
    codes.add(period)
    return tuple(sorted(codes, key=per.sort_key))


def group_options(units: pd.DataFrame) -> list[str]:
    """Ranking groups the filter offers, as 'type/group' (towns are reached through their county)."""
    out = []
    for t in RANKED_TYPES:
        sub = units[units["type"] == t]
        for g in dict.fromkeys(_groups(sub)):
            out.append(f"{t}/{g}")
    return out


def _groups(units: pd.DataFrame) -> list[str]:
    return [g if isinstance(g, str) and g else t for g, t in zip(units["group"], units["type"], strict=True)]


def split_group(group: str | None) -> tuple[str | None, str | None]:
    if not group or "/" not in group:
        return None, None
    t, g = group.split("/", 1)
    return t, g


def unit_options(units: pd.DataFrame, group: str | None = None, types: tuple[str, ...] = RANKED_TYPES) -> list[str]:
    """Unit codes the unit filter offers (catalog order), narrowed to a group when one is chosen."""
    t, g = split_group(group)
    mask = units["type"].isin(types)
    if t:
        mask &= (units["type"] == t) & (pd.Series(_groups(units), index=units.index) == g)
    return units.loc[mask, "code"].astype(str).tolist()


def city_code(units: pd.DataFrame) -> str | None:
    """The 市州 that is this city: the one whose adcode prefix the county codes share, else the
    市州 whose name the counties' parent or the catalog names; None when the catalog has no 市州."""
    prefs = units[units["type"] == PROVINCE_TYPE]
    if prefs.empty:
        return None
    counties = units.loc[units["type"] == COUNTY_TYPE, "code"].astype(str)
    if len(counties):
        prefix = counties.str[:4].mode()
        if len(prefix):
            hit = prefs[prefs["code"].astype(str) == prefix.iloc[0] + "00"]
            if len(hit):
                return str(hit["code"].iloc[0])
    return None


# ---------------------------------------------------------------------------------------------------
# helpers on the engine's indicator table


def _plain_text(col: pd.Series) -> pd.Series:
    """A categorical as text, what ``astype(str)`` gives (missing stays missing), taken in Arrow from
    the few categories (a province's period is ~600k rows per column)."""
    codes = col.cat.codes.to_numpy()
    names = pa.array(col.cat.categories.astype(str).to_numpy(dtype=object), pa.string())
    return pd.Series(names.take(pa.array(codes, mask=codes < 0)).to_pandas().array, index=col.index, name=col.name)


def figures(ctx: Context, frame: pd.DataFrame) -> pd.DataFrame:
    """Engine rows as plain columns (no categoricals) with the catalog's category, measure, decimals."""
    cols = [c for c in frame.columns if c != "period"]
    out = pd.DataFrame({c: (_plain_text(frame[c]) if isinstance(frame[c].dtype, pd.CategoricalDtype) else frame[c])
                        for c in cols})
    meta = ctx.ind_meta.reindex(out["indicator_code"])
    out["category"] = meta["category"].to_numpy()
    out["measure"] = meta["measure"].to_numpy()
    out["decimals"] = meta["decimals"].to_numpy()
    out["_iorder"] = meta["order"].to_numpy()
    for c in PROVENANCE:
        if c in out.columns and c.endswith(("_file", "_sheet")):
            out[c] = out[c].replace("nan", "")
    return out.reset_index(drop=True)


def _rows(ctx: Context, results: Results, units: list[str] | None = None, category: str | None = None,
          types: tuple[str, ...] | None = None) -> pd.DataFrame:
    return figures(ctx, _engine_rows(ctx, results, units, category, types))


def _engine_rows(ctx: Context, results: Results, units: list[str] | None = None, category: str | None = None,
                 types: tuple[str, ...] | None = None, indicator: str | None = None) -> pd.DataFrame:
    """The engine's own rows (categoricals, with period) for some units, a category, types."""
    ind = results.indicators
    mask = np.ones(len(ind), bool)
    if indicator is not None:
        mask &= (ind["indicator_code"] == indicator).to_numpy()
    if units is not None:
        mask &= ind["unit_code"].isin(units).to_numpy()
    if types is not None:
        mask &= ind["unit_type"].isin(types).to_numpy()
    if category:
        codes = ctx.ind_meta.index[ctx.ind_meta["category"] == category]
        mask &= ind["indicator_code"].isin(codes).to_numpy()
    return ind[mask]


def _units(results: Results, units: list[str] | None = None, types: tuple[str, ...] | None = None) -> pd.DataFrame:
    u = results.units
    mask = np.ones(len(u), bool)
    if units is not None:
        mask &= u["unit_code"].isin(units).to_numpy()
    if types is not None:
        mask &= u["unit_type"].isin(types).to_numpy()
    out = u[mask]
    return pd.DataFrame({c: (out[c].astype(str) if isinstance(out[c].dtype, pd.CategoricalDtype) else out[c])
                         for c in out.columns if c != "period"}).reset_index(drop=True)


def _scope(ctx: Context, group: str | None, types: tuple[str, ...] = ASSESSED_TYPES) -> list[str]:
    t, g = split_group(group)
    um = ctx.unit_meta
    mask = um["type"].isin(types)
    if t:
        mask &= (um["type"] == t) & (um["group"] == g)
    return um.index[mask].tolist()


def _sorted(frame: pd.DataFrame, ctx: Context, by_unit: bool = True) -> pd.DataFrame:
    if frame.empty:
        return frame
    keys = []
    if by_unit:
        frame = frame.assign(_uorder=ctx.unit_meta["order"].reindex(frame["unit_code"]).to_numpy())
        keys.append("_uorder")
    if "_iorder" in frame.columns:
        keys.append("_iorder")
    return frame.sort_values(keys, kind="stable").drop(columns=[k for k in ("_uorder",) if k in frame.columns])


# ---------------------------------------------------------------------------------------------------
# derived measures: YoY, projection, trend


def with_derived(ctx: Context, table: pd.DataFrame) -> pd.DataFrame:
    """Engine rows as plain columns plus YoY, year-end projection and will-meet (metrics.derive).

    derive reads last year's figures; only the two dates it needs are passed (same date last year
    and last year's end), so a province-scale store is not indexed whole for one page."""
    out = figures(ctx, table)
    if table.empty or ctx.figures is None:
        out["yoy"], out["projection"] = np.nan, np.nan
        out["will_meet"] = pd.array([pd.NA] * len(out), dtype="boolean")
        return out
    last = derive.same_period_last_year(ctx.period)
    days = [per.end_date(c) for c in (last, derive.last_period_of_year(ctx.period, per.year_of(ctx.period) - 1)) if c]
    dates = ctx.figures["date"]
    near = ctx.figures[dates.isin(pd.to_datetime(days))]
    out["yoy"] = derive.yoy(table, near)["yoy"].to_numpy()
    proj = derive.projections(table, near)
    out["projection"] = proj["projection"].to_numpy()
    out["will_meet"] = proj["will_meet"].array
    return out


def trend_value(frame: pd.DataFrame) -> pd.Series:
    """The number a trend follows: completion for amounts, the actual for rates."""
    return frame["completion"].where(frame["kind"] == "amount", frame["actual"])


def trends(ctx: Context, unit_codes: list[str], indicator_codes: list[str] | None = None) -> pd.DataFrame:
    """Long frame (period, unit_code, indicator_code, value, status, rank, rank_of) over this year's
    periods of the same kind, oldest first."""
    hist = ctx.hist.indicators
    year = per.year_of(ctx.period)
    mask = hist["unit_code"].isin(unit_codes)
    if indicator_codes is not None:
        mask &= hist["indicator_code"].isin(indicator_codes)
    h = hist[mask]
    out = pd.DataFrame({
        "period": h["period"].astype(str), "unit_code": h["unit_code"].astype(str),
        "indicator_code": h["indicator_code"].astype(str), "value": trend_value(h).to_numpy(),
        "actual": h["actual"].to_numpy(), "status": h["status"].astype(str), "rank": h["rank"],
        "rank_of": h["rank_of"], "expected_progress": h["expected_progress"].to_numpy(),
    })
    out = out[out["period"].map(per.year_of) == year]
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------
# 总览


def province_ranks(ctx: Context, category: str | None = None) -> pd.DataFrame:
    """The city's rank among the 市州 on each indicator, with last period's and the change."""
    city = city_code(ctx.units)
    if city is None:
        return pd.DataFrame(columns=["indicator_code", "indicator_name", "actual", "rank", "rank_of",
                                     "prev_rank", "change", "measure", "decimals", "direction"])
    now = _rows(ctx, ctx.now, [city], category)
    prev = _rows(ctx, ctx.prev, [city], category)
    now = now[now["rank"].notna()].copy()
    prev_rank = prev.set_index("indicator_code")["rank"]
    # numeric even when the previous period has no rows (a 旬 the 市州 do not report)
    now["prev_rank"] = pd.to_numeric(now["indicator_code"].map(prev_rank), errors="coerce").astype("Int32")
    now["change"] = now["prev_rank"] - now["rank"]
    now = now.sort_values("_iorder", kind="stable")
    return now[["indicator_code", "indicator_name", "actual", "rank", "rank_of", "prev_rank", "change",
                "measure", "decimals", "direction"]].reset_index(drop=True)


def headline(ctx: Context, scope: list[str], category: str | None) -> dict:
    """The cards: how many unit × indicator rows are on or behind 序时进度, reds and the change,
    units not reporting, and the city's province rank on the first indicator."""
    rows = _rows(ctx, ctx.now, scope, category)
    prev = _rows(ctx, ctx.prev, scope, category)
    counts = rows["status"].value_counts()
    missing = rows[rows["status"] == "missing"]
    names = missing.drop_duplicates("unit_code")
    prov = province_ranks(ctx, None)
    first = prov.iloc[0].to_dict() if len(prov) else None
    prev_red = int((prev["status"] == "red").sum()) if len(prev) else None
    return {
        "rows": int(len(rows)),
        "green": int(counts.get("green", 0)), "yellow": int(counts.get("yellow", 0)),
        "red": int(counts.get("red", 0)), "missing": int(counts.get("missing", 0)),
        "no_target": int(counts.get("no_target", 0)),
        "behind": int(counts.get("yellow", 0) + counts.get("red", 0)),
        "red_prev": prev_red,
        "missing_units": names["unit_name"].tolist(), "missing_unit_codes": names["unit_code"].tolist(),
        "province": first,
        "province_up": int((prov["change"] > 0).sum()) if len(prov) else 0,
        "province_down": int((prov["change"] < 0).sum()) if len(prov) else 0,
    }


def matrix_units(ctx: Context, group: str | None) -> list[str]:
    """Units a status matrix shows: the chosen group, else the 县市区."""
    t, _ = split_group(group)
    units = _scope(ctx, group, (t,) if t else (COUNTY_TYPE,))
    return units[:MATRIX_LIMIT]


def status_matrix(ctx: Context, units: list[str], category: str | None) -> pd.DataFrame:
    rows = _rows(ctx, ctx.now, units, category)
    return _sorted(rows, ctx)[FIGURE_COLUMNS + PROVENANCE].reset_index(drop=True)


def top_bottom(ctx: Context, group: str | None, n: int = 3) -> pd.DataFrame:
    """Per ranking group: the first n and the last n units by composite."""
    t, _ = split_group(group)
    u = _units(ctx.now, _scope(ctx, group, RANKED_TYPES) if t else None, RANKED_TYPES)
    u = u[u["rank"].notna()]
    parts = []
    for (_utype, _grp), sub in u.groupby(["unit_type", "group"], sort=False):
        sub = sub.sort_values(["rank", "unit_code"])
        k = min(n, len(sub) // 2) if len(sub) > 1 else 1
        top = sub.head(k).assign(side="top")
        bottom = sub.tail(k).assign(side="bottom") if len(sub) > 1 else sub.iloc[0:0].assign(side="bottom")
        parts += [top, bottom]
    if not parts:
        return u.assign(side=pd.Series(dtype=str))
    out = pd.concat(parts, ignore_index=True)
    order = {t: i for i, t in enumerate(RANKED_TYPES)}
    out["_t"] = out["unit_type"].map(order)
    return out.sort_values(["_t"], kind="stable").drop(columns="_t").reset_index(drop=True)


def movers(ctx: Context, group: str | None, n: int = 5) -> pd.DataFrame:
    """Units whose composite rank moved most since the previous period (up first, then down)."""
    u = _units(ctx.now, _scope(ctx, group, RANKED_TYPES), RANKED_TYPES)
    u = u[u["rank_change"].notna() & (u["rank_change"] != 0)]
    up = u[u["rank_change"] > 0].sort_values(["rank_change", "rank"], ascending=[False, True]).head(n)
    down = u[u["rank_change"] < 0].sort_values(["rank_change", "rank"], ascending=[True, False]).head(n)
    return pd.concat([up.assign(direction="up"), down.assign(direction="down")], ignore_index=True)


def shortfalls(ctx: Context, units: list[str], category: str | None) -> pd.DataFrame:
    """短板 (metrics.derive.shortfalls) of these units, reds first."""
    short = derive.shortfalls(_engine_rows(ctx, ctx.now, units, category))
    rows = figures(ctx, short.drop(columns=["red", "bottom", "reason"]))
    rows["reason"] = short["reason"].to_numpy()
    rows["_sev"] = rows["status"].map(STATUS_SEVERITY)
    rows = _sorted(rows, ctx).sort_values(["_sev"], kind="stable")
    return rows[FIGURE_COLUMNS + ["reason"] + PROVENANCE].reset_index(drop=True)


def map_values(ctx: Context, by: str | None, group: str | None = None) -> pd.DataFrame:
    """One row per 县市区: composite (by None) or an indicator's completion, with its status;
    ``in_group`` says whether it is in the chosen group (a 县市区 group; any other group: all are)."""
    counties = _scope(ctx, None, (COUNTY_TYPE,))
    u = _units(ctx.now, counties)
    out = pd.DataFrame({"unit_code": u["unit_code"], "unit_name": u["unit_name"], "group": u["group"],
                        "composite": u["composite"], "rank": u["rank"], "rank_of": u["rank_of"]})
    kind, _ = split_group(group)
    out["in_group"] = out["unit_code"].isin(_scope(ctx, group, (COUNTY_TYPE,))) if kind == COUNTY_TYPE else True
    if by:
        rows = _rows(ctx, ctx.now, counties).set_index("unit_code")
        rows = rows[rows["indicator_code"] == by]
        for c in ("completion", "actual", "target", "status", "measure", "decimals", "kind"):
            out[c] = out["unit_code"].map(rows[c]) if len(rows) else np.nan
        out["rank"] = out["unit_code"].map(rows["rank"]) if len(rows) else pd.NA
        out["rank_of"] = out["unit_code"].map(rows["rank_of"]) if len(rows) else pd.NA
        out["value"] = out["completion"]
    else:
        out["value"] = out["composite"]
    return out


def overview(ctx: Context, group: str | None = None, category: str | None = None) -> dict:
    scope = _scope(ctx, group)
    units = matrix_units(ctx, group)
    return {
        "cards": headline(ctx, scope, category),
        "matrix": status_matrix(ctx, units, category),
        "top_bottom": top_bottom(ctx, group),
        "movers": movers(ctx, group),
        "shortfalls": shortfalls(ctx, units, category),
        "province": province_ranks(ctx, None),
    }


# ---------------------------------------------------------------------------------------------------
# one unit (县市区, department, park)


def _spark(sub: pd.DataFrame) -> list[float | None]:
    """A row's sparkline: its completion per period, or its figures when it has no completion at all
    (a target of 0, e.g. 安全生产事故死亡人数): never a cell of nothing but gaps."""
    values = sub["value"] if sub["value"].notna().any() else sub["actual"]
    return [None if pd.isna(v) else float(v) for v in values]


def unit_page(ctx: Context, unit: str, category: str | None = None) -> dict:
    """A unit's composite and every indicator: target, actual, completion against 序时进度, status,
    rank in group, trend over this year's periods, YoY, projection, and where the figure came from."""
    u = _units(ctx.now, [unit])
    rows = with_derived(ctx, _engine_rows(ctx, ctx.now, [unit], category))
    rows = rows.sort_values("_iorder", kind="stable").reset_index(drop=True)
    long = trends(ctx, [unit], rows["indicator_code"].tolist())
    long = long.sort_values("period", key=lambda p: p.map(per.sort_key), kind="stable")
    spark = {str(c): _spark(sub) for c, sub in long.groupby("indicator_code", sort=False)}
    rows["trend"] = [spark.get(c, []) for c in rows["indicator_code"]]
    meta = rows.set_index("indicator_code")
    long["indicator_name"] = long["indicator_code"].map(meta["indicator_name"])
    long["kind"] = long["indicator_code"].map(meta["kind"])
    long["direction"] = long["indicator_code"].map(meta["direction"])
    long["_i"] = long["indicator_code"].map(meta["_iorder"])
    long = long.sort_values(["_i"], kind="stable").drop(columns="_i").reset_index(drop=True)
    hist_u = ctx.hist.units
    hu = hist_u[(hist_u["unit_code"] == unit)]
    hu = hu[hu["period"].astype(str).map(per.year_of) == per.year_of(ctx.period)]
    composite_trend = pd.DataFrame({"period": hu["period"].astype(str), "composite": hu["composite"].to_numpy(),
                                    "rank": hu["rank"].to_numpy(), "rank_of": hu["rank_of"].to_numpy()})
    return {"unit": u.iloc[0].to_dict() if len(u) else None,
            "profile": rows[FIGURE_COLUMNS + ["yoy", "projection", "will_meet", "trend"] + PROVENANCE],
            "trends": long, "composite_trend": composite_trend.reset_index(drop=True)}


def compare(ctx: Context, unit_codes: list[str], category: str | None = None) -> pd.DataFrame:
    """Several units side by side: one row per unit and indicator."""
    rows = _rows(ctx, ctx.now, unit_codes, category)
    order = {c: i for i, c in enumerate(unit_codes)}
    rows["_u"] = rows["unit_code"].map(order)
    rows = rows.sort_values(["_u", "_iorder"], kind="stable")
    return rows[FIGURE_COLUMNS + PROVENANCE].reset_index(drop=True)


def towns(ctx: Context, county: str, category: str | None = None) -> dict:
    """A county's towns: their composite ranking and their status on the town indicators."""
    um = ctx.unit_meta
    codes = um.index[(um["type"] == TOWN_TYPE) & (um["parent"] == county)].tolist()
    ranking = _units(ctx.now, codes)
    ranking = ranking.sort_values(["rank", "unit_code"], na_position="last").reset_index(drop=True)
    rows = _rows(ctx, ctx.now, codes, category)
    return {"ranking": ranking, "matrix": _sorted(rows, ctx)[FIGURE_COLUMNS + PROVENANCE].reset_index(drop=True)}


# ---------------------------------------------------------------------------------------------------
# departments and parks


def type_ranking(ctx: Context, unit_type: str, group: str | None = None) -> dict:
    """Units of one type ranked by composite within their groups, and their status matrix."""
    t, _ = split_group(group)
    codes = _scope(ctx, group if t == unit_type else None, (unit_type,))
    u = _units(ctx.now, codes)
    u["_o"] = u["unit_code"].map(ctx.unit_meta["order"])
    groups = {g: i for i, g in enumerate(dict.fromkeys(ctx.unit_meta.loc[codes, "group"]))}
    u["_g"] = u["group"].map(groups)
    ranking = u.sort_values(["_g", "rank", "_o"], na_position="last").drop(columns=["_o", "_g"])
    rows = _rows(ctx, ctx.now, codes)
    return {"ranking": ranking.reset_index(drop=True),
            "matrix": _sorted(rows, ctx)[FIGURE_COLUMNS + PROVENANCE].reset_index(drop=True)}


def _lead_names(ctx: Context, unit: str) -> set[str]:
    row = ctx.units[ctx.units["code"] == unit]
    if row.empty:
        return {unit}
    r = row.iloc[0]
    aliases = r.get("aliases")
    names = {str(r["name"]), unit}
    if isinstance(aliases, list | tuple | np.ndarray):
        names |= {str(a) for a in aliases}
    return names


def city_progress(ctx: Context, table: pd.DataFrame) -> pd.DataFrame:
    """Per indicator, the city-wide picture: status counts over the units it applies to, and the
    city total (metrics.derive.city_totals: additive amounts summed over the 县市区)."""
    if table.empty:
        return pd.DataFrame()
    rows = figures(ctx, table)
    counts = pd.crosstab(rows["indicator_code"], rows["status"])
    totals = derive.city_totals(table, ctx.indicators).set_index("indicator_code")
    first = rows.drop_duplicates("indicator_code").set_index("indicator_code")
    out = pd.DataFrame({
        "indicator_code": first.index, "indicator_name": first["indicator_name"].to_numpy(),
        "category": first["category"].to_numpy(), "measure": first["measure"].to_numpy(),
        "decimals": first["decimals"].to_numpy(), "kind": first["kind"].to_numpy(),
        "direction": first["direction"].to_numpy(),
        "expected_progress": first["expected_progress"].to_numpy(), "_iorder": first["_iorder"].to_numpy(),
    })
    out["units"] = out["indicator_code"].map(rows.groupby("indicator_code").size()).to_numpy()
    for s in ("green", "yellow", "red", "missing", "no_target"):
        col = counts[s] if s in counts.columns else pd.Series(dtype=int)
        out[s] = out["indicator_code"].map(col).fillna(0).astype(int).to_numpy()
    for src, dst in (("actual", "city_actual"), ("target", "city_target"), ("completion", "city_completion")):
        out[dst] = out["indicator_code"].map(totals[src]).astype(float).to_numpy() if len(totals) else np.nan
    return out.sort_values("_iorder", kind="stable").drop(columns="_iorder").reset_index(drop=True)


def led_indicators(ctx: Context, unit: str) -> pd.DataFrame:
    """The indicators a department leads (牵头单位), with the city-wide progress of each."""
    names = _lead_names(ctx, unit)
    codes = ctx.ind_meta.index[ctx.ind_meta["lead"].isin(names)].tolist()
    table = _engine_rows(ctx, ctx.now, None, None, ASSESSED_TYPES)
    return city_progress(ctx, table[table["indicator_code"].isin(codes)])


# ---------------------------------------------------------------------------------------------------
# one indicator across units


def indicator_info(ctx: Context, code: str) -> dict:
    row = ctx.indicators[ctx.indicators["code"] == code]
    if row.empty:
        return {}
    info = row.iloc[0].to_dict()
    applies = info.get("applies_to")
    info["applies_to"] = [str(a) for a in applies] if isinstance(applies, list | tuple | np.ndarray) else []
    info["aliases"] = [str(a) for a in info.get("aliases", [])] if isinstance(
        info.get("aliases"), list | tuple | np.ndarray) else []
    info["decimals"] = ctx.ind_meta.at[code, "decimals"]
    return info


def indicator_page(ctx: Context, code: str, group: str | None = None) -> dict:
    """One indicator: every unit's figure and rank (in a chosen group, else the first unit type it
    applies to), the distribution, the history, the projection and who has not reported."""
    info = indicator_info(ctx, code)
    if not info:
        return {"info": {}}
    t, _ = split_group(group)
    applies = [a for a in info["applies_to"] if a != PROVINCE_TYPE] or info["applies_to"]
    unit_type = t if t in applies else (applies[0] if applies else None)
    codes = _scope(ctx, group if t == unit_type else None, (unit_type,)) if unit_type else []
    rows = with_derived(ctx, _engine_rows(ctx, ctx.now, codes, indicator=code))
    rows = rows.sort_values(["group", "rank", "unit_code"], na_position="last", kind="stable")
    hist = trends(ctx, codes, [code])
    hist["unit_name"] = hist["unit_code"].map(ctx.unit_meta["name"])
    hist["group"] = hist["unit_code"].map(ctx.unit_meta["group"])
    return {
        "info": info, "unit_type": unit_type,
        "ranking": rows[FIGURE_COLUMNS + ["yoy", "projection", "will_meet"] + PROVENANCE].reset_index(drop=True),
        "history": hist,
        "not_reported": rows[rows["status"] == "missing"][["unit_code", "unit_name", "group", "target"]
                                                          + PROVENANCE].reset_index(drop=True),
        "city": city_progress(ctx, _engine_rows(ctx, ctx.now, codes, indicator=code)),
    }


# ---------------------------------------------------------------------------------------------------
# 全省排名


def province(ctx: Context, category: str | None = None) -> dict:
    """The city among the 市州: its rank on each indicator, every 市州's figure, and rank history."""
    city = city_code(ctx.units)
    prefs = ctx.unit_meta.index[ctx.unit_meta["type"] == PROVINCE_TYPE].tolist()
    ranks = province_ranks(ctx, category)
    rows = _rows(ctx, ctx.now, prefs, category)
    rows = rows[rows["actual"].notna()]
    hist = trends(ctx, [city] if city else [], ranks["indicator_code"].tolist())
    hist["indicator_name"] = hist["indicator_code"].map(ctx.indicators.set_index("code")["name"])
    return {"city": city, "city_name": ctx.unit_meta.at[city, "name"] if city else None, "ranks": ranks,
            "all": _sorted(rows, ctx)[FIGURE_COLUMNS + PROVENANCE].reset_index(drop=True), "history": hist}
