"""Chart builders: data in, plotly Figure out (the status matrix: an HTML table).  Pure (no
Streamlit); tests read ``fig.to_dict()``.

Every figure uses the dashboard's CJK font (served locally, see .streamlit/config.toml), shows
status by color *and* by a text label, and draws nothing that needs the internet (the map is
drawn from GeoJSON polygons on plain axes: no tiles, no CDN topology).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from ui import fmt
from ui.safe import html_text

FONT = "NotoSansSC, 'Noto Sans CJK SC', sans-serif"
STATUS_CODES = {s: i for i, s in enumerate(fmt.STATUS_ORDER)}
PRIMARY = "#1565C0"
#: scores' sequential scale (map, composite bars): light to dark blue, never read as a traffic light
MAP_SCALE = [[0.0, "#DCEBF7"], [0.5, "#6BAED6"], [1.0, "#08306B"]]
EXPECTED_COLOR = "#37474F"
GRID = "#E5EAF0"
COLORWAY = ["#1565C0", "#C62828", "#2E7D32", "#EF6C00", "#6A1B9A", "#00838F", "#5D4037", "#546E7A", "#AD1457",
            "#9E9D24"]
Label = Callable[[str], str]


BIG_MAX = 780  # the tallest chart a 1080 px slide has room for below its title and freshness line


def _tall(rows: int, extra: int, big: bool, least: int) -> int:
    """Height of a bar chart: 26 px a row, 44 on the projector but never taller than the slide allows."""
    return max(least, min((44 if big else 26) * rows + extra, BIG_MAX) if big else 26 * rows + extra)


def _layout(fig: go.Figure, height: int | None = None, title: str | None = None, big: bool = False,
            top: int | None = None) -> go.Figure:
    fig.update_layout(
        font={"family": FONT, "size": 24 if big else 13},
        title={"text": title, "x": 0, "xanchor": "left"} if title else None,
        margin={"l": 8, "r": 8, "t": top if top is not None else (40 if title else 10), "b": 8},
        height=height, hoverlabel={"font": {"family": FONT}}, plot_bgcolor="white", paper_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}, colorway=COLORWAY,
    )
    # what the plotly_white template would give, without its cost (copying a template per figure)
    fig.update_xaxes(automargin=True, gridcolor=GRID, zerolinecolor=GRID, linecolor=GRID)
    fig.update_yaxes(automargin=True, gridcolor=GRID, zerolinecolor=GRID, linecolor=GRID)
    return fig


def _status_scale() -> list:
    n = len(fmt.STATUS_ORDER)
    scale = []
    for i, s in enumerate(fmt.STATUS_ORDER):
        scale += [[i / n, fmt.STATUS_COLORS[s]], [(i + 1) / n, fmt.STATUS_COLORS[s]]]
    return scale


def status_matrix(df: pd.DataFrame, rows: str, cols: str, short: Label, hover: Sequence[str],
                  big: bool = False) -> str:
    """A grid of cells colored by status with the status's short label written in each (never color
    alone) and the figure on hover (the cell's title).  HTML, not a plotly heatmap: a table of a few
    hundred cells draws at once in the browser and reads as text on a phone or to a screen reader.

    df: one row per cell with columns ``rows``, ``cols`` and ``status``; ``hover`` aligned with df.
    """
    ylab = list(dict.fromkeys(df[rows]))
    xlab = list(dict.fromkeys(df[cols]))
    cells: dict[tuple[str, str], tuple[str, str]] = {}
    for (r, c, s), h in zip(df[[rows, cols, "status"]].itertuples(index=False, name=None), hover, strict=True):
        cells[(r, c)] = (s, h)
    head = "".join(f'<th scope="col"><span>{escape(str(x))}</span></th>' for x in xlab)
    body = []
    for y in ylab:
        tds = []
        for x in xlab:
            s, h = cells.get((y, x), ("", ""))
            tds.append(f'<td class="s-{s}" title="{escape(h, quote=True)}">{escape(short(s))}</td>' if s else "<td></td>")
        body.append(f'<tr><th scope="row">{escape(str(y))}</th>{"".join(tds)}</tr>')
    size = " yjx-big" if big else ""
    return (f'<div class="yjx-matrix{size}" data-testid="yjx-matrix"><table><thead><tr><th></th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def ranking_bars(df: pd.DataFrame, label: str, value: str, text: Sequence[str], short: Label,
                 expected: float | None = None, expected_name: str = "", targets: str | None = None,
                 target_name: str = "", percent: bool = True, hover: Sequence[str] | None = None,
                 big: bool = False, room: float = 0.35) -> go.Figure:
    """Horizontal bars in the order given (best first), colored by status, with the value and the
    status label as text; a vertical line at 序时进度 and/or a marker at each unit's target."""
    y = df[label].tolist()
    x = (df[value] * (100 if percent else 1)).tolist()
    palette = {**fmt.STATUS_COLORS, **fmt.STANDING_COLORS}
    colors = [palette.get(s, PRIMARY) for s in df["status"]] if "status" in df else PRIMARY
    shown = [f"{t} {short(s)}" for t, s in zip(text, df["status"], strict=True)] if "status" in df else list(text)
    fig = go.Figure(go.Bar(
        x=x, y=y, orientation="h", marker={"color": colors}, text=shown, textposition="outside",
        cliponaxis=False, customdata=list(hover) if hover is not None else shown,
        hovertemplate="%{y}<br>%{customdata}<extra></extra>", name=value, showlegend=False,
        textfont={"size": 22 if big else 12},
    ))
    tx = None
    if targets is not None and targets in df:
        tx = (df[targets] * (100 if percent else 1)).tolist()
        fig.add_trace(go.Scatter(x=tx, y=y, mode="markers", name=target_name,
                                 marker={"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": EXPECTED_COLOR}},
                                 hovertemplate="%{y}<br>" + target_name + " %{x}<extra></extra>"))
    ex = None
    if expected is not None and not math.isnan(expected):
        ex = expected * (100 if percent else 1)
        fig.add_vline(x=ex, line={"color": EXPECTED_COLOR, "dash": "dash", "width": 2})
        fig.add_annotation(x=ex, y=1, yref="paper", yanchor="bottom", showarrow=False,
                           text=f"{expected_name} {fmt.number(ex, 1)}{'%' if percent else ''}",
                           font={"color": EXPECTED_COLOR})
    fig.update_yaxes(autorange="reversed", tickfont={"size": 24 if big else 12})
    fig.update_xaxes(ticksuffix="%" if percent else "", range=_padded(x, tx, ex, room=room))
    return _layout(fig, _tall(len(y), 80, big, 220), big=big, top=36 if tx or ex is not None else None)


