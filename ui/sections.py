"""Blocks shared by the pages and the presenter: each reads cached views and lays one thing out.

``big=True`` draws for the projector (larger type, fewer table rows).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics import periods as per
from metrics import views
from ui import cache, charts, figures, fmt, layout, tables
from ui.filters import Filters
from ui.safe import md

short_label = figures.short_label
hover_text = figures.hover_text


def status_word(t):
    """The status in words (达序时, 滞后 …): the hover of a point colored by status."""
    return lambda s: t(f"status.{s}")


def marked(df: pd.DataFrame, column: str = "indicator_name") -> pd.DataFrame:
    """Rows with their indicator's name marked ↓ where lower is better (charts name them as tables do)."""
    if "direction" not in df or df.empty:
        return df
    return df.assign(**{column: [fmt.indicator_label(n, d) for n, d in zip(df[column], df["direction"], strict=True)]})


def cards(f: Filters, t, data: dict) -> None:
    """Headline cards; each says what it counts (指标×单位 rows, units), the 全省排名 card names its
    indicator in full (wrapped) and its movement with one sign (↓1位)."""
    c = data["cards"]
    share = fmt.pct(c["green"] / c["rows"]) if c["rows"] else "—"
    red_delta = None if c["red_prev"] is None else c["red"] - c["red_prev"]
    missing = md(t("p.list").join(c["missing_units"][:12])) or t("ov.none")
    items = [
        {"label": t("ov.on_track"), "value": t("ov.items", n=c["green"]), "delta": share, "color": "off",
         "arrow": "off", "caption": t("ov.share_of", rows=c["rows"]),
         "help": t("ov.on_track_help", rows=c["rows"], green=c["green"], share=share)},
        {"label": t("ov.behind"), "value": t("ov.items", n=c["behind"]),
         "caption": t("ov.behind_caption", yellow=c["yellow"], red=c["red"]),
         "help": t("ov.behind_help", yellow=c["yellow"], red=c["red"])},
        {"label": t("ov.red"), "value": t("ov.items", n=c["red"]),
         "delta": None if red_delta is None else f"{red_delta:+d}", "color": "inverse", "arrow": "off",
         "note": t("ov.vs_prev"),
         "help": t("ov.red_help", prev=c["red_prev"] if c["red_prev"] is not None else "—")},
        {"label": t("ov.not_reporting"), "value": t("ov.units_n", n=len(c["missing_units"])),
         "help": t("ov.not_reporting_help", names=missing)},
    ]
    p = c["province"]
    if p:
        change = p["change"]
        moved = None if fmt.blank(change) or int(change) == 0 else int(change)
        items.append({"label": t("ov.province"), "value": t("ov.province_value", rank=int(p["rank"])),
                      "delta": None if moved is None else t("ov.places", n=fmt.rank_change(moved)),
                      "color": "gray" if moved is None else ("green" if moved > 0 else "red"), "arrow": "off",
                      "caption": md(p["indicator_name"]),
                      "help": t("ov.province_help", indicator=md(p["indicator_name"]), rank=int(p["rank"]),
                                rank_of=int(p["rank_of"]), up=c["province_up"], down=c["province_down"])})
    else:
        items.append({"label": t("ov.province"), "value": "—", "help": t("ov.province_none")})
    layout.metric_cards(items)


def matrix(f: Filters, t, df: pd.DataFrame, key: str, big: bool = False, rows: str = "indicator_name",
           cols: str = "unit_name") -> None:
    if df.empty:
        st.info(t("table.empty"))
        return
    st.html(figures.matrix(df, f.lang, big, rows, cols))
    layout.status_legend(t)


def overview_figure(f: Filters, kind: str, big: bool = False):
    return cache.overview_figure(kind, f.root, f.version, f.period, f.group, f.category, f.lang, big)


def overview_matrix(f: Filters, t, key: str, big: bool = False) -> None:
    """The overview's status matrix (cached per filters and language: it can be 300 indicators tall)."""
    st.html(overview_figure(f, "matrix", big))
    layout.status_legend(t)


def type_ranking(f: Filters, t, ranking: pd.DataFrame, title_key: str, key: str) -> None:
    """A unit type's composite ranking: bars per group, then the table with its downloads."""
    st.subheader(t(title_key))
    composite_ranking(f, t, ranking, key)
    show, export = tables.unit_tables(ranking, t)
    layout.table(show, export, f"{t(title_key)}_{f.period}", f"{key}_table", t)


def composite_ranking(f: Filters, t, ranking: pd.DataFrame, key: str, big: bool = False) -> None:
    """Composite bars per group (best first), score and rank change written on each bar."""
    ranking = ranking[ranking["composite"].notna()]
    groups = list(dict.fromkeys(ranking["group"]))
    # the projector: every group in one row, so the slide never scrolls (bars cap their own height)
    cols = st.columns(min(len(groups), 4 if big else 2)) if groups else []
    scale = (float(ranking["composite"].min()), float(ranking["composite"].max())) if len(ranking) else None
    for i, g in enumerate(groups):
        sub = ranking[ranking["group"] == g].sort_values("rank")
        text = [f"{fmt.score(s)}  {fmt.rank_change(c)}" for s, c in zip(sub["composite"], sub["rank_change"], strict=True)]
        with cols[i % len(cols)]:
            st.subheader(md(g))
            layout.chart(charts.composite_bars(sub, text, big=big, range_=scale), f"{key}_{i}")


