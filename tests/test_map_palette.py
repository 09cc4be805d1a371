"""Issue 13 item 5: the county map's palette cannot be read as traffic lights (composite: one blue
scale; an indicator: the status colors with a legend naming them), its labels stay inside the
picture, and it follows the group filter."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from metrics import views
from tests.conftest_ui import assert_clean, html_bodies, open_app, reference, svg_map
from ui import fmt, geo
from ui.i18n import ZH

NS = {"s": "http://www.w3.org/2000/svg"}


@pytest.fixture(scope="module")
def ref(demo_store):
    return reference(demo_store.root)


def _svg(at) -> str:
    return next(b for b in html_bodies(at) if "yjx-map" in b)


def _rgb(color: str) -> tuple[float, float, float]:
    if color.startswith("#"):
        return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))
    return tuple(float(v) for v in re.findall(r"[\d.]+", color)[:3])


def _width(text: str, size: float) -> float:
    return sum(size if ord(ch) > 0x2E80 else 0.62 * size for ch in text)


def _inside(svg: str) -> None:
    """Every label and call-out lies wholly within the SVG's own box (nothing clipped)."""
    root = ET.fromstring(svg)
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    texts = root.findall("s:text[@class='label']", NS) + root.findall("s:g[@class='callout']/s:text", NS)
    assert texts
    for text in texts:
        size = float(text.get("font-size"))
        spans = text.findall("s:tspan", NS) or [text]
        x, y = float(spans[0].get("x") or text.get("x")), float(text.get("y"))
        lines = ["".join(s.itertext()) for s in spans]
        last = y + (len(lines) - 1) * 1.15 * size
        assert y - 0.9 * size >= 0 and last + 0.25 * size <= height, lines
        w = max(_width(line, size) for line in lines)
        left = x - w / 2 if text.get("text-anchor") == "middle" else x
        assert left >= 0 and left + w <= width, lines


def test_composite_map_is_one_blue_scale_not_traffic_lights(demo_store):
    at = open_app(demo_store.root)
    assert_clean(at)
    svg = _svg(at)
    fills = [u[1] for u in svg_map(svg)["units"].values()]
    assert len(set(fills)) > 3
    for fill in fills:
        r, g, b = _rgb(fill)
        assert b >= r and b >= g, fill   # blue hue: never red, yellow or green
    _inside(svg)


def test_indicator_map_uses_status_colors_and_says_so(demo_store, ref):
    at = open_app(demo_store.root, map="地区生产总值")
    assert_clean(at)
    svg = _svg(at)
    shown = svg_map(svg)
    data = views.map_values(ref, "E01")
    codes = {geo.adcode_of(c, n): s for c, n, s in zip(data["unit_code"], data["unit_name"], data["status"],
                                                       strict=True)}
    for code, (_, fill, _) in shown["units"].items():
        assert fill == fmt.STATUS_COLORS[codes[code]]
    legend = "".join(ET.fromstring(svg).find("s:g[@class='legend']", NS).itertext())
    for status in set(codes.values()):
        assert ZH[f"status.{status}"] in legend
    _inside(svg)


def test_map_follows_the_group_filter(demo_store, ref):
    at = open_app(demo_store.root, group="县市区 · 城区")
    assert_clean(at)
    shown = svg_map(_svg(at))
    data = views.map_values(ref, None)
    inside = set(data.loc[data["group"] == "城区", "unit_name"])
    assert 0 < len(inside) < len(data)
    written = shown["labels"] + shown["callouts"]
    for name, score in zip(data["unit_name"], data["composite"], strict=True):
        label = next(w for w in written if w.startswith(name))
        assert (fmt.score(score) in label) == (name in inside), label   # only the group's units carry a score
    grey = {fill for _, fill, title in shown["units"].values() if not any(n in title for n in inside)}
    assert len(grey) == 1   # the others are drawn in one neutral fill, for orientation only


def test_composite_bars_are_blue_by_size_never_traffic_lights(demo_store):
    """A composite score has no status: its bars are darker for higher scores on the map's blue scale
    (a red-to-green scale read as lights: the last department "red" though nothing is behind)."""
    from tests.conftest_ui import plotly_specs
    at = open_app(demo_store.root, "pages/departments.py")
    assert_clean(at)
    bars = [t for s in plotly_specs(at) for t in s["data"] if t.get("type") == "bar" and t.get("orientation") == "h"
            and isinstance(t["marker"]["color"], list)]   # (the led indicators' status counts: one color a trace)
    assert len(bars) >= 4
    for bar in bars:
        for color in bar["marker"]["color"]:
            r, g, b = _rgb(color)
            assert b >= r and b >= g, color