def _padded(*series, room: float = 0.35) -> list[float]:
    """An axis range from zero (or the least value) with room on the right for outside text."""
    vals = [float(v) for s in series if s is not None for v in (s if isinstance(s, list) else [s])
            if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not vals:
        return [0.0, 1.0]
    lo, hi = min(0.0, *vals), max(0.0, *vals)
    span = (hi - lo) or 1.0
    return [lo - (0.05 * span if lo < 0 else 0.0), hi + room * span]


def composite_bars(df: pd.DataFrame, text: Sequence[str], big: bool = False,
                   range_: tuple[float, float] | None = None) -> go.Figure:
    """Composite scores by unit (best first), darker blue for higher (the map's scale: a score has no
    status, so no traffic-light colors), value and rank as text; ``range_`` keeps one color scale
    across several groups' charts."""
    vals = df["composite"].astype(float)
    lo, hi = range_ or ((float(vals.min()), float(vals.max())) if len(vals) else (0.0, 1.0))
    span = (hi - lo) or 1.0
    colors = sample_colorscale(MAP_SCALE, [(v - lo) / span * 0.75 + 0.25 for v in vals.fillna(lo)])
    fig = go.Figure(go.Bar(x=vals, y=df["unit_name"], orientation="h", marker={"color": colors},
                           text=list(text), textposition="outside", cliponaxis=False,
                           hovertemplate="%{y}<br>%{text}<extra></extra>", textfont={"size": 22 if big else 12}))
    fig.update_yaxes(autorange="reversed", tickfont={"size": 24 if big else 12})
    fig.update_xaxes(range=[max(0.0, lo - 15), hi + 12])
    return _layout(fig, _tall(len(df), 60, big, 200), big=big)


def movers(df: pd.DataFrame, up: str, down: str, big: bool = False) -> str:
    """Rank changes as diverging bars (HTML): moved up to the right in green, down to the left in
    red, the change written beside each bar (↑2 / ↓1), so it reads without its colors."""
    change = df["rank_change"].astype(float)
    reach = max(1.0, float(change.abs().max())) if len(change) else 1.0
    rows = []
    for name, group, c in zip(df["unit_name"], df["group"], change, strict=True):
        share = f"{100 * abs(c) / reach:.0f}%"
        bar = f'<span class="bar" style="width:{share}"></span><b>{escape(fmt.rank_change(c))}</b>'
        left, right = ("", bar) if c > 0 else (bar, "")
        rows.append(f'<tr><th>{escape(str(name))}<small>{escape(str(group))}</small></th>'
                    f'<td class="down">{left}</td><td class="up">{right}</td></tr>')
    size = " yjx-big" if big else ""
    return (f'<div class="yjx-movers{size}" data-testid="yjx-movers"><table><thead><tr><th></th>'
            f'<th class="down">← {escape(down)}</th><th class="up">{escape(up)} →</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def stacked_counts(df: pd.DataFrame, label: str, series: dict[str, str], colors: dict[str, str],
                   big: bool = False) -> go.Figure:
    """Stacked horizontal counts per row (e.g. status counts per indicator); names carry the text."""
    fig = go.Figure()
    for col, name in series.items():
        fig.add_trace(go.Bar(x=df[col], y=df[label], name=name, orientation="h",
                             marker={"color": colors[col]}, text=df[col].where(df[col] > 0, None),
                             textposition="inside", insidetextanchor="middle", textangle=0,
                             textfont={"size": 22 if big else 12},
                             hovertemplate="%{y}<br>" + name + " %{x}<extra></extra>"))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, max(220, (40 if big else 26) * len(df) + 90), big=big)


