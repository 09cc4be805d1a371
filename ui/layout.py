"""Shared pieces of layout: page CSS, the freshness line, cards, tables with downloads, charts."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics import periods as per
from ui import cache, fmt, identity, tables
from ui.filters import Filters

PLOT_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}

BASE_CSS = """
<style>
/* phones: nothing wider than the screen; cards and columns stack (Streamlit stacks below 640px) */
[data-testid="stMain"] { overflow-x: hidden; }
[data-testid="stMainBlockContainer"] { max-width: 100%; }
/* a desktop's width goes to the tables (no sideways scrolling at 1440 with the sidebar open) */
@media (min-width: 641px) {
  [data-testid="stMainBlockContainer"] { padding-left: 2.5rem; padding-right: 2.5rem; }
}
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-left: 0.8rem; padding-right: 0.8rem; padding-top: 3rem; }
  .yjx-matrix table { font-size: 0.68rem; border-spacing: 1px; }
  .yjx-matrix td { min-width: 1.25rem; }
  [data-testid="stMetricValue"] { font-size: 1.6rem; }
  h1 { font-size: 1.6rem !important; }
}
.yjx-fresh { color: #52606D; font-size: 0.85rem; margin: -0.4rem 0 0.6rem 0; }
/* the status matrix: a table that scrolls inside itself, never the page */
.yjx-matrix { max-width: 100%; overflow-x: auto; }
.yjx-matrix table { border-collapse: separate; border-spacing: 2px; font-size: 0.75rem; margin: 0; }
.yjx-matrix th { font-weight: 400; color: #3E4C59; background: white; border: none; padding: 0 4px; }
.yjx-matrix thead th { vertical-align: bottom; text-align: center; }
.yjx-matrix thead th span { writing-mode: vertical-rl; white-space: nowrap; }
.yjx-matrix tbody th { text-align: right; min-width: 6.5rem; max-width: 8rem; line-height: 1.15; position: sticky;
  left: 0; }
.yjx-matrix td { min-width: 1.5rem; height: 1.35rem; text-align: center; border: none; padding: 0 2px; cursor: default; }
.yjx-matrix.yjx-big table { font-size: 0.8rem; }
.yjx-matrix .s-green { background: #2E7D32; color: white; }
.yjx-matrix .s-yellow { background: #F9A825; color: #1F2933; }
.yjx-matrix .s-red { background: #C62828; color: white; }
.yjx-matrix .s-missing { background: #9E9E9E; color: white; }
.yjx-matrix .s-no_target { background: #E0E0E0; color: #1F2933; }
/* leaders and laggards per group: cards that wrap (one column on a phone) */
.yjx-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 0.75rem; }
.yjx-cards .card { border: 1px solid #D9E2EC; border-radius: 0.4rem; padding: 0.6rem 0.8rem; }
.yjx-cards h4 { font-size: 0.95rem; margin: 0 0 0.3rem 0; padding: 0; }
.yjx-cards p { font-size: 0.85rem; margin: 0.15rem 0; line-height: 1.5; }
/* rank movers: diverging bars */
.yjx-movers table { width: 100%; border-collapse: collapse; font-size: 0.85rem; }
.yjx-movers th, .yjx-movers td { border: none; padding: 2px 4px; background: white; }
.yjx-movers thead th { color: #52606D; font-weight: 400; font-size: 0.75rem; }
.yjx-movers tbody th { text-align: right; font-weight: 400; white-space: nowrap; width: 40%; }
.yjx-movers tbody th small { color: #7B8794; margin-left: 0.3rem; }
.yjx-movers td { width: 30%; }
.yjx-movers td.down { text-align: right; border-right: 2px solid #7B8794; }
.yjx-movers .bar { display: inline-block; height: 0.9rem; vertical-align: middle; }
.yjx-movers td.up .bar { background: #2E7D32; }
.yjx-movers td.down .bar { background: #C62828; }
.yjx-movers td.up b { margin-left: 0.3rem; color: #2E7D32; }
.yjx-movers td.down b { margin-right: 0.3rem; color: #C62828; }
.yjx-movers td.down b { float: left; }
.yjx-movers.yjx-big table { font-size: 1rem; }
</style>
"""

PRESENTER_CSS = """
<style>
/* the projector: no sidebar, no toolbar, large type, the whole 1920x1080 screen */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stExpandSidebarButton"] { display: none !important; }
html { font-size: 22px; }
[data-testid="stMainBlockContainer"] { padding: 1rem 2rem 0 2rem; max-width: 100%; }
[data-testid="stMetricValue"] { font-size: 2.3rem; }
.yjx-fresh { font-size: 1rem; color: #1F2933; }
/* the status matrix in blocks of 18 rows: one line per row, so a block's height is known */
.yjx-matrix.yjx-big table { font-size: 0.72rem; }
.yjx-matrix.yjx-big tbody th { white-space: nowrap; max-width: none; }
.yjx-matrix.yjx-big td { height: 0.98rem; min-width: 1.15rem; padding: 0 1px; }
.yjx-matrix.yjx-big thead th span { font-size: 0.62rem; }
[data-testid="stMainBlockContainer"] h2 { padding: 0; }
</style>
"""


def css(present: bool) -> None:
    st.html(BASE_CSS + (PRESENTER_CSS if present else ""))


def freshness(f: Filters, t, into=None) -> None:
    """Period, the date the figures belong to, store version and last import: on every page
    (``into``: a placeholder to fill, so the data page can show the new version after an import)."""
    status = cache.store_status(f.root, f.version)
    time = status.get("time") or ""
    try:
        stamp = dt.datetime.fromisoformat(time).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        stamp = time
    line = t("fresh.line", period=per.label(f.period, f.lang), date=per.end_date(f.period).isoformat(),
             version=f.version, time=stamp, file=status.get("file") or "")
    (into or st).html(f'<div class="yjx-fresh" data-testid="yjx-fresh">{_escape(line)}</div>')


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def title(text: str, f: Filters, t) -> None:
    st.title(text)
    freshness(f, t)


def metric_cards(items: list[dict]) -> None:
    """Cards side by side on a desktop, stacked on a phone."""
    for col, item in zip(st.columns(len(items)), items, strict=True):
        with col, st.container(border=True, height="stretch"):
            st.metric(item["label"], item["value"], delta=item.get("delta"), delta_color=item.get("color", "normal"),
                      delta_arrow=item.get("arrow", "auto"), delta_description=item.get("note"),
                      help=item.get("help"))
            if item.get("caption"):  # wraps: a full indicator name, never "地区生产总…"
                st.caption(item["caption"])


def chart(fig: go.Figure, key: str) -> None:
    st.plotly_chart(fig, config=PLOT_CONFIG, key=key, width="stretch", theme=None)


def _slug(name: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", name).strip("_") or "table"


def table(show: pd.DataFrame, export: pd.DataFrame, name: str, key: str, t, statuses: list[str] | None = None,
          column_config: dict | None = None, height: int | str = "auto", limit: int = 500,
          cell_css: dict[str, list[str]] | None = None) -> None:
    """A table on screen (status cells colored and worded) with CSV and Excel downloads of it.

    ``cell_css`` colors other columns: column -> one CSS string per row (e.g. a grade's color).
    The screen shows the first ``limit`` rows (colored cells cost the browser); downloads hold all."""
    if show.empty:
        st.info(t("table.empty"))
        return
    if len(show) > limit:
        st.caption(t("table.limited", shown=limit, total=len(show)))
        show = show.head(limit)
        statuses = statuses[:limit] if statuses is not None else None
    show, column_config = _ledger_links(show, t, column_config)
    show = show.copy()
    source = show.pop(t("col.source")) if t("col.source") in show.columns else None
    data = show
    styles = {col: css[:limit] for col, css in (cell_css or {}).items() if col in show.columns}
    status_col = t("col.status")
    if statuses is not None and status_col in show.columns:
        styles[status_col] = [tables.STATUS_CSS.get(s, "") for s in statuses]
    if styles:
        data = _styled(show, styles)
    ind = t("col.indicator")
    column_config = dict(column_config or {})
    if ind in show.columns and show[ind].astype(str).str.endswith(fmt.LOWER_MARK).any():
        column_config.setdefault(ind, st.column_config.TextColumn(ind, help=t("dir.lower_help")))
    for col in pinned_columns(show, t):   # on a phone the name and the status stay on screen
        column_config[col] = _pinned(column_config.get(col), col)
    trend = column_config.get(t("col.trend"))
    st.dataframe(data, hide_index=True, width="stretch", column_config=column_config, height=height, key=f"df_{key}",
                 row_height=SPARK_ROW if trend is not None else None)
    if source is not None:   # where each figure came from: beside its name, not as a wide column
        keys = [c for c in (t("col.unit"), ind) if c in show.columns][:2] or [show.columns[0]]
        with st.expander(t("table.provenance_title")):
            st.dataframe(pd.concat([show[keys], source], axis=1), hide_index=True, width="stretch",
                         key=f"df_{key}_src")
    base = _slug(name)
    row = st.container(horizontal=True)
    row.download_button(t("table.csv"), data=lambda: tables.csv_bytes(export), file_name=f"{base}.csv",
                       mime="text/csv", key=f"csv_{key}", on_click="ignore", icon=":material/download:")
    row.download_button(t("table.xlsx"), data=lambda: tables.xlsx_bytes(export, base),
                       file_name=f"{base}.xlsx", key=f"xlsx_{key}", on_click="ignore", icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _ledger_links(show: pd.DataFrame, t, column_config: dict | None) -> tuple[pd.DataFrame, dict | None]:
    """The 挂账 column (tables.ledger_link) for those who may 挂账, as a link; gone for everyone else."""
    link = t("col.ledger")
    if link not in show.columns:
        return show, column_config
    if not show[link].notna().any() or not identity.current_actor().may("ledger.manage"):
        return show.drop(columns=link), column_config
    # two characters wide: the column must not push a 1440 screen's table into sideways scrolling;
    # a row with nothing to 挂账 shows an empty cell, not the grid's grey "None"
    show = show.assign(**{link: show[link].fillna("")})
    return show, {link: st.column_config.LinkColumn(link, display_text=t("col.ledger_open"), help=t("col.ledger_help"),
                                                    width=40), **(column_config or {})}


SPARK_ROW = 44   # rows tall enough to read a sparkline
SPARK_COLOR = "#1565C0"


def _styled(show: pd.DataFrame, styles: dict[str, list[str]]):
    data = show.style
    for col, css_list in styles.items():
        if col in show.columns:
            data = data.apply(lambda _col, css_list=css_list: css_list, subset=[col])
    return data


def trend_column(t) -> dict:
    """This year's figures per period: a line in taller rows (readable on a phone) and in blue, never
    the theme's red, which would read as a status."""
    return st.column_config.LineChartColumn(t("col.trend"), width="small", help=t("col.trend_help"), color=SPARK_COLOR)


def pinned_columns(show: pd.DataFrame, t) -> list[str]:
    """The columns kept on screen when a table scrolls sideways: what a row is (its unit and/or
    indicator, else the first column) and its status."""
    names = [c for c in (t("col.unit"), t("col.indicator")) if c in show.columns][:2] or [show.columns[0]]
    return [*names, *([t("col.status")] if t("col.status") in show.columns else [])]


def _pinned(config, label: str):
    """A column's config with ``pinned`` set (keeping its type, help and width)."""
    return {**(config or st.column_config.Column(label)), "pinned": True}


def status_legend(t) -> None:
    st.caption(t("status.legend"))


def pin_toggle(page: str, t) -> None:
    """Pin this page to the presenter's sequence (the pins are in the URL)."""
    pins = list(st.session_state.get("pins") or [])
    pinned = page in pins

    def flip() -> None:
        current = list(st.session_state.get("pins") or [])
        st.session_state["pins"] = [p for p in current if p != page] if page in current else [*current, page]

    st.button(t("app.unpin") if pinned else t("app.pin"), key=f"pin_{page}", on_click=flip,
              icon=":material/keep:", type="tertiary")
