"""The bulletin's charts as images: status matrix, ranking bars, the city's 全省排名 over time.

Drawn with matplotlib (no browser, no display) in the project's own CJK font
(:mod:`metrics.bulletin.fonts`), so Chinese renders the same on every machine: PNG for Word,
PowerPoint and Excel, SVG with glyphs as outlines for the PDF.  Each chart is drawn once per model
and format and kept on the :class:`~metrics.bulletin.model.Chart`.
"""

from __future__ import annotations

import io
import struct
import threading

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from metrics.bulletin import fonts
from metrics.bulletin.model import STATUS_COLORS, Chart

STATUS_ORDER = ("green", "yellow", "red", "missing", "no_target", "")
SHORT = {"green": "绿", "yellow": "黄", "red": "红", "missing": "缺", "no_target": "无", "": ""}
INK = {"green": "white", "yellow": "#222222", "red": "white", "missing": "white", "no_target": "#444444", "": "#444444"}
LINE_COLORS = ["#1565C0", "#C62828", "#2E7D32", "#EF6C00", "#6A1B9A", "#00838F", "#AD1457", "#4E342E"]
PNG_DPI = 200
_lock = threading.Lock()
_registered: set[str] = set()


def _rc() -> dict:
    paths = fonts.font_files()
    for path in paths.values():
        if str(path) not in _registered:
            font_manager.fontManager.addfont(str(path))
            _registered.add(str(path))
    return {"font.family": [fonts.FAMILY, fonts.SYSTEM_FALLBACK, "DejaVu Sans"], "svg.fonttype": "path",
            "axes.unicode_minus": False, "font.size": 10}


def image(chart: Chart, fmt: str = "png") -> bytes:
    """The chart as PNG or SVG bytes (drawn on first request, then kept on the chart)."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"chart format {fmt!r}")
    if fmt not in chart.images:
        with _lock, matplotlib.rc_context(_rc()):
            figure = DRAW[chart.key](chart)
            buffer = io.BytesIO()
            canvas = FigureCanvasAgg(figure) if fmt == "png" else FigureCanvasSVG(figure)
            canvas.print_figure(buffer, format=fmt, dpi=PNG_DPI, bbox_inches="tight", pad_inches=0.15,
                                facecolor="white")
            chart.images[fmt] = buffer.getvalue()
    return chart.images[fmt]


def inches(chart: Chart) -> tuple[float, float]:
    """Width and height of the drawn PNG in inches (writers scale it, keeping the aspect ratio)."""
    png = image(chart, "png")
    width, height = struct.unpack(">II", png[16:24])   # the IHDR chunk
    return width / PNG_DPI, height / PNG_DPI


def fit(chart: Chart, max_width: float, max_height: float) -> tuple[float, float]:
    """The largest (width, height) within the box that keeps the chart's proportions (any unit)."""
    width, height = inches(chart)
    scale = min(max_width / width, max_height / height)
    return width * scale, height * scale


def _size(chart: Chart) -> tuple[float, float]:
    d = chart.data
    if chart.key == "matrix":
        longest = max((len(r) for r in d["rows"]), default=4)
        return 1.0 + 0.16 * longest + 0.42 * len(d["cols"]), 1.3 + 0.26 * len(d["rows"])
    if chart.key == "ranking":
        n = sum(len(g["units"]) for g in d["groups"])
        return 8.0, 0.9 + 0.3 * n + 0.45 * len(d["groups"])
    return 8.0, 4.2


def _matrix(chart: Chart) -> Figure:
    d = chart.data
    rows, cols, grid = d["rows"], d["cols"], d["status"]
    fig = Figure(figsize=_size(chart))
    ax = fig.add_subplot()
    codes = [[STATUS_ORDER.index(s if s in STATUS_ORDER else "") for s in line] for line in grid]
    cmap = ListedColormap([STATUS_COLORS.get(s, "#FFFFFF") for s in STATUS_ORDER])
    ax.imshow(codes, cmap=cmap, vmin=-0.5, vmax=len(STATUS_ORDER) - 0.5, aspect="auto", interpolation="nearest")
    for i, line in enumerate(grid):
        for j, s in enumerate(line):
            ax.text(j, i, SHORT.get(s, ""), ha="center", va="center", fontsize=8, color=INK.get(s, "#444444"))
    ax.set_yticks(range(len(rows)), rows, fontsize=8.5)
    longest = max((len(c) for c in cols), default=0)
    ax.set_xticks(range(len(cols)), cols, fontsize=8.5, rotation=0 if longest <= 3 or len(cols) <= 6 else 90)
    ax.xaxis.tick_top()
    ax.set_xticks([x - 0.5 for x in range(1, len(cols))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(rows))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1.2)
    ax.tick_params(which="both", length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    legend = "　".join(f"{SHORT[s]}＝{w}" for s, w in (("green", "达到序时进度"), ("yellow", "预警"),
                                                      ("red", "滞后"), ("missing", "未报送"), ("no_target", "无目标")))
    ax.annotate(legend, xy=(0, 0), xycoords="axes fraction", xytext=(0, -6), textcoords="offset points",
                va="top", fontsize=8.5, color="#444444")
    return fig


def _ranking(chart: Chart) -> Figure:
    groups = [g for g in chart.data["groups"] if g["units"]]
    fig = Figure(figsize=_size(chart))
    if not groups:
        fig.text(0.5, 0.5, "无可排名的单位", ha="center")
        return fig
    heights = [len(g["units"]) + 1 for g in groups]
    axes = fig.subplots(len(groups), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)[:, 0]
    top = max(max(g["scores"]) for g in groups)
    for ax, g in zip(axes, groups, strict=True):
        y = list(range(len(g["units"])))
        colors = ["#B71C1C" if h else "#1565C0" for h in g["highlight"]]
        ax.barh(y, g["scores"], color=colors, height=0.62)
        for k, v in enumerate(g["scores"]):
            ax.text(v + top * 0.01, k, f"{v:.2f}", va="center", fontsize=8.5)
        ax.set_yticks(y, [f"{r}. {n}" for r, n in zip(g["ranks"], g["units"], strict=True)], fontsize=9)
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.12)
        ax.set_title(f"{g['label']}组", loc="left", fontsize=10, fontweight="bold")
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="x", labelsize=8)
    fig.tight_layout()
    return fig


def _province_trend(chart: Chart) -> Figure:
    d = chart.data
    fig = Figure(figsize=_size(chart))
    ax = fig.add_subplot()
    x = list(range(len(d["periods"])))
    for k, s in enumerate(d["series"]):
        color = LINE_COLORS[k % len(LINE_COLORS)]
        points = [(i, r) for i, r in zip(x, s["ranks"], strict=True) if r is not None]
        if not points:
            continue
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", color=color, linewidth=2, label=s["name"])
        last = points[-1]
        ax.annotate(f"第{last[1]}位", last, textcoords="offset points", xytext=(6, 0), va="center", fontsize=8.5,
                    color=color)
    rank_of = max(int(d.get("rank_of") or 1), 1)
    ax.set_ylim(rank_of + 0.5, 0.5)
    ax.set_yticks(range(1, rank_of + 1))
    ax.set_xticks(x, d["periods"], fontsize=9)
    ax.set_xlim(-0.3, max(len(x) - 1, 0) + 0.6)
    ax.set_ylabel("全省排名（第几位）")
    ax.grid(axis="y", color="#E0E0E0")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=9)
    fig.tight_layout()
    return fig


DRAW = {"matrix": _matrix, "ranking": _ranking, "province_trend": _province_trend}
