"""The bulletin's tables and chart data, selected from the frames metrics.views gives the dashboard
(no arithmetic here beyond counting rows: every number is the engine's)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics import views
from metrics.bulletin import wording
from metrics.bulletin.model import Chart, Column, Table
from metrics.bulletin.numbers import figure, missing

NAMES_PER_CELL = 10      # units named in one cell of the red list before "等N个"
MATRIX_ROWS = 60         # indicators a status matrix shows (the most red and yellow first)
BEHIND = ("red", "yellow")

RANKING_COLUMNS = [
    Column("rank", "排名", "int", 0.6), Column("unit_name", "单位", "text", 1.8),
    Column("composite", "综合得分", "score", 1.0), Column("rank_change", "名次变化", "change", 1.0),
    Column("green", "绿灯", "int", 0.6), Column("yellow", "黄灯", "int", 0.6), Column("red", "红灯", "int", 0.6),
    Column("missing", "未报送", "int", 0.7),
]
BEHIND_COLUMNS = [
    Column("indicator_name", "指标", "text", 1.5), Column("lead", "牵头单位", "text", 1.3),
    Column("expected", "序时进度", "pct", 0.8),
    Column("red_count", "红灯", "int", 0.6), Column("red_units", "红灯单位及差距", "text", 3.6),
    Column("yellow_count", "黄灯", "int", 0.6), Column("yellow_units", "黄灯单位", "text", 2.1),
]
PROVINCE_COLUMNS = [
    Column("indicator_name", "指标", "text", 2.0), Column("actual", "完成值", "value", 1.0),
    Column("rank", "全省排名", "rank", 1.0), Column("prev_rank", "上期排名", "int", 0.8),
    Column("change", "变化", "change", 1.0),
]
REPORTING_COLUMNS = [
    Column("unit_name", "单位", "text", 2.0), Column("late", "迟报（项）", "int", 1.0),
    Column("missing", "未报送（项）", "int", 1.0),
]
HONOURS_COLUMNS = [
    Column("group", "分组", "text", 1.4), Column("commended", "表彰", "text", 2.0),
    Column("criticised", "通报批评", "text", 2.0),
]


def display_names(ctx: views.Context, codes: pd.Series) -> list[str]:
    """Unit names as a reader needs them: a town with its county (衡阳县白沙镇: two towns share 白沙镇)."""
    meta = ctx.unit_meta
    names = meta["name"].reindex(codes).fillna("").tolist()
    parents = meta["parent"].reindex(codes).fillna("").tolist()
    types = meta["type"].reindex(codes).fillna("").tolist()
    out = []
    for code, name, parent, utype in zip(codes, names, parents, types, strict=True):
        prefix = meta["name"].get(parent, "") if utype == views.TOWN_TYPE and parent else ""
        out.append(f"{prefix}{name}" if name else str(code))
    return out


def rows_of(ctx: views.Context, results, codes: list[str]) -> pd.DataFrame:
    """The engine's indicator rows of some units, as plain columns (views.figures)."""
    table = results.indicators
    return views.figures(ctx, table[table["unit_code"].isin(codes).to_numpy()])


def counts(rows: pd.DataFrame) -> dict[str, int]:
    c = rows["status"].value_counts() if len(rows) else pd.Series(dtype=int)
    return {s: int(c.get(s, 0)) for s in ("green", "yellow", "red", "missing", "no_target")} | {"total": len(rows)}


# -- 排名 -----------------------------------------------------------------------------------------


def ranking_table(title: str, ranking: pd.DataFrame) -> Table:
    rows = []
    for r in ranking.to_dict("records"):
        rows.append({c.key: (None if missing(r.get(c.key)) else r.get(c.key)) for c in RANKING_COLUMNS}
                    | {"unit_code": r["unit_code"]})
    return Table(title=title, columns=RANKING_COLUMNS, rows=rows)


def group_rankings(ctx: views.Context, unit_types: tuple[str, ...], only: str | None = None
                   ) -> list[tuple[str, str, pd.DataFrame]]:
    """(type/group, label, ranking) for every ranking group of these types (or only one group)."""
    out = []
    for unit_type in unit_types:
        ranking = views.type_ranking(ctx, unit_type)["ranking"]
        for group in dict.fromkeys(ranking["group"]):
            key = f"{unit_type}/{group}"
            if only is None or key == only:
                label = unit_type if group == unit_type else f"{unit_type}·{group}"
                out.append((key, label, ranking[ranking["group"] == group].reset_index(drop=True)))
    return out