def top_bottom(f: Filters, t, df: pd.DataFrame) -> None:
    """A card per ranking group: its first and last units by composite (one HTML block)."""
    if df.empty:
        st.info(t("table.empty"))
        return
    st.html(overview_figure(f, "top_bottom"))


def movers(f: Filters, t, big: bool = False) -> None:
    html = overview_figure(f, "movers", big)
    if html is None:
        st.info(t("ov.movers_none"))
        return
    st.html(html)


def shortfalls(f: Filters, t, key: str, big: bool = False) -> None:
    """Shortfalls of the overview's units: counts per unit, and (not on the projector) the list."""
    st.caption(t("ov.shortfalls_help"))
    chart, table = overview_figure(f, "shortfalls", big)
    if chart is None:
        st.info(t("table.empty"))
        return
    if big:  # the projector: the counts, and the reds by unit in words large enough to read
        left, right = st.columns([3, 2])
        with left:
            layout.chart(chart, f"{key}_counts")
        with right:
            st.markdown(red_list(table[0], t))
        return
    left, right = st.columns([1, 2])   # the list's eight columns (nine with 挂账) fit beside the counts
    with left:
        layout.chart(chart, f"{key}_counts")
    with right:
        show, export, statuses = table
        layout.table(show, export, f"{t('ov.shortfalls')}_{f.period}", key, t, statuses, height=420, limit=100)


def red_list(show: pd.DataFrame, t, per_unit: int = 4) -> str:
    """Markdown: each unit's red indicators (most reds first), a few per unit."""
    reds = show[show[t("col.status")] == t("status.red")]
    if reds.empty:
        return ""
    lines = []
    for unit, sub in sorted(reds.groupby(t("col.unit"), sort=False), key=lambda kv: -len(kv[1])):
        names = sub[t("col.indicator")].tolist()
        more = t("pres.more", n=len(names) - per_unit) if len(names) > per_unit else ""
        count = t("p.paren", x=f"{t('status.short.red')}{len(names)}")
        lines.append(f"- **{md(unit)}**{count}{t('p.colon')}{md(t('p.list').join(names[:per_unit]))}{more}")
    return "\n".join(lines)


def county_map(f: Filters, t, by: str | None, key: str, big: bool = False) -> None:
    """The 12 county-level units on their real boundaries, colored by composite (one blue scale) or by
    an indicator's status; a 县市区 group chosen in the filters is the one shown in color."""
    svg = cache.map_figure(f.root, f.version, f.period, by, f.lang, big, f.group)
    if not svg:
        return
    st.markdown(svg, unsafe_allow_html=True)  # our SVG: names in it pass ui.safe.html_text (no link, no image)
    st.caption(t("ov.map_source"))


def province(f: Filters, t, ranks: pd.DataFrame, key: str, big: bool = False, chart: bool = True) -> None:
    """The city's rank on each indicator and where it gained or lost places (as bars, or as a
    short list where space is dear)."""
    if ranks.empty:
        st.info(t("prov.none"))
        return
    gains = ranks[ranks["change"] > 0]
    losses = ranks[ranks["change"] < 0]
    c1, c2 = st.columns(2)
    c1.success(f"**{t('prov.gains')}**{t('p.colon')}" + (t("p.sep").join(f"{r.indicator_name} {fmt.rank_change(r.change)}"
                                                     for r in gains.itertuples()) or t("prov.no_change")))
    c2.warning(f"**{t('prov.losses')}**{t('p.colon')}" + (t("p.sep").join(f"{r.indicator_name} {fmt.rank_change(r.change)}"
                                                   for r in losses.itertuples()) or t("prov.no_change")))
    if chart:
        layout.chart(figures.province_ranks(ranks, f.lang, big), key)
        st.caption(t("prov.standing_legend"))
    else:
        st.markdown("\n".join(f"- {md(r.indicator_name)}{t('p.colon')}{t('ov.province_value', rank=int(r.rank))}/{int(r.rank_of)}"
                               f" {fmt.rank_change(r.change)}" for r in ranks.itertuples()))


def period_label(f: Filters) -> str:
    return per.label(f.period, f.lang)


def pinned_page_label(t, page: str) -> str:
    return t(f"page.{page}")


def group_title(utype: str, group: str) -> str:
    return f"{utype} · {group}" if utype != group else group


def unit_name(f: Filters, code: str | None) -> str:
    if not code:
        return ""
    units, _ = cache.catalog(f.root, f.version)
    hit = units.loc[units["code"] == code, "name"]
    return str(hit.iloc[0]) if len(hit) else code


def indicator_options(f: Filters, unit_type: str | None = None) -> list[str]:
    """Indicator codes in catalog order, narrowed by the category filter (and a unit type)."""
    return cache.indicator_codes(f.root, f.version, f.category, unit_type)


def indicator_directions(f: Filters) -> dict[str, str]:
    """Indicator code -> higher / lower (for the ↓ mark)."""
    _, indicators = cache.catalog(f.root, f.version)
    return dict(zip(indicators["code"].astype(str), indicators["direction"].astype(str), strict=True))


def indicator_names(f: Filters) -> dict[str, str]:
    return cache.filter_options(f.root, f.version)["indicator_names"]


def county_ranking(f: Filters, t, key: str, big: bool = False) -> None:
    data = cache.type_page(f.root, f.version, f.period, views.COUNTY_TYPE, None)
    composite_ranking(f, t, data["ranking"], key, big=big)


def period_labeler(f: Filters):
    return lambda code: per.label(code, f.lang)
