"""总览 — the leader's cockpit: headline cards, the county map and the status matrix, then two tabs:
leaders and laggards by composite with rank movers and the province rank; shortfalls.  The tab is
in the URL, and only the open tab is computed and drawn."""

import streamlit as st

from ui import app, cache, fmt, layout, reporting, sections

f, t = app.page()
layout.title(t("ov.title"), f, t)
data = cache.overview(f.root, f.version, f.period, f.group, f.category)
sections.cards(f, t, data)
reporting.overview_card(f, t)

left, right = st.columns(2)
with left:
    st.subheader(t("ov.map"))
    names, directions = sections.indicator_names(f), sections.indicator_directions(f)
    by = st.selectbox(t("ov.map_by"), ["", *sections.indicator_options(f, "县市区")], key="map", bind="query-params",
                      format_func=lambda c: fmt.indicator_label(names.get(c, c), directions.get(c)) if c else
                      t("ov.map_composite"))
    sections.county_map(f, t, by or None, "ov_map")
with right:
    st.subheader(t("ov.matrix"), help=t("ov.matrix_help"))
    sections.overview_matrix(f, t, "ov_matrix")

ranks, short = st.tabs([t("ov.tab_ranks"), t("ov.tab_shortfalls")], key="tab",
                       bind="query-params", on_change="rerun")
if ranks.open:
    with ranks:
        st.subheader(t("ov.top_bottom"))
        sections.top_bottom(f, t, data["top_bottom"])
        left, right = st.columns(2)
        with left:
            st.subheader(t("ov.movers"))
            sections.movers(f, t)
        with right:
            st.subheader(t("ov.province"))
            sections.province(f, t, data["province"], "ov_province", chart=False)

if short.open:
    with short:
        st.subheader(t("ov.shortfalls"))
        sections.shortfalls(f, t, "ov_shortfalls")

from ui import supervision_ledger  # noqa: E402  (云督查; kept apart from the page's own layout)

supervision_ledger.overview_counts(f, t)