def ranking_chart(title: str, groups: list[tuple[str, pd.DataFrame]], highlight: str | None = None) -> Chart:
    data = []
    for label, ranking in groups:
        ranked = ranking[ranking["composite"].notna()]
        data.append({"label": label, "units": ranked["unit_name"].astype(str).tolist(),
                     "scores": [float(v) for v in ranked["composite"]],
                     "ranks": [int(v) for v in ranked["rank"]],
                     "highlight": [c == highlight for c in ranked["unit_code"]]})
    return Chart("ranking", title, {"groups": data}, caption="综合得分，按组排列")


# -- 状态矩阵 --------------------------------------------------------------------------------------


def matrix_chart(ctx: views.Context, unit_codes: list[str], title: str) -> Chart | None:
    rows = views.status_matrix(ctx, unit_codes, None)
    if rows.empty:
        return None
    behind = rows[rows["status"].isin(BEHIND)].groupby("indicator_code").size()
    order = list(dict.fromkeys(rows["indicator_code"]))
    caption = "每格为一个单位在一项指标上的状态"
    if len(order) > MATRIX_ROWS:
        ranked = sorted(order, key=lambda c: (-int(behind.get(c, 0)), order.index(c)))[:MATRIX_ROWS]
        order = [c for c in order if c in set(ranked)]
        caption += f"；指标较多，仅列红黄灯最多的{MATRIX_ROWS}项"
    units = list(dict.fromkeys(rows["unit_code"]))
    status = rows.set_index(["indicator_code", "unit_code"])["status"]
    names = rows.drop_duplicates("indicator_code").set_index("indicator_code")["indicator_name"]
    grid = [[str(status.get((i, u), "")) for u in units] for i in order]
    return Chart("matrix", title, {"rows": [str(names[i]) for i in order],
                                   "cols": display_names(ctx, pd.Series(units)), "status": grid}, caption=caption)


# -- 红灯及落后序时进度 ----------------------------------------------------------------------------


def behind_table(ctx: views.Context, rows: pd.DataFrame) -> Table:
    """Per indicator (catalog order): its lead department, the red units with how far each is off,
    and the yellow units."""
    rows = rows[rows["status"].isin(BEHIND)].copy()
    rows["display"] = display_names(ctx, rows["unit_code"])
    lead = ctx.ind_meta["lead"]
    out = []
    for code, sub in rows.sort_values(["_iorder", "status"], kind="stable").groupby("indicator_code", sort=False):
        red, yellow = sub[sub["status"] == "red"], sub[sub["status"] == "yellow"]
        red_texts = [f"{r['display']}（{gap_text(r)}）" for r in red.to_dict("records")]
        out.append({"indicator_code": code, "indicator_name": str(sub["indicator_name"].iloc[0]),
                    "lead": str(lead.get(code, "")) or "—", "expected": sub["expected_progress"].iloc[0],
                    "red_count": len(red), "red_units": wording.names(red_texts, NAMES_PER_CELL),
                    "yellow_count": len(yellow), "yellow_units": wording.names(yellow["display"].tolist(),
                                                                                NAMES_PER_CELL)})
    return Table(title="红灯及落后序时进度指标", columns=BEHIND_COLUMNS, rows=out)


def gap_text(r: dict) -> str:
    return wording.gap_phrase(r["kind"], r["direction"], r["completion"], r["expected_progress"],
                              figure(r["actual"], r["measure"], r["decimals"]),
                              figure(r["target"], r["measure"], r["decimals"]))


# -- 全省排名 --------------------------------------------------------------------------------------


def province_table(ranks: pd.DataFrame) -> Table:
    rows = []
    for r in ranks.to_dict("records"):
        rows.append({"indicator_code": r["indicator_code"], "indicator_name": r["indicator_name"],
                     "actual": r["actual"], "measure": r["measure"], "decimals": r["decimals"],
                     "rank": int(r["rank"]), "rank_of": int(r["rank_of"]),
                     "prev_rank": None if missing(r["prev_rank"]) else int(r["prev_rank"]),
                     "change": None if missing(r["change"]) else int(r["change"])})
    return Table(title="全省排名", columns=PROVINCE_COLUMNS, rows=rows)


def province_trend_chart(history: pd.DataFrame, city: str) -> Chart | None:
    """The city's 全省排名 on each indicator over this year's periods of the same kind."""
    from metrics import periods as per

    if history.empty or history["rank"].notna().sum() == 0:
        return None
    codes = sorted(dict.fromkeys(history["period"]), key=per.sort_key)
    series = []
    for name, sub in history.groupby("indicator_name", sort=False):
        by = sub.set_index("period")["rank"]
        series.append({"name": str(name), "ranks": [None if missing(by.get(c)) else int(by.get(c)) for c in codes]})
    rank_of = history["rank_of"].dropna()
    return Chart("province_trend", f"{city}全省排名走势", {
        "periods": [per.label(c) for c in codes], "series": series,
        "rank_of": int(np.max(rank_of)) if len(rank_of) else 0}, caption="名次越靠上越好")
