"""Issue 13 item 2: lower-is-better indicators say so wherever they appear (↓ and 越低越好)."""

from __future__ import annotations

from tests.conftest_ui import assert_clean, open_app, plotly_specs
from ui import fmt
from ui.i18n import ZH


def test_indicator_page_marks_a_lower_is_better_indicator(demo_store):
    at = open_app(demo_store.root, "pages/indicator.py", ind="PM2.5平均浓度 ↓（G01）")
    assert_clean(at)
    pick = next(s for s in at.selectbox if s.label == ZH["ind.pick"])
    assert pick.value == "G01"
    assert "PM2.5平均浓度 ↓（G01）" in pick.options and "地区生产总值（E01）" in pick.options
    caption = next(c for c in at.caption if c.value == ZH["dir.lower_caption"])
    assert "越低越好" in caption.proto.help
    # the bars are colored by status (a status word on every bar), not by size
    bars = [s["data"][0] for s in plotly_specs(at) if s["data"] and s["data"][0].get("type") == "bar"
            and s["data"][0].get("orientation") == "h"]
    assert bars
    for bar in bars:
        palette = set(fmt.STATUS_COLORS.values())
        assert set(bar["marker"]["color"]) <= palette


def test_label_helper():
    assert fmt.indicator_label("城镇调查失业率", "lower") == "城镇调查失业率 ↓"
    assert fmt.indicator_label("地区生产总值", "higher") == "地区生产总值"
