"""The 报送 page's sections and the overview's card: the reporting calendar (metrics.reporting) laid out."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from metrics.reporting import calendar
from ui import cache, layout
from ui.filters import Filters
from ui.safe import md

STATE_CSS = {"on_time": "background-color: #2E7D32; color: white", "late": "background-color: #F9A825; color: #1F2933",
             "missing": "background-color: #C62828; color: white", "not_due": "background-color: #E0E0E0; color: #1F2933"}


def _date_text(day: dt.date, lang: str) -> str:
    return day.isoformat() if lang == "en" else f"{day.year}年{day.month}月{day.day}日"


def overview_card(f: Filters, t) -> None:
    """本旬未按时报送 N 个单位 (units with a late or missing figure due this 旬, up to the date)."""
    on = dt.date.fromisoformat(cache.reporting_default_date(f.root, f.version))
    table = cache.reporting(f.root, f.version, on.isoformat(), "dekad")
    bad = calendar.not_on_time_units(table)
    names = table.drop_duplicates("unit_code").set_index("unit_code")["unit_name"] if len(table) else pd.Series()
    shown = t("p.list").join(str(names.get(c, c)) for c in bad[:20]) or t("ov.none")
    col, _ = st.columns([1, 3])
    with col, st.container(border=True):
        st.metric(t("rep.card"), t("rep.card_value", n=len(bad)), delta=t("rep.card_note", date=_date_text(on, f.lang)),
                  delta_color="off", delta_arrow="off",
                  help=t("rep.card_help", date=_date_text(on, f.lang),
                         start=_date_text(calendar.window_start(on, "dekad"), f.lang), names=md(shown)))


def summary_tables(by_unit: pd.DataFrame, t) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(screen, download) of the per-unit counts."""
    show = pd.DataFrame({
        t("col.unit"): by_unit["unit_name"].to_numpy(), t("rep.col.type"): by_unit["unit_type"].to_numpy(),
        t("rep.col.due_count"): by_unit["due"].to_numpy(),
        **{t(f"rep.state.{s}"): by_unit[s].to_numpy() for s in calendar.STATES},
    })
    return show, show.copy()


def detail_tables(rows: pd.DataFrame, t, lang: str) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """(screen, download, states) of one unit's figures owed."""
    from metrics import periods as per

    show = pd.DataFrame({
        t("col.indicator"): rows["indicator_name"].to_numpy(),
        t("rep.col.period"): [per.label(c, lang) for c in rows["period"]],
        t("rep.col.due"): [d.isoformat() for d in rows["due"]],
        t("rep.col.state"): [t(f"rep.state.{s}") for s in rows["state"]],
        t("rep.col.received"): ["" if r is None or r != r else r.isoformat() for r in rows["received"]],
        t("rep.col.version"): ["" if v is None or v != v else f"v{int(v)}" for v in rows["version"]],
        t("rep.col.time"): ["" if x is None or x != x else str(x) for x in rows["time"]],
    })
    return show, show.copy(), list(rows["state"])


def page(f: Filters, t) -> None:
    default = dt.date.fromisoformat(cache.reporting_default_date(f.root, f.version))
    c1, c2 = st.columns(2)
    on = c1.date_input(t("rep.date"), value=default, key="rep_on", max_value=max(default, dt.date.today()))
    window = c2.segmented_control(t("rep.window"), calendar.WINDOWS, default="dekad", key="rep_window",
                                  format_func=lambda w: t(f"rep.window.{w}"), required=True) or "dekad"
    table = cache.reporting(f.root, f.version, on.isoformat(), window)
    if table.empty:
        st.info(t("rep.none"))
        return
    counts = table["state"].value_counts()
    layout.metric_cards([
        {"label": t("rep.metric.due"), "value": str(int(counts.drop("not_due", errors="ignore").sum()))},
        *({"label": t(f"rep.metric.{s}"), "value": str(int(counts.get(s, 0)))} for s in ("on_time", "late", "missing")),
    ])
    by_unit = calendar.by_unit(table)
    names = dict(zip(by_unit["unit_code"], by_unit["unit_name"], strict=True))
    unit = st.selectbox(t("rep.unit"), ["", *by_unit["unit_code"]], key="rep_unit", bind="query-params",
                        format_func=lambda c: names.get(c, c) if c else t("rep.all_units"))
    if unit:
        rows = table[table["unit_code"] == unit]
        st.subheader(t("rep.detail", unit=md(names.get(unit, unit))))
        show, export, states = detail_tables(rows, t, f.lang)
        layout.table(show, export, f"{names.get(unit, unit)}_{t('page.reporting')}_{on.isoformat()}", "rep_detail", t,
                     cell_css={t("rep.col.state"): [STATE_CSS[s] for s in states]})
        return
    st.subheader(t("rep.summary"))
    show, export = summary_tables(by_unit, t)
    late = [STATE_CSS["late"] if n else "" for n in by_unit["late"]]
    missing = [STATE_CSS["missing"] if n else "" for n in by_unit["missing"]]
    layout.table(show, export, f"{t('page.reporting')}_{on.isoformat()}", "rep_summary", t,
                 cell_css={t("rep.state.late"): late, t("rep.state.missing"): missing})
