"""考核结果 — the year's result as the scheme decides it: per group the graded table (grade as color and
word, distance to the next grade), one unit's result with its events and the what-if, and the
加扣分事项 (imported, entered, corrected and withdrawn by an administrator)."""

import streamlit as st

from metrics import views
from metrics.assessment import views as av
from metrics.assessment.annual import NoResult
from metrics.assessment.events import ASSESSED_TYPES
from metrics.assessment.rules import rules_from
from metrics.assessment.service import events_as_of
from metrics.scheme import load_scheme
from ui import app, cache, layout
from ui import assessment as ui
from ui.identity import current_actor, db_url

f, t = app.page()
year = f.year
layout.title(t("as.title", year=year), f, t)
events_key = cache.events_version(f.root)
try:
    table = cache.assessment(f.root, f.version, year, events_key)
except NoResult as err:
    table = None
    st.info(t("as.no_result", year=year, reason=ui.plain(err.message(f.lang))))
    years = cache.assessment_years(f.root, f.version)
    if years:
        st.caption(t("as.years_with", years="、".join(map(str, years))))
rules_for = rules_from(load_scheme(year))
units = cache.catalog(f.root, f.version)[0]
names = dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True))
events = events_as_of(db_url(f.root), None, year)
st.caption(t("as.synthetic"))

tab_groups, tab_unit, tab_events = st.tabs([t("as.tab_groups"), t("as.tab_unit"), t("as.tab_events")],
                                           key="atab", bind="query-params", on_change="rerun")
if tab_groups.open and table is not None:
    with tab_groups:
        want_type, want_group = views.split_group(f.group)
        types = av.types_present(table)
        utype = want_type or st.segmented_control(t("as.type"), types, default=types[0], key="atype",
                                                  bind="query-params", required=True)
        st.caption(t("as.rules", type=utype, rules=av.rules_text(rules_for(utype), f.lang)))
        for k, g in enumerate(av.groups(table, rules_for, utype, want_group)):
            st.subheader(ui.plain(t("as.group_head", type=g.unit_type, group=g.group)))
            st.caption(t("as.group_caption", n=g.n, quota=g.quota, excellent=g.excellent))
            ui.group_table(g, t, f.lang, f"{year}_{g.unit_type}_{g.group}_考核结果", f"as_group_{k}")
        st.caption(t("as.legend"))

if tab_unit.open and table is not None:
    with tab_unit:
        codes = table["unit_code"].tolist()
        code = st.selectbox(t("as.unit_pick"), codes, key="unit", bind="query-params",
                            format_func=lambda c: names.get(c, c))
        if code:
            ui.unit_view(table, code, events, names, year, t, f.lang,
                         lambda: cache.assessment_whatif(f.root, f.version, year, code, events_key))
        else:
            st.info(t("as.unit_none"))

if tab_events.open:
    with tab_events:
        st.subheader(t("as.events_in_force", year=year, n=len(events)))
        ui.events_table(events, names, t, f.lang, "as_events", f"{year}_加扣分事项")
        gone = [e for e in events_as_of(db_url(f.root), None, year, withdrawn=True) if e.source.get("withdrawn")]
        if gone:
            with st.expander(t("as.withdrawn", n=len(gone))):
                ui.events_table(gone, names, t, f.lang, "as_withdrawn", f"{year}_已撤销事项", withdrawn=True)
        assessed = {c: names[c] for c in units.loc[units["type"].isin(ASSESSED_TYPES), "code"]}
        ui.manage(f.root, year, current_actor(), events, assessed, t, f.lang)
