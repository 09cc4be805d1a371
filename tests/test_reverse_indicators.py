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


def _lines(at) -> list[dict]:
    return [t for s in plotly_specs(at) for t in s["data"] if t.get("mode") == "lines+markers"]


def test_indicator_history_is_colored_by_status_for_a_lower_is_better_indicator(demo_store):
    """The history lines' points carry each period's status color (red where the unit was red),
    the lines themselves a color that cannot be read as a light; the status is in the hover."""
    at = open_app(demo_store.root, "pages/indicator.py", ind="PM2.5平均浓度 ↓（G01）")
    assert_clean(at)
    lines = _lines(at)
    assert lines
    lights = {fmt.STATUS_COLORS[s] for s in ("green", "yellow", "red")}
    palette = set(fmt.STATUS_COLORS.values())
    seen = set()
    for line in lines:
        colors = line["marker"]["color"]
        assert isinstance(colors, list) and set(colors) <= palette, line["name"]
        seen |= set(colors)
        assert line["line"]["color"] not in lights
        assert any(ZH[f"status.{s}"] in str(line["customdata"]) for s in ("green", "yellow", "red"))
    assert len(seen & lights) >= 2   # the demo's PM2.5 has units in more than one light over the year


def test_park_trend_colors_points_by_status(demo_store):
    at = open_app(demo_store.root, "pages/parks.py", unit="衡阳高新区")
    assert_clean(at)
    lines = _lines(at)
    assert lines
    palette = set(fmt.STATUS_COLORS.values())
    lights = {fmt.STATUS_COLORS[s] for s in ("green", "yellow", "red")}
    for line in lines:
        assert set(line["marker"]["color"]) <= palette
        assert line["line"]["color"] not in lights


def test_county_completion_bars_mark_lower_is_better(demo_store):
    at = open_app(demo_store.root, "pages/counties.py", unit="衡阳县")
    assert_clean(at)
    from metrics import views
    from tests.conftest_ui import reference
    profile = views.unit_page(reference(demo_store.root), "430421")["profile"]
    lower = profile[(profile["direction"] == "lower") & (profile["kind"] == "amount") & profile["completion"].notna()]
    assert len(lower)
    bars = [t for s in plotly_specs(at) for t in s["data"] if t.get("type") == "bar" and t.get("orientation") == "h"
            and set(lower["indicator_name"]) & {str(y).removesuffix(" ↓") for y in t["y"]}]
    assert bars
    for name in lower["indicator_name"]:
        assert fmt.indicator_label(name, "lower") in bars[0]["y"]


def test_overview_matrix_and_map_picker_mark_lower_is_better(demo_store):
    from tests.conftest_ui import status_matrix
    at = open_app(demo_store.root)
    assert_clean(at)
    rows = status_matrix(at)["rows"]
    assert "PM2.5平均浓度 ↓" in rows and "城镇调查失业率 ↓" in rows and "地区生产总值" in rows
    picker = next(s for s in at.selectbox if s.label == ZH["ov.map_by"])
    assert "PM2.5平均浓度 ↓" in picker.options


def test_department_led_indicators_mark_lower_is_better(demo_store):
    at = open_app(demo_store.root, "pages/departments.py", unit="市生态环境局")
    assert_clean(at)
    table = next(d.value for d in at.dataframe if ZH["col.city_completion"] in d.value.columns)
    assert "PM2.5平均浓度 ↓" in table[ZH["col.indicator"]].tolist()


def test_province_page_marks_a_lower_is_better_indicator(demo_store, tmp_path):
    """全省排名: a provincial indicator that is lower-is-better carries ↓ in the ranking table, the
    history's legend and the picker (the demo has none, so a catalog version turns one around)."""
    import shutil

    from metrics.store import Store

    root = tmp_path / "store"
    shutil.copytree(demo_store.root, root)
    store = Store(root)
    units, indicators = store.catalog()
    at = open_app(root, "pages/province.py")
    assert_clean(at)
    first = at.dataframe[0].value[ZH["col.indicator"]].iloc[0]
    assert not first.endswith(fmt.LOWER_MARK)
    code = indicators.loc[indicators["name"] == first, "code"].iloc[0]
    turned = indicators.assign(direction=indicators["direction"].mask(indicators["code"] == code, "lower"))
    store.commit_catalog(units, turned, original=b"catalog with one indicator turned", file_name="catalog.xlsx",
                         user="test")
    at = open_app(root, "pages/province.py")
    assert_clean(at)
    table = at.dataframe[0].value
    assert table[ZH["col.indicator"]].iloc[0] == f"{first} {fmt.LOWER_MARK}"
    assert not any(str(n).endswith(fmt.LOWER_MARK) for n in table[ZH["col.indicator"]].iloc[1:])
    names = {t.get("name") for s in plotly_specs(at) for t in s["data"]}
    assert f"{first} {fmt.LOWER_MARK}" in names
    pick = next(s for s in at.selectbox if s.label == ZH["prov.pick"])
    assert pick.format_func(code) == f"{first} {fmt.LOWER_MARK}"