#: line colors for series whose points carry status colors: blues, purples, browns and greys only,
#: so a line is never read as a traffic light
SERIES_COLORS = ["#1565C0", "#6A1B9A", "#00838F", "#5D4037", "#546E7A", "#283593", "#8E24AA", "#0277BD", "#4E342E",
                 "#37474F", "#5C6BC0", "#795548"]
STATUS_SYMBOLS = {"green": "circle", "yellow": "diamond", "red": "x", "missing": "circle-open",
                  "no_target": "circle-open"}


def lines(df: pd.DataFrame, x: str, y: str, color: str, x_labels: Callable[[str], str] | None = None,
          percent: bool = False, reverse: bool = False, y_title: str = "", expected: pd.Series | None = None,
          expected_name: str = "", highlight: str | None = None, big: bool = False,
          status: Label | None = None) -> go.Figure:
    """One line per ``color`` over ``x`` (periods); percent scales ratios; reverse for ranks;
    an optional dashed 序时进度 line; ``highlight`` draws one series thick.

    ``status`` (the short status label) colors each point by the row's ``status`` (and gives it a
    shape and the word on hover), the lines in colors that are not lights: a lower-is-better
    indicator whose value falls reads green, never "red because it went down"."""
    fig = go.Figure()
    xs = list(dict.fromkeys(df[x]))
    tick = [x_labels(v) if x_labels else v for v in xs]
    by_status = status is not None and "status" in df
    for i, (name, sub) in enumerate(df.groupby(color, sort=False)):
        vals = sub[y].astype(float) * (100 if percent else 1)
        wide = highlight is not None and name == highlight
        line: dict = {"width": 5 if wide else 2}
        marker: dict = {"size": 10 if wide else 6}
        extra: dict = {}
        hover = f"{name}<br>%{{x}}: %{{y:.1f}}{'%' if percent else ''}<extra></extra>"
        if by_status:
            states = sub["status"].astype(str).tolist()
            line["color"] = SERIES_COLORS[i % len(SERIES_COLORS)]
            marker = {"size": 12 if wide else 9, "color": [fmt.STATUS_COLORS.get(s, fmt.STATUS_COLORS["missing"])
                                                           for s in states],
                      "symbol": [STATUS_SYMBOLS.get(s, "circle") for s in states],
                      "line": {"width": 1, "color": "white"}}
            extra["customdata"] = [status(s) for s in states]
            hover = f"{name}<br>%{{x}}: %{{y:.1f}}{'%' if percent else ''} %{{customdata}}<extra></extra>"
        if by_status:   # the legend shows the series' own line, not its first point's status mark
            extra.update(legendgroup=str(name), showlegend=False)
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=str(name), legendgroup=str(name),
                                     line={"color": line["color"], "width": 3}, hoverinfo="skip"))
        fig.add_trace(go.Scatter(
            x=[tick[xs.index(v)] for v in sub[x]], y=vals, mode="lines+markers", name=str(name),
            line=line, marker=marker, opacity=1 if highlight is None or wide else 0.45,
            hovertemplate=hover, **extra))
    if expected is not None and len(expected):
        fig.add_trace(go.Scatter(x=[tick[xs.index(v)] for v in expected.index if v in xs],
                                 y=[float(expected[v]) * (100 if percent else 1) for v in expected.index if v in xs],
                                 mode="lines", name=expected_name, line={"dash": "dash", "color": EXPECTED_COLOR}))
    fig.update_yaxes(title={"text": y_title}, ticksuffix="%" if percent else "",
                     autorange="reversed" if reverse else True)
    if reverse:
        fig.update_yaxes(dtick=1)
    fig.update_xaxes(type="category")
    series = df[color].nunique()   # room for a legend that wraps to two names a row on a phone
    return _layout(fig, 420 if big else 340 + 18 * max(0, math.ceil(series / 2) - 2), big=big)


