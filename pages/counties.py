"""县市区 — one county's profile (every indicator against its target and 序时进度, rank in group,
trend, YoY, projection), the county ranking, several counties side by side, and its towns."""

import streamlit as st

from metrics import views
from ui import app, cache, charts, fmt, layout, sections, tables
from ui.safe import md

f, t = app.page()
layout.title(t("page.counties"), f, t)
layout.pin_toggle("counties", t)
unit = f.unit
data = cache.unit_page(f.root, f.version, f.period, unit, f.category) if unit else {"unit": None}
u = data["unit"]
tab_profile, tab_rank, tab_compare, tab_towns = st.tabs(
    [t("unit.tab_profile"), t("pres.slide.county_ranking"), t("unit.tab_compare"), t("unit.tab_towns")])

with tab_profile:
    if u is None:
        st.info(t("table.empty"))
    else:
        st.header(md(u["unit_name"] + t("p.paren", x=u["group"])))
        change = u["rank_change"]
        layout.metric_cards([
            {"label": t("unit.composite"), "value": fmt.score(u["composite"]) if not fmt.blank(u["composite"]) else "—"},
            {"label": t("unit.rank"), "value": fmt.rank(u["rank"], u["rank_of"]),
             "delta": None if fmt.blank(change) else t("ov.places", n=f"{int(change):+d}") if change else t("ov.same"),
             "note": t("ov.vs_prev"), "color": "normal" if not fmt.blank(change) and change else "off",
             "arrow": "auto" if not fmt.blank(change) and change else "off"},
            {"label": t("ov.red"), "value": str(int(u["red"])),
             "help": t("unit.counts", green=u["green"], yellow=u["yellow"], red=u["red"], missing=u["missing"])},
            {"label": t("status.missing"), "value": str(int(u["missing"]))},
        ])
        profile = data["profile"]
        show, export, statuses = tables.figure_tables(
            profile, t, f.lang, ["indicator", "target", "actual", "completion", "expected", "status", "rank", "yoy",
                                 "projection", "will_meet", "trend", "source"], period=f.period)
        config = {t("col.trend"): layout.trend_column(t)}
        layout.table(show, export, f"{u['unit_name']}_{f.period}", "county_profile", t, statuses, config)
        st.caption(t("table.provenance"))
        amounts = sections.marked(profile[(profile["kind"] == "amount") & profile["completion"].notna()])
        left, right = st.columns([3, 2])
        with left:
            st.subheader(t("unit.completion_chart"))
            if len(amounts):
                fig = charts.ranking_bars(amounts, "indicator_name", "completion",
                                          [fmt.pct(c) for c in amounts["completion"]], sections.short_label(t),
                                          targets="expected_progress", target_name=t("col.expected"))
                layout.chart(fig, "county_completion")
        with right:
            st.subheader(t("unit.composite_trend"))
            trend = data["composite_trend"].assign(unit=u["unit_name"])
            layout.chart(charts.lines(trend, "period", "composite", "unit", x_labels=sections.period_labeler(f)),
                         "county_composite_trend")

with tab_rank:
    sections.county_ranking(f, t, "county_ranking")
    ranking = cache.type_page(f.root, f.version, f.period, views.COUNTY_TYPE, f.group)["ranking"]
    show, export = tables.unit_tables(ranking, t)
    layout.table(show, export, f"{t('pres.slide.county_ranking')}_{f.period}", "county_ranking_table", t)

with tab_compare:
    options = views.unit_options(cache.catalog(f.root, f.version)[0], None, (views.COUNTY_TYPE,))
    default = [c for c in options if c != unit][:2]
    chosen = st.multiselect(t("unit.compare_pick"), options, default=[unit, *default] if unit else default,
                            key="cmp", bind="query-params", format_func=lambda c: sections.unit_name(f, c),
                            placeholder=t("app.choose"))
    if chosen:
        rows = cache.compare(f.root, f.version, f.period, tuple(chosen), f.category)
        sections.matrix(f, t, rows, "county_compare", rows="indicator_name", cols="unit_name")
        show, export, statuses = tables.figure_tables(rows, t, f.lang, ["indicator", "unit", "target", "actual",
                                                                       "completion", "status", "rank", "source"],
                                                      period=f.period)
        layout.table(show, export, f"{t('unit.compare')}_{f.period}", "county_compare_table", t, statuses)

with tab_towns:
    town = cache.towns(f.root, f.version, f.period, unit, f.category) if unit else None
    if not town or town["ranking"].empty:
        st.info(t("unit.towns_none"))
    else:
        st.subheader(t("unit.towns_ranking"))
        sections.composite_ranking(f, t, town["ranking"], "town_ranking")
        st.subheader(t("unit.towns_matrix"))
        sections.matrix(f, t, town["matrix"], "town_matrix")
        show, export, statuses = tables.figure_tables(town["matrix"], t, f.lang, period=f.period)
        layout.table(show, export, f"{sections.unit_name(f, unit)}_{t('unit.towns')}_{f.period}", "town_table", t,
                     statuses)

from ui import supervision_ledger  # noqa: E402  (云督查; kept apart from the page's own layout)

supervision_ledger.panel(f, t, unit=f.unit)
