"""指标 — one indicator across all units: ranking bars with the target and 序时进度 marked, the
distribution, history, year-end projection, and the units that have not reported."""

import streamlit as st

from ui import app, cache, charts, fmt, layout, sections, tables
from ui.safe import md

f, t = app.page()
layout.title(t("page.indicator"), f, t)
layout.pin_toggle("indicator", t)
names = sections.indicator_names(f)
codes = sections.indicator_options(f)
if not codes:
    st.info(t("ind.none"))
    st.stop()
directions = sections.indicator_directions(f)
code = st.selectbox(t("ind.pick"), codes, key="ind", bind="query-params",
                    format_func=lambda c: f"{fmt.indicator_label(names[c], directions.get(c))}（{c}）")
data = cache.indicator_page(f.root, f.version, f.period, code, f.group)
info, r = data["info"], data["ranking"]
if info.get("direction") == "lower":
    st.caption(t("dir.lower_caption"), help=t("dir.lower_help"))
amount = info.get("kind") == "amount"
st.caption(t("ind.meta", category=md(info.get("category", "")), measure=md(info.get("measure", "")),
             kind=t(f"ind.kind.{info.get('kind')}"), direction=t(f"ind.direction.{info.get('direction')}"),
             weight=fmt.number(info.get("weight"), 1), lead=md(info.get("lead", ""))) + f"　·　{md(data['unit_type'])}")

st.subheader(t("ind.ranking"))
groups = list(dict.fromkeys(r["group"]))
cols = st.columns(min(2, len(groups))) if groups else []
for i, g in enumerate(groups):
    sub = r[r["group"] == g]
    text = [fmt.pct(c) if amount else fmt.value(a, m, d)
            for c, a, m, d in zip(sub["completion"], sub["actual"], sub["measure"], sub["decimals"], strict=True)]
    e = sub["expected_progress"].dropna()
    fig = charts.ranking_bars(sub, "unit_name", "completion" if amount else "actual", text, sections.short_label(t),
                              expected=float(e.median()) if amount and len(e) else None, expected_name=t("col.expected"),
                              targets=None if amount else "target", target_name=t("ind.target"), percent=amount,
                              hover=sections.hover_text(sub, t))
    with cols[i % len(cols)]:
        st.markdown(f"**{md(g)}**")
        layout.chart(fig, f"ind_rank_{i}")
show, export, statuses = tables.figure_tables(r, t, f.lang, ["unit", "group", "target", "milestone", "actual",
                                                             "completion", "expected", "status", "rank", "yoy",
                                                             "projection", "will_meet", "source"], period=f.period)
layout.table(show, export, f"{names[code]}_{f.period}", "ind_table", t, statuses)

left, right = st.columns(2)
with left:
    st.subheader(t("ind.distribution"))
    values = (r["completion"] if amount else r["actual"]).tolist()
    e = r["expected_progress"].dropna()
    target = r["target"].dropna()
    layout.chart(charts.histogram(values, names[code], percent=amount,
                                  expected=float(e.median()) if amount and len(e) else None,
                                  expected_name=t("col.expected"),
                                  target=None if amount or target.empty else float(target.median()),
                                  target_name=t("ind.target") + t("p.paren", x=t("ind.median"))), "ind_hist")
with right:
    st.subheader(t("ind.history"))
    hist = data["history"]
    expected = hist.groupby("period", sort=False)["expected_progress"].median() if amount else None
    layout.chart(charts.lines(hist, "period", "value", "unit_name", x_labels=sections.period_labeler(f),
                              percent=amount, expected=expected, expected_name=t("col.expected"),
                              y_title=t("col.completion") if amount else fmt.indicator_label(names[code], info.get(
                                  "direction")), status=sections.status_word(t)), "ind_history")
    layout.status_legend(t)

st.subheader(t("ind.projection"))
proj = r[r["projection"].notna() & r["target"].notna()]
if not amount or proj.empty:
    st.info(t("ind.projection_none"))
else:
    layout.chart(charts.projection(proj, "unit_name", t("ind.will"), t("ind.wont"), t("ind.target")), "ind_projection")

st.subheader(t("ind.not_reported"))
missing = data["not_reported"]
if missing.empty:
    st.success(t("ind.all_reported"))
else:
    st.warning(md(t("p.list").join(missing["unit_name"])))

from ui import supervision_ledger  # noqa: E402  (云督查; kept apart from the page's own layout)

supervision_ledger.panel(f, t, indicator=code)
