"""Tables for the screen and for taking away (pure: frames in, frames and bytes out).

Each table exists twice: what the screen shows (numbers written as an office writes them, with
their measure: 184.6亿元, 85.3%, status as a word) and what a download holds (the same rows and
headers, numbers as numbers rounded as displayed, the measure in its own column).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from metrics import export
from metrics import periods as per
from metrics.ranking import round_half_up
from ui import fmt

T = Callable[..., str]
STATUS_CSS = {s: f"background-color: {c}; color: {'#1F2933' if s in ('yellow', 'no_target') else 'white'}"
              for s, c in fmt.STATUS_COLORS.items()}

FIGURE_DEFAULT = ["unit", "indicator", "target", "actual", "completion", "expected", "status", "rank", "source"]


def _r(x: object, d: int) -> float:
    return np.nan if fmt.blank(x) else round_half_up(float(x), d)  # type: ignore[arg-type]


def source_text(file: object, sheet: object, row: object, lang: str) -> str:
    """Where a figure came from: 'demo.xlsx · 数据 · 第12行' / 'demo.xlsx · 数据 · row 12'."""
    if fmt.blank(file) or not str(file):
        return ""
    parts = [str(file)]
    if not fmt.blank(sheet) and str(sheet) not in ("", "nan", "None"):
        parts.append(str(sheet))
    if not fmt.blank(row):
        parts.append(f"row {int(row)}" if lang == "en" else f"第{int(row)}行")  # type: ignore[arg-type]
    return " · ".join(parts)


LEDGER_STATUSES = ("red", "yellow")


def ledger_link(row: dict, period: str) -> str | None:
    """The ledger page's form pre-filled from a red or behind-序时进度 row (a relative link: the
    browser resolves it beside the current page, under any base path)."""
    if row.get("status") not in LEDGER_STATUSES or fmt.blank(row.get("unit_code")):
        return None
    return "ledger?" + urlencode({"red_unit": row["unit_code"], "red_ind": row["indicator_code"], "red_period": period})


def yoy_text(row: pd.Series, lang: str) -> str:
    if fmt.blank(row.get("yoy")):
        return "—"
    if row["kind"] == "amount":
        return fmt.signed(100 * float(row["yoy"]), 1, "%")
    return fmt.pp(row["yoy"], lang) if row["measure"] == "%" else fmt.signed(row["yoy"], fmt.decimals_for(
        row["measure"], row["decimals"]), row["measure"])


YOY_PARTS = ("pct", "pp")   # what a 同比 column holds: growth in %, a % rate's change in 百分点


def yoy_header(recs: list[dict], t: T) -> str:
    """同比 with what its numbers are: 同比（%） for amounts (growth), 百分点 for % rates, both when the
    table mixes them (other rates' changes carry their measure in the cell: +0.3万元/亩)."""
    kinds = {("pct" if r["kind"] == "amount" else "pp" if r["measure"] == "%" else "diff") for r in recs}
    parts = [t(f"col.yoy_{k}") for k in YOY_PARTS if k in kinds]
    return t("col.yoy") + t("p.paren", x="/".join(parts)) if parts else t("col.yoy")


def figure_tables(df: pd.DataFrame, t: T, lang: str, columns: list[str] | None = None, period: str | None = None
                  ) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """(screen, download, statuses) for rows of the engine's indicator table (see metrics.views).

    With ``period`` the screen gets a 挂账 column after the status: a link to the ledger's form,
    pre-filled from that red or behind-序时进度 row (layout.table keeps it for those who may 挂账)."""
    columns = columns or FIGURE_DEFAULT
    show: dict[str, list] = {}
    out: dict[str, list] = {}
    recs = df.to_dict("records")
    for c in columns:
        if c == "unit":
            show[t("col.unit")] = out[t("col.unit")] = [r["unit_name"] for r in recs]
        elif c == "group":
            show[t("col.group")] = out[t("col.group")] = [r["group"] for r in recs]
        elif c == "indicator":
            show[t("col.indicator")] = [fmt.indicator_label(r["indicator_name"], r.get("direction")) for r in recs]
            out[t("col.indicator")] = [r["indicator_name"] for r in recs]
            out[t("col.measure")] = [r["measure"] for r in recs]
        elif c == "category":
            show[t("col.category")] = out[t("col.category")] = [r["category"] for r in recs]
        elif c in ("target", "milestone", "actual", "projection"):
            key = {"target": "col.target", "milestone": "col.milestone", "actual": "col.actual",
                   "projection": "col.projection"}[c]
            if c in ("target", "actual"):  # precise enough that actual / target gives the completion shown
                show[t(key)] = [fmt.pair(r["target"], r["actual"], r["measure"], r["decimals"])[c == "actual"]
                                for r in recs]
            else:
                show[t(key)] = [fmt.value(r[c], r["measure"], r["decimals"]) for r in recs]
            out[t(key)] = [_r(r[c], fmt.decimals_for(r["measure"], r["decimals"])) for r in recs]
        elif c == "completion":
            show[t("col.completion")] = [fmt.pct(r["completion"]) for r in recs]
            out[t("col.completion") + "(%)"] = [_r(100 * r["completion"], 1) if not fmt.blank(r["completion"])
                                                else np.nan for r in recs]
        elif c == "expected":
            show[t("col.expected")] = [fmt.pct(r["expected_progress"]) for r in recs]
            out[t("col.expected") + "(%)"] = [_r(100 * r["expected_progress"], 1)
                                              if not fmt.blank(r["expected_progress"]) else np.nan for r in recs]
        elif c == "status":
            show[t("col.status")] = out[t("col.status")] = [t(f"status.{r['status']}") for r in recs]
            if period:
                show[t("col.ledger")] = [ledger_link(r, period) for r in recs]
        elif c == "rank":
            show[t("col.rank")] = [fmt.rank(r["rank"], r["rank_of"]) for r in recs]
            out[t("col.rank")] = [None if fmt.blank(r["rank"]) else int(r["rank"]) for r in recs]
            out[t("col.rank_of")] = [None if fmt.blank(r["rank_of"]) else int(r["rank_of"]) for r in recs]
        elif c == "yoy":
            head = yoy_header(recs, t)
            show[head] = [yoy_text(pd.Series(r), lang) for r in recs]
            out[head] = [_r(100 * r["yoy"], 1) if r["kind"] == "amount" and not fmt.blank(r["yoy"])
                                 else _r(r["yoy"], 2) for r in recs]
        elif c == "will_meet":
            text = [("" if fmt.blank(r["will_meet"]) else t("col.yes") if r["will_meet"] else t("col.no")) for r in recs]
            show[t("col.will_meet")] = out[t("col.will_meet")] = text
        elif c == "trend":
            show[t("col.trend")] = [list(r["trend"]) if r.get("trend") is not None else [] for r in recs]
        elif c == "source":
            show[t("col.source")] = [source_text(r.get("actual_file"), r.get("actual_sheet"), r.get("actual_row"), lang)
                                     for r in recs]
            out[t("col.source")] = show[t("col.source")]
            out[t("col.target_source")] = [source_text(r.get("target_file"), r.get("target_sheet"),
                                                       r.get("target_row"), lang) for r in recs]
    return pd.DataFrame(show), pd.DataFrame(out), [r["status"] for r in recs]


def unit_tables(df: pd.DataFrame, t: T, counts: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(screen, download) of composite rankings: group, rank, unit, composite, change, status counts."""
    recs = df.to_dict("records")
    show = {
        t("col.group"): [r["group"] for r in recs],
        t("col.rank"): [fmt.rank(r["rank"], r["rank_of"]) for r in recs],
        t("col.unit"): [r["unit_name"] for r in recs],
        t("col.composite"): [fmt.score(r["composite"]) for r in recs],
        t("col.rank_change"): [fmt.rank_change(r["rank_change"]) for r in recs],
    }
    out = {
        t("col.group"): show[t("col.group")],
        t("col.rank"): [None if fmt.blank(r["rank"]) else int(r["rank"]) for r in recs],
        t("col.rank_of"): [None if fmt.blank(r["rank_of"]) else int(r["rank_of"]) for r in recs],
        t("col.unit"): show[t("col.unit")],
        t("col.composite"): [_r(r["composite"], 2) for r in recs],
        t("col.rank_change"): [None if fmt.blank(r["rank_change"]) else int(r["rank_change"]) for r in recs],
    }
    if counts:
        for s in ("green", "yellow", "red", "missing"):
            show[t(f"col.{s}")] = out[t(f"col.{s}")] = [int(r[s]) for r in recs]
    return pd.DataFrame(show), pd.DataFrame(out)


def progress_tables(df: pd.DataFrame, t: T) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(screen, download) of city-wide progress per indicator (views.city_progress)."""
    recs = df.to_dict("records")
    show = {t("col.indicator"): [fmt.indicator_label(r["indicator_name"], r.get("direction")) for r in recs],
            t("col.units"): [r["units"] for r in recs]}
    out = {t("col.indicator"): [r["indicator_name"] for r in recs], t("col.measure"): [r["measure"] for r in recs],
           t("col.units"): show[t("col.units")]}
    for s in ("green", "yellow", "red", "missing", "no_target"):  # they add up to 考核单位数
        show[t(f"col.{s}")] = out[t(f"col.{s}")] = [int(r.get(s, 0)) for r in recs]
    for c in ("city_actual", "city_target"):
        show[t(f"col.{c}")] = [fmt.pair(r["city_target"], r["city_actual"], r["measure"], r["decimals"])[c == "city_actual"]
                               for r in recs]
        out[t(f"col.{c}")] = [_r(r[c], fmt.decimals_for(r["measure"], r["decimals"])) for r in recs]
    show[t("col.city_completion")] = [fmt.pct(r["city_completion"]) for r in recs]
    show[t("col.expected")] = [fmt.pct(r["expected_progress"]) for r in recs]
    out[t("col.city_completion") + "(%)"] = [_r(100 * r["city_completion"], 1) if not fmt.blank(r["city_completion"])
                                             else np.nan for r in recs]
    out[t("col.expected") + "(%)"] = [_r(100 * r["expected_progress"], 1) if not fmt.blank(r["expected_progress"])
                                      else np.nan for r in recs]
    return pd.DataFrame(show), pd.DataFrame(out)


def versions_table(df: pd.DataFrame, t: T, lang: str = "zh") -> pd.DataFrame:
    """The store's history: version, kind, file, user, time, rows (and periods for figures), in the
    reader's language: 数据/目录, 2021年第三季度 (never the raw "figures" or "2021Q3")."""
    if df.empty:
        return pd.DataFrame()
    out = pd.DataFrame({
        t("col.version"): df["version"], t("col.kind"): [t(f"ver.kind.{k}") if k in ("figures", "catalog") else k
                                                         for k in df["kind"]], t("col.file"): df["file_name"],
        t("col.user"): df["user"], t("col.time"): df["time"].astype(str).str.replace("T", " ").str[:19],
        t("col.rows"): df["rows"],
    })
    if "periods" in df.columns:
        out[t("col.periods")] = [_period_list(p, lang) for p in df["periods"]]
    if "received" in df.columns:
        out[t("ver.received")] = ["" if fmt.blank(r) else str(r) for r in df["received"]]
    return out.iloc[::-1].reset_index(drop=True)


def _period_list(codes: object, lang: str, limit: int = 4) -> str:
    if not isinstance(codes, list | tuple | np.ndarray):
        return ""
    names = [per.label(str(c), lang) for c in codes]
    more = len(names) - limit
    sep = ", " if lang == "en" else "、"
    text = sep.join(names[:limit])
    return text + (f" … (+{more})" if lang == "en" else f"等{len(names)}期") if more > 0 else text


def period_text(code: str, lang: str) -> str:
    return per.label(code, lang)


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel and WPS open the Chinese headers correctly; no text can run a formula."""
    return export.csv_bytes(df)


def xlsx_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """Text cells as strings, never formulas (metrics.export)."""
    return export.xlsx_bytes(df, sheet)


def long_template(lang: str = "zh") -> bytes:
    """The canonical long template with one example row (期间 | 单位 | 指标 | 目标值 | 节点目标 | 完成值 | 备注)."""
    head = ["期间", "单位", "指标", "目标值", "节点目标", "完成值", "备注"]
    example = [["2021年1-9月", "珠晖区", "地区生产总值", 251.8, None, 184.62, ""]]
    return xlsx_bytes(pd.DataFrame(example, columns=head), "数据" if lang == "zh" else "data")
