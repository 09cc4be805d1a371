"""市直部门 — departments ranked by composite within their groups; for the chosen department, the
city-wide progress of every indicator it leads (牵头) and its own assessed indicators."""

import streamlit as st

from ui import app, cache, charts, fmt, layout, sections, tables
from ui.safe import md

f, t = app.page()
layout.title(t("page.departments"), f, t)
layout.pin_toggle("departments", t)

data = cache.type_page(f.root, f.version, f.period, "市直部门", f.group)
sections.type_ranking(f, t, data["ranking"], "dept.ranking", "dept_ranking")

if f.unit:
    name = sections.unit_name(f, f.unit)
    st.header(md(name))
    st.subheader(t("dept.led"))
    led = cache.led(f.root, f.version, f.period, f.unit)
    if led.empty:
        st.info(t("dept.led_none"))
    else:
        series = {s: t(f"status.{s}") for s in ("green", "yellow", "red", "missing", "no_target")}
        layout.chart(charts.stacked_counts(led, "indicator_name", series, fmt.STATUS_COLORS), "dept_led_chart")
        show, export = tables.progress_tables(led, t)
        layout.table(show, export, f"{name}_{t('dept.led')}_{f.period}", "dept_led_table", t)
    st.subheader(t("dept.own"))
    own = cache.unit_page(f.root, f.version, f.period, f.unit, f.category)
    show, export, statuses = tables.figure_tables(
        own["profile"], t, f.lang, ["indicator", "target", "actual", "completion", "status", "rank", "yoy", "trend",
                                    "source"], period=f.period)
    config = {t("col.trend"): layout.trend_column(t)}
    layout.table(show, export, f"{name}_{t('dept.own')}_{f.period}", "dept_own_table", t, statuses, config)

from ui import supervision_ledger  # noqa: E402  (云督查; kept apart from the page's own layout)

supervision_ledger.panel(f, t, unit=f.unit)
