"""全省排名 — the city among the province's 市州 on each indicator: its ranks and their change,
rank history, where it gains and loses places, and every 市州's figure on one indicator."""

import pandas as pd
import streamlit as st

from ui import app, cache, charts, fmt, layout, sections, tables
from ui.safe import md

f, t = app.page()
data = cache.province(f.root, f.version, f.period, f.category)
city = data["city_name"] or ""
layout.title(t("prov.title", city=md(city)) if city else t("page.province"), f, t)
layout.pin_toggle("province", t)
if data["ranks"].empty:
    st.info(t("prov.none"))
    st.stop()

# lower-is-better indicators carry ↓ wherever their name is shown (ranks, table, history, picker)
ranks = data["ranks"].assign(indicator_name=[fmt.indicator_label(n, d) for n, d in
                                             zip(data["ranks"]["indicator_name"], data["ranks"]["direction"], strict=True)])
st.subheader(t("prov.ranks"))
sections.province(f, t, ranks, "prov_ranks")
show = ranks.assign(rank_text=[fmt.rank(a, b) for a, b in zip(ranks["rank"], ranks["rank_of"], strict=True)])
screen = {t("col.indicator"): show["indicator_name"],
          t("col.actual"): [fmt.value(a, m, d) for a, m, d in zip(show["actual"], show["measure"], show["decimals"],
                                                                  strict=True)],
          t("prov.col.rank"): show["rank_text"], t("prov.col.standing"): [t(f"prov.standing.{fmt.standing(r, n)}") for r, n in
                                                                         zip(show["rank"], show["rank_of"], strict=True)],
          t("col.rank_change"): [fmt.rank_change(c) for c in show["change"]]}
export = {t("col.indicator"): show["indicator_name"], t("col.measure"): show["measure"], t("col.actual"): show["actual"],
          t("prov.col.rank"): show["rank"], t("col.rank_of"): show["rank_of"], t("col.rank_change"): show["change"]}
layout.table(pd.DataFrame(screen), pd.DataFrame(export), f"{t('page.province')}_{f.period}", "prov_table", t)

st.subheader(t("prov.history"))
labels = dict(zip(ranks["indicator_code"], ranks["indicator_name"], strict=True))
hist = data["history"].assign(indicator_name=lambda h: h["indicator_code"].map(labels).fillna(h["indicator_name"]))
layout.chart(charts.lines(hist, "period", "rank", "indicator_name", x_labels=sections.period_labeler(f), reverse=True,
                          y_title=t("prov.rank_axis")), "prov_history")

st.subheader(t("prov.all"))
names = dict(zip(ranks["indicator_code"], ranks["indicator_name"], strict=True))
code = st.selectbox(t("prov.pick"), list(names), key="pind", bind="query-params", format_func=names.get)
rows = data["all"]
rows = rows[rows["indicator_code"] == code].sort_values("rank")
rows = rows.assign(status=[fmt.standing(r, n) for r, n in zip(rows["rank"], rows["rank_of"], strict=True)])
text = [f"{fmt.value(a, m, d)}　{fmt.rank(r, o)}" for a, m, d, r, o in
        zip(rows["actual"], rows["measure"], rows["decimals"], rows["rank"], rows["rank_of"], strict=True)]
fig = charts.ranking_bars(rows, "unit_name", "actual", text, lambda s: t(f"prov.standing.{s}"), percent=False)
layout.chart(fig, "prov_all")
st.caption(t("prov.standing_legend"))
show, export, _ = tables.figure_tables(rows, t, f.lang, ["unit", "actual", "rank", "source"])
show = show.rename(columns={t("col.rank"): t("prov.col.rank")})
export = export.rename(columns={t("col.rank"): t("prov.col.rank")})
layout.table(show, export, f"{names[code]}_{f.period}", "prov_all_table", t)
