"""园区 — parks ranked by composite within their groups; the chosen park's indicators and trends."""

import streamlit as st

from ui import app, cache, charts, layout, sections, tables
from ui.safe import md

f, t = app.page()
layout.title(t("page.parks"), f, t)
layout.pin_toggle("parks", t)

data = cache.type_page(f.root, f.version, f.period, "园区", f.group)
sections.type_ranking(f, t, data["ranking"], "park.ranking", "park_ranking")

st.subheader(t("ov.matrix"))
sections.matrix(f, t, data["matrix"], "park_matrix")

if f.unit:
    name = sections.unit_name(f, f.unit)
    st.header(md(name))
    own = cache.unit_page(f.root, f.version, f.period, f.unit, f.category)
    st.subheader(t("park.own"))
    show, export, statuses = tables.figure_tables(
        own["profile"], t, f.lang, ["indicator", "target", "actual", "completion", "expected", "status", "rank", "yoy",
                                    "projection", "will_meet", "trend", "source"], period=f.period)
    config = {t("col.trend"): layout.trend_column(t)}
    layout.table(show, export, f"{name}_{f.period}", "park_own_table", t, statuses, config)
    st.subheader(t("park.trend"))
    long = own["trends"]
    long = sections.marked(long[(long["kind"] == "amount") & long["value"].notna()])
    layout.chart(charts.lines(long, "period", "value", "indicator_name", x_labels=sections.period_labeler(f),
                              percent=True, y_title=t("col.completion"), status=sections.status_word(t)), "park_trend")
    layout.status_legend(t)

from ui import supervision_ledger  # noqa: E402  (云督查; kept apart from the page's own layout)

supervision_ledger.panel(f, t, unit=f.unit)