def histogram(values: Sequence[float], name: str, percent: bool = True, expected: float | None = None,
              expected_name: str = "", target: float | None = None, target_name: str = "") -> go.Figure:
    """Distribution of a figure across units, with 序时进度 or the target marked."""
    xs = [v * (100 if percent else 1) for v in values if v is not None and not math.isnan(v)]
    fig = go.Figure(go.Histogram(x=xs, name=name, marker={"color": PRIMARY}, nbinsx=min(20, max(5, len(xs) // 2)),
                                 hovertemplate="%{x}: %{y}<extra></extra>"))
    for ref, label in ((expected, expected_name), (target, target_name)):
        if ref is not None and not math.isnan(ref):
            r = ref * (100 if percent else 1)
            fig.add_vline(x=r, line={"color": EXPECTED_COLOR, "dash": "dash", "width": 2})
            fig.add_annotation(x=r, y=1, yref="paper", yanchor="bottom", showarrow=False, text=label)
    fig.update_xaxes(ticksuffix="%" if percent else "")
    fig.update_layout(bargap=0.05, showlegend=False)
    return _layout(fig, 300, top=36)


def projection(df: pd.DataFrame, label: str, yes: str, no: str, target_name: str, big: bool = False) -> go.Figure:
    """Year-end projection against the target, as a share of the target (100% = meets it)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (df["projection"] / df["target"]).astype(float) * 100
    meets = df["will_meet"].fillna(False).astype(bool)
    fig = go.Figure(go.Bar(
        x=share, y=df[label], orientation="h",
        marker={"color": [fmt.STATUS_COLORS["green"] if m else fmt.STATUS_COLORS["red"] for m in meets]},
        text=[f"{fmt.number(s, 1)}% {yes if m else no}" for s, m in zip(share, meets, strict=True)],
        textposition="outside", cliponaxis=False, hovertemplate="%{y}<br>%{text}<extra></extra>"))
    fig.add_vline(x=100, line={"color": EXPECTED_COLOR, "dash": "dash", "width": 2})
    fig.add_annotation(x=100, y=1, yref="paper", yanchor="bottom", showarrow=False, text=target_name)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(ticksuffix="%", range=_padded(share.tolist(), 100.0))
    return _layout(fig, _tall(len(df), 80, big, 220), big=big, top=36)


# -- the map ---------------------------------------------------------------------------------------


def _ink(fill: str) -> str:
    """Dark text on light fills, white on dark ones (labels stay readable on every color)."""
    nums = [float(v) for v in fill[fill.index("(") + 1:fill.index(")")].split(",")[:3]] if "(" in fill else \
        [int(fill[i:i + 2], 16) for i in (1, 3, 5)]
    luminance = 0.299 * nums[0] + 0.587 * nums[1] + 0.114 * nums[2]
    return "#1F2933" if luminance > 140 else "white"


OUTSIDE_FILL = "#E4E7EB"   # units outside the chosen group: drawn for orientation, without a value


def choropleth(boundaries: dict, df: pd.DataFrame, value: str, labels: Sequence[str], hover: Sequence[str],
               colorbar_title: str = "", colorscale=None, range_: tuple[float, float] | None = None,
               big: bool = False, width: int = 640, fills: Sequence[str | None] | None = None,
               legend: Sequence[tuple[str, str]] | None = None) -> str:
    """Units filled by ``value`` on a light-to-dark blue scale (or by ``fills`` given per row, with a
    ``legend`` of (color, words)), drawn from real boundaries, as SVG.

    boundaries: GeoJSON FeatureCollection from ui.geo (``id`` = adcode, properties ``label`` and
    ``area``); df has ``adcode`` and ``value``; labels (name, then value after ``<br>``) are written
    on each unit, or beside the map with a leader line for districts too small to hold one, so the
    map reads without its colors, and are kept wholly inside the picture; ``hover`` is each unit's
    tooltip.  SVG drawn by the browser at once, in the page's own font, with nothing fetched.
    """
    colorscale = colorscale or MAP_SCALE
    by_code = {f["id"]: f for f in boundaries.get("features", [])}
    vals = df[value].astype(float)
    lo, hi = range_ if range_ else ((float(vals.min()), float(vals.max())) if vals.notna().any() else (0.0, 1.0))
    span = (hi - lo) or 1.0
    units = []
    rows = df[["adcode", value]].itertuples(index=False, name=None)
    for k, ((code, v), lab, tip) in enumerate(zip(rows, labels, hover, strict=True)):
        feature = by_code.get(code)
        if feature is None:
            continue
        blank = v is None or (isinstance(v, float) and math.isnan(v))
        if fills is not None:
            color = fills[k] or "#ECEFF1"
        else:
            color = "#ECEFF1" if blank else sample_colorscale(colorscale, [min(1.0, max(0.0, (float(v) - lo) / span))])[0]
        units.append((code, feature, color, lab, tip))
    if not units:
        return ""
    pts = np.concatenate([np.asarray(r, dtype=float) for _, f, *_ in units for p in f["geometry"]["coordinates"] for r in p])
    kx = math.cos(math.radians(float(pts[:, 1].mean())))  # degrees of longitude are shorter than of latitude
    x0, x1 = float(pts[:, 0].min()) * kx, float(pts[:, 0].max()) * kx
    y0, y1 = float(pts[:, 1].min()), float(pts[:, 1].max())
    scale = (width * 0.66) / (x1 - x0)
    font = 15 if big else 14
    pad = 10.0
    map_h = (y1 - y0) * scale

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return pad + (lon * kx - x0) * scale, pad + (y1 - lat) * scale

    def text_width(text: str) -> float:
        return sum(font if ord(ch) > 0x2E80 else 0.62 * font for ch in text)

    paths, texts, callouts = [], [], []
    largest = max(f["properties"]["area"] for _, f, *_ in units)
    small = []
    map_right = pad + (x1 - x0) * scale
    for code, feature, color, lab, tip in units:
        d = []
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:  # whole pixels, relative moves: a small path the browser parses at once
                pts_xy = np.rint(np.array([xy(px, py) for px, py in ring])).astype(int)
                steps = np.diff(pts_xy, axis=0)
                d.append(f"M{pts_xy[0][0]} {pts_xy[0][1]}" + "".join(f"l{a} {b}" for a, b in steps) + "z")
        paths.append(f'<path class="unit" data-adcode="{escape(code)}" d="{"".join(d)}" fill="{color}" '
                     f'fill-rule="evenodd" stroke="white" stroke-width="1.2"><title>{html_text(tip)}</title></path>')
        lx, ly = xy(*feature["properties"]["label"])
        if feature["properties"]["area"] < 0.12 * largest:
            small.append((ly, lx, lab, tip))
            continue
        parts = lab.split("<br>")
        half = max(text_width(part) for part in parts) / 2
        lx = min(max(lx, half + 2), map_right - half)            # never past the picture's edges
        top = min(max(ly - font * 0.5, font), pad + map_h - (len(parts) - 1) * 1.15 * font - font * 0.3)
        spans = "".join(f'<tspan x="{lx:.1f}" dy="{0 if i == 0 else 1.15}em">{html_text(part)}</tspan>'
                        for i, part in enumerate(parts))
        texts.append(f'<text class="label" x="{lx:.1f}" y="{top:.1f}" fill="{_ink(color)}" '
                     f'text-anchor="middle" font-size="{font}">{spans}</text>')
    column = map_right + 16
    step = font * 1.6
    small.sort()
    top = max(pad + font, min(pad + map_h - step * len(small), float(np.mean([s[0] for s in small]) if small else 0)
                              - step * (len(small) - 1) / 2))
    widest = max((text_width(lab.replace("<br>", " ")) for *_, lab, _ in small), default=0.0)
    width = max(width, int(math.ceil(column + widest + 4)))   # call-outs never cut at the right
    for k, (py, px, lab, tip) in enumerate(small):
        ty = top + k * step
        callouts.append(f'<g class="callout"><title>{html_text(tip)}</title>'
                        f'<line x1="{px:.1f}" y1="{py:.1f}" x2="{column - 3:.1f}" y2="{ty - font * 0.35:.1f}" '
                        f'stroke="#52606D" stroke-width="0.8"/><text x="{column:.1f}" y="{ty:.1f}" font-size="{font}" '
                        f'fill="#1F2933">{html_text(lab.replace("<br>", " "))}</text></g>')
    bar_y = pad + map_h + 18 + font * 0.5
    if legend is not None:   # categorical: a swatch and its words per color
        items, x = [], 0.0
        for color, words in legend:
            items.append(f'<rect x="{x:.1f}" y="{bar_y - font * 0.8:.1f}" width="{font}" height="{font}" fill="{color}"/>'
                         f'<text x="{x + font * 1.3:.1f}" y="{bar_y + font * 0.05:.1f}" font-size="{font - 1}" '
                         f'fill="#52606D">{html_text(words)}</text>')
            x += font * 1.3 + text_width(words) + font
        shift = max(0.0, (width - x) / 2)
        legend_svg = (f'<g class="legend" transform="translate({shift:.1f} 0)">'
                      f'<text x="0" y="{bar_y - font * 1.4:.1f}" font-size="{font}" fill="#52606D">'
                      f'{html_text(colorbar_title)}</text>{"".join(items)}</g>')
        height = bar_y + font
    else:
        stops = "".join(f'<stop offset="{k / 10:.1f}" stop-color="{c}"/>'
                        for k, c in enumerate(sample_colorscale(colorscale, [k / 10 for k in range(11)])))
        bar_w = width * 0.5
        bar_x = (width - bar_w) / 2
        legend_svg = (f'<g class="legend"><defs><linearGradient id="yjx-scale">{stops}</linearGradient></defs>'
                      f'<text x="{width / 2:.1f}" y="{bar_y:.1f}" text-anchor="middle" font-size="{font}" '
                      f'fill="#52606D">{html_text(colorbar_title)}</text>'
                      f'<rect x="{bar_x:.1f}" y="{bar_y + 6:.1f}" width="{bar_w:.1f}" height="10" fill="url(#yjx-scale)"/>'
                      f'<text x="{bar_x:.1f}" y="{bar_y + 30:.1f}" font-size="{font - 1}" fill="#52606D">'
                      f'{fmt.number(lo, 1)}</text><text x="{bar_x + bar_w:.1f}" y="{bar_y + 30:.1f}" text-anchor="end" '
                      f'font-size="{font - 1}" fill="#52606D">{fmt.number(hi, 1)}</text></g>')
        height = bar_y + 40
    return (f'<svg class="yjx-map" viewBox="0 0 {width} {height:.0f}" width="100%" role="img" '
            f'aria-label="{html_text(colorbar_title)}" xmlns="http://www.w3.org/2000/svg" '
            f'style="max-width:{width * (1.5 if big else 1)}px;font-family:inherit">'
            f'{"".join(paths)}{"".join(texts)}{"".join(callouts)}{legend_svg}</svg>')
