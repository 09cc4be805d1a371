"""Indicator watch and 未挂账红灯: the ledger read against the engine's figures (pure; no SQL here).

* "Latest period with data" is per indicator: its latest period in which any unit has an actual.
* A red (unit, indicator) there with no open item on the pair and no explanation (a 备注 on the
  figure, or a note recorded on the ledger page) is 未挂账红灯.
* An open item on (unit, indicator) is 可申请销号 when the pair has been green for the last N
  expected periods after the item's period found (missing or no target breaks the streak).  The flag
  never changes the item's state.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics import periods as per
from metrics.compute import Engine
from metrics.supervision.states import OPEN_STATES

WATCH_COLUMNS = ["code", "latest_period", "latest_actual", "latest_status", "ranks", "streak", "can_close"]


def figures_as_of(figures: pd.DataFrame, on: dt.date | None) -> pd.DataFrame:
    """Figures of periods ended by ``on`` (an agenda as of a meeting date does not see later periods)."""
    if on is None or figures.empty:
        return figures
    ends = figures["period"].astype(str).map(per.end_date)
    return figures[ends <= on]


def latest_periods(figures: pd.DataFrame) -> dict[str, str]:
    """indicator code → its latest period with at least one actual."""
    mask = figures["actual"].notna().to_numpy()
    if not mask.any():
        return {}
    # two columns only: a province's figures are millions of rows of twenty columns
    periods = pd.DataFrame({"indicator_code": figures["indicator_code"].to_numpy()[mask],
                            "period": figures["period"].to_numpy()[mask]}).drop_duplicates()
    periods = periods.assign(end=periods["period"].astype(str).map(per.end_date),
                             rank=periods["period"].astype(str).map(lambda c: per.KINDS.index(per.kind(c))))
    periods = periods.sort_values(["indicator_code", "end", "rank"], ascending=[True, True, False])
    return periods.groupby("indicator_code")["period"].last().astype(str).to_dict()


def latest_rows(engine: Engine, figures: pd.DataFrame) -> pd.DataFrame:
    """Every (unit, indicator) row of each indicator's latest period with data (engine columns)."""
    latest = latest_periods(figures)
    if not latest:
        return pd.DataFrame(columns=["period", "unit_code", "indicator_code", "status"])
    table = engine.indicator_table(sorted(set(latest.values()), key=per.sort_key))
    want = table["indicator_code"].astype(str).map(latest)
    out = table[table["period"].astype(str) == want].copy()
    for col in ("period", "unit_code", "unit_name", "group", "indicator_code", "indicator_name", "status"):
        if col in out:
            out[col] = out[col].astype(str)
    return out.reset_index(drop=True)


def pair_row(engine: Engine, unit: str, indicator: str, period: str) -> pd.DataFrame:
    """The engine's row of (unit, indicator) in a period, shaped as latest_rows (empty when the
    period is not a valid code or the pair has no row): a red cell of any period can be 挂账."""
    empty = pd.DataFrame(columns=["period", "unit_code", "indicator_code", "status"])
    try:
        if per.parse_period(period) != period:
            return empty
    except per.PeriodError:
        return empty
    table = engine.indicator_table([period])
    out = table[(table["unit_code"].astype(str) == unit) & (table["indicator_code"].astype(str) == indicator)].copy()
    for col in ("period", "unit_code", "unit_name", "group", "indicator_code", "indicator_name", "status"):
        if col in out:
            out[col] = out[col].astype(str)
    return out.reset_index(drop=True)


def behind_rows(latest: pd.DataFrame) -> pd.DataFrame:
    """Reds and yellows (behind 序时进度) of the latest periods, reds first, by group."""
    out = latest[latest["status"].isin(["red", "yellow"])].copy()
    out["_o"] = (out["status"] != "red").astype(int)
    return out.sort_values(["_o", "group", "unit_code", "indicator_code"], kind="stable").drop(columns="_o") \
        .reset_index(drop=True)


def unledgered_reds(latest: pd.DataFrame, items: pd.DataFrame, figures: pd.DataFrame,
                    explained: set[tuple[str, str, str]]) -> pd.DataFrame:
    """未挂账红灯: red pairs without an open item and without an explanation (note or ledger note)."""
    reds = latest[latest["status"] == "red"]
    if reds.empty:
        return reds.reset_index(drop=True)
    open_items = items[items["status"].isin(OPEN_STATES)] if len(items) else items
    covered = set(zip(open_items.get("unit_code", []), open_items.get("indicator_code", []), strict=True))
    notes = figures[figures["note"].notna() & (figures["note"].astype(str).str.strip() != "")] \
        if "note" in figures else figures.iloc[:0]
    noted = set(zip(notes["period"].astype(str), notes["unit_code"].astype(str), notes["indicator_code"].astype(str),
                    strict=True))
    keep = [(u, i) not in covered and (p, u, i) not in noted and (u, i, p) not in explained
            for p, u, i in zip(reds["period"], reds["unit_code"], reds["indicator_code"], strict=True)]
    return reds[keep].reset_index(drop=True)


def _following_periods(figures: pd.DataFrame, indicator: str, after: str, latest: str) -> list[str]:
    kind = per.kind(latest)
    codes = figures.loc[figures["indicator_code"] == indicator, "period"].astype(str).unique()
    start, end = per.end_date(after), per.end_date(latest)
    out = [c for c in codes if per.kind(c) == kind and start < per.end_date(c) <= end]
    return sorted(out, key=per.sort_key)


def watch(items: pd.DataFrame, engine: Engine, figures: pd.DataFrame, close_after_green: int = 2) -> pd.DataFrame:
    """For each open item on an indicator: its latest figure, status, rank trend and green streak."""
    rows = items[items["status"].isin(OPEN_STATES) & items["indicator_code"].notna() & items["period"].notna()] \
        if len(items) else items
    latest = latest_periods(figures)
    wanted: dict[str, list[str]] = {}
    for code, ind, found in zip(rows.get("code", []), rows.get("indicator_code", []), rows.get("period", []),
                                strict=True):
        if ind in latest:
            wanted[code] = _following_periods(figures, ind, str(found), latest[ind])
    periods = sorted({p for ps in wanted.values() for p in ps}, key=per.sort_key)
    table = engine.indicator_table(periods, provenance=False) if periods else pd.DataFrame(
        columns=["period", "unit_code", "indicator_code", "actual", "status", "rank"])
    table = table.astype({"period": str, "unit_code": str, "indicator_code": str, "status": str}) if len(table) \
        else table
    index = table.set_index(["unit_code", "indicator_code", "period"]) if len(table) else None
    out = []
    for code, unit, ind in zip(rows.get("code", []), rows.get("unit_code", []), rows.get("indicator_code", []),
                               strict=True):
        ps = wanted.get(code, [])
        statuses, ranks, actual = [], [], None
        for p in ps:
            try:
                r = index.loc[(unit, ind, p)] if index is not None else None
            except KeyError:
                r = None
            statuses.append(str(r["status"]) if r is not None else "missing")
            ranks.append(None if r is None or pd.isna(r["rank"]) else int(r["rank"]))
            actual = None if r is None or pd.isna(r["actual"]) else float(r["actual"])
        streak = 0
        for s in reversed(statuses):
            if s != "green":
                break
            streak += 1
        out.append({"code": code, "latest_period": ps[-1] if ps else None, "latest_actual": actual,
                    "latest_status": statuses[-1] if statuses else None, "ranks": ranks, "streak": streak,
                    "can_close": streak >= close_after_green})
    return pd.DataFrame(out, columns=WATCH_COLUMNS)
