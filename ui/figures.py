"""Figures and tables composed from metrics.views frames and a language (pure, no Streamlit).

ui.sections lays these out; ui.cache keeps the heavy ones (the overview's matrix, map and
shortfalls) per store version, filters and language, so a rerun only sends them again.
"""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from ui import charts, fmt, tables
from ui.i18n import translator

SHORTFALL_COLUMNS = ["unit", "indicator", "actual", "target", "completion", "status", "rank", "source"]


def short_label(t):
    return lambda s: t(f"status.short.{s}")


def hover_text(df: pd.DataFrame, t, newline: str = "<br>") -> list[str]:
    """Hover of a figure: unit · indicator, actual / target, completion, status, rank."""
    out = []
    for r in df.to_dict("records"):
        target, actual = fmt.pair(r["target"], r["actual"], r["measure"], r["decimals"])
        out.append(
            f"{r['unit_name']} · {r['indicator_name']}{newline}{t('col.actual')} "
            f"{actual}　{t('col.target')} {target}{newline}"
            f"{t('col.completion')} {fmt.pct(r['completion'])}　{t('col.status')} {t('status.' + r['status'])}"
            f"　{t('col.rank')} {fmt.rank(r['rank'], r['rank_of'])}")
    return out


def matrix(df: pd.DataFrame, lang: str, big: bool = False, rows: str = "indicator_name",
           cols: str = "unit_name") -> str:
    """The status matrix as HTML (status word in every cell, the figure in its hover title); lower-is-
    better indicators marked ↓ as in the tables."""
    t = translator(lang)
    if "direction" in df and len(df):
        df = df.assign(indicator_name=[fmt.indicator_label(n, d) for n, d in
                                       zip(df["indicator_name"], df["direction"], strict=True)])
    return charts.status_matrix(df, rows, cols, short_label(t), hover_text(df, t, "\n"), big=big)


def county_map(data: pd.DataFrame, boundaries: dict, lang: str, by: str | None, big: bool = False) -> str:
    """The county map (SVG): by composite on one blue scale, or by an indicator's status in the status
    colors with a legend naming them.  Units outside the chosen group (``in_group`` False) are drawn
    in grey with their name only."""
    t = translator(lang)
    inside = data["in_group"].astype(bool).tolist() if "in_group" in data else [True] * len(data)
    outside = t("ov.map_outside")
    if by:
        labels = [f"{n}<br>{fmt.pct(v)}" if i else str(n) for n, v, i in zip(data["unit_name"], data["value"], inside,
                                                                         strict=True)]
        hover = [(f"{r['unit_name']} {t('col.completion')} {fmt.pct(r['completion'])} · {t('status.' + str(r['status']))}"
                  if not fmt.blank(r["status"]) else str(r["unit_name"])) if i else f"{r['unit_name']} · {outside}"
                 for r, i in zip(data.to_dict("records"), inside, strict=True)]
        status = ["missing" if fmt.blank(s) else str(s) for s in data["status"]]
        fills = [fmt.STATUS_COLORS.get(s) if i else charts.OUTSIDE_FILL for s, i in zip(status, inside, strict=True)]
        shown = [s for s in fmt.STATUS_ORDER if s in {s for s, i in zip(status, inside, strict=True) if i}]
        legend = [(fmt.STATUS_COLORS[s], t(f"status.{s}")) for s in shown]
        if not all(inside):
            legend.append((charts.OUTSIDE_FILL, outside))
        return charts.choropleth(boundaries, data.assign(value=data["value"] * 100), "value", labels, hover,
                                 t("ov.map_status_title"), big=big, fills=fills, legend=legend)
    labels = [f"{n}<br>{fmt.score(v)}" if i else str(n) for n, v, i in zip(data["unit_name"], data["value"], inside,
                                                                      strict=True)]
    hover = [(f"{r['unit_name']} {t('col.composite')} {fmt.score(r['composite'])} · {t('col.rank')} "
              f"{fmt.rank(r['rank'], r['rank_of'])}{t('p.paren', x=r['group'])}") if i else f"{r['unit_name']} · {outside}"
             for r, i in zip(data.to_dict("records"), inside, strict=True)]
    values = data["value"].where(inside)
    fills = None if all(inside) else [None if i else charts.OUTSIDE_FILL for i in inside]
    if fills is not None:   # the group's units on the blue scale of their own range, the others grey
        lo, hi = (float(values.min()), float(values.max())) if values.notna().any() else (0.0, 1.0)
        span = (hi - lo) or 1.0
        fills = [f or sample_colorscale(charts.MAP_SCALE, [min(1.0, max(0.0, (float(v) - lo) / span))])[0]
                 if not fmt.blank(v) else f for f, v in zip(fills, values, strict=True)]
    return charts.choropleth(boundaries, data.assign(value=values), "value", labels, hover, t("ov.map_composite_title"),
                             big=big, fills=fills)


def shortfall_counts(df: pd.DataFrame, lang: str, big: bool = False) -> go.Figure:
    """Shortfalls per unit, stacked by status (most first)."""
    t = translator(lang)
    counts = df.groupby("unit_name", sort=False)["status"].value_counts().unstack(fill_value=0)
    counts = counts.reindex(columns=["red", "yellow", "green", "missing"], fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts = counts.sort_values("total", ascending=False).reset_index()
    series = {s: t(f"status.{s}") for s in ("red", "yellow", "green") if counts[s].sum()}
    return charts.stacked_counts(counts, "unit_name", series, fmt.STATUS_COLORS, big=big)


def shortfall_table(df: pd.DataFrame, lang: str, period: str | None = None
                    ) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    return tables.figure_tables(df, translator(lang), lang, SHORTFALL_COLUMNS, period=period)


def movers(df: pd.DataFrame, lang: str, big: bool = False) -> str:
    t = translator(lang)
    return charts.movers(df, t("ov.up"), t("ov.down"), big=big)


def province_ranks(ranks: pd.DataFrame, lang: str, big: bool = False) -> go.Figure:
    """The city's rank on each indicator as bars (longer = better), colored by standing (top, middle,
    bottom third of the 市州), rank and movement (↑2 / ↓1) written beside each bar."""
    t = translator(lang)
    text = [f"{t('ov.province_value', rank=int(r.rank))}/{int(r.rank_of)}  {fmt.rank_change(r.change)}"
            for r in ranks.itertuples()]
    plot = ranks.assign(value=ranks["rank_of"] - ranks["rank"] + 1,
                        status=[fmt.standing(r, n) for r, n in zip(ranks["rank"], ranks["rank_of"], strict=True)])
    fig = charts.ranking_bars(plot, "indicator_name", "value", text, lambda s: t(f"prov.standing.{s}"), percent=False,
                              big=big, room=0.8)
    fig.update_xaxes(visible=False)
    return fig


def top_bottom(df: pd.DataFrame, lang: str) -> str:
    """HTML cards, one per ranking group: its first and last units by composite, with ranks."""
    t = translator(lang)
    groups: dict[tuple[str, str], dict[str, list[str]]] = {}
    for r in df.to_dict("records"):
        sides = groups.setdefault((r["unit_type"], r["group"]), {"top": [], "bottom": []})
        sides[r["side"]].append(f"{r['unit_name']} {fmt.score(r['composite'])}{t('p.paren', x=int(r['rank']))}")
    cards = []
    for (utype, group), sides in groups.items():
        title = f"{utype} · {group}" if utype != group else group
        lines = "".join(f"<p><b>{escape(t('ov.' + side))}</b>{escape(t('p.colon') + t('p.sep').join(names))}</p>"
                        for side, names in sides.items() if names)
        cards.append(f'<div class="card"><h4>{escape(title)}</h4>{lines}</div>')
    return f'<div class="yjx-cards" data-testid="yjx-top-bottom">{"".join(cards)}</div>'
