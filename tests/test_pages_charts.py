"""Chart builders (pure: data in, Figure out, checked with fig.to_dict()), number formatting,
tables for download, and the map's boundaries."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from tests.conftest_ui import arr, status_matrix, svg_map
from ui import charts, fmt, geo, tables
from ui.i18n import ZH, translator

T = translator("zh")


def _short(s):
    return ZH[f"status.short.{s}"]


@pytest.mark.parametrize(("value", "measure", "decimals", "shown"), [
    (184.625, "亿元", None, "184.63亿元"),  # 亿元: 2 decimals unless the catalog's 小数位 says otherwise
    (184.625, "亿元", 1, "184.6亿元"),
    (184.65, "亿元", 2, "184.65亿元"),
    (2.675, "亿元", 2, "2.68亿元"),        # half away from zero on the number as written
    (12345.0, "万元", None, "1.23亿元"),    # an office switches to 亿元 (3 significant digits)
    (35210, "人", None, "3.52万人"),
    (850, "人", None, "850人"),
    (7.5, "%", None, "7.5%"),
    (37512, "元", None, "37,512元"),
    (None, "亿元", None, "—"),
    (float("nan"), "%", None, "—"),
    (-0.04, "%", None, "0.0%"),
])
def test_values_as_an_office_writes_them(value, measure, decimals, shown):
    assert fmt.value(value, measure, decimals) == shown


def test_percent_points_ranks_and_changes():
    assert fmt.pct(0.8532) == "85.3%"
    assert fmt.pct(0.8535) == "85.4%"
    assert fmt.pp(1.25) == "+1.3个百分点" and fmt.pp(-0.4, "en") == "-0.4 pp"
    assert fmt.rank(3, 12) == "3/12" and fmt.rank(pd.NA, pd.NA) == "—"
    assert (fmt.rank_change(2), fmt.rank_change(-1), fmt.rank_change(0), fmt.rank_change(pd.NA)) == ("↑2", "↓1", "—", "")
    assert fmt.decimals_for("个") == 0 and fmt.decimals_for("亿元") == 2 and fmt.decimals_for("亿元", 2) == 2


def test_status_matrix_never_relies_on_color_alone():
    df = pd.DataFrame({"indicator_name": ["A", "A", "B", "B"], "unit_name": ["甲", "乙", "甲", "<乙>"],
                       "status": ["green", "red", "missing", "yellow"]})
    shown = status_matrix(charts.status_matrix(df, "indicator_name", "unit_name", _short, ["t1", "t2", "t3", "t<4>"]))
    assert shown["cols"] == ["甲", "乙", "<乙>"] and shown["rows"] == ["A", "B"]  # names are escaped, not markup
    assert shown["cells"][("A", "甲")] == ("绿", "t1", "green")
    assert shown["cells"][("A", "乙")] == ("红", "t2", "red")
    assert shown["cells"][("B", "<乙>")] == ("黄", "t<4>", "yellow")
    assert ("B", "乙") not in shown["cells"]


def test_movers_write_the_change_beside_each_bar():
    df = pd.DataFrame({"unit_name": ["甲", "乙"], "group": ["城区", "县市"], "rank_change": [3, -1]})
    html = charts.movers(df, "进位", "退位")
    assert html.count('class="bar"') == 2 and "↑3" in html and "↓1" in html and "width:100%" in html


def test_ranking_bars_mark_expected_progress_and_targets():
    df = pd.DataFrame({"u": ["甲", "乙"], "v": [0.9, 0.6], "t": [8.0, 7.0], "status": ["green", "red"]})
    fig = charts.ranking_bars(df, "u", "v", ["90.0%", "60.0%"], _short, expected=0.75, expected_name="序时进度")
    bar = fig.to_dict()["data"][0]
    assert list(bar["x"]) == pytest.approx([90.0, 60.0])
    assert list(bar["text"]) == ["90.0% 绿", "60.0% 红"]
    assert list(bar["marker"]["color"]) == [fmt.STATUS_COLORS["green"], fmt.STATUS_COLORS["red"]]
    assert fig.layout.shapes[0].x0 == pytest.approx(75.0)
    assert "序时进度 75.0%" in fig.layout.annotations[0].text
    assert fig.layout.xaxis.range[1] > 90.0  # room for the text outside the longest bar
    rate = charts.ranking_bars(df, "u", "t", ["8", "7"], _short, targets="t", target_name="目标", percent=False)
    marks = rate.to_dict()["data"][1]
    assert marks["name"] == "目标" and list(marks["x"]) == [8.0, 7.0]


def test_lines_reverse_for_ranks_and_label_periods():
    df = pd.DataFrame({"period": ["2021Q1", "2021Q2", "2021Q1", "2021Q2"], "rank": [3, 1, 5, 6],
                       "name": ["A", "A", "B", "B"]})
    fig = charts.lines(df, "period", "rank", "name", x_labels=lambda c: c.replace("Q", "年Q"), reverse=True)
    d = fig.to_dict()
    assert [t["name"] for t in d["data"]] == ["A", "B"]
    assert list(d["data"][0]["x"]) == ["2021年Q1", "2021年Q2"]
    assert d["layout"]["yaxis"]["autorange"] == "reversed"


def test_projection_colors_who_will_meet():
    df = pd.DataFrame({"u": ["甲", "乙"], "projection": [110.0, 80.0], "target": [100.0, 100.0],
                       "will_meet": pd.array([True, False], dtype="boolean")})
    d = charts.projection(df, "u", "能完成", "完不成", "目标").to_dict()["data"][0]
    assert arr(d["x"]) == pytest.approx([110.0, 80.0])
    assert list(d["text"]) == ["110.0% 能完成", "80.0% 完不成"]


def test_map_uses_real_boundaries_without_tiles():
    codes = list(geo.COUNTY_ADCODES.values())
    fc = geo.feature_collection(codes)
    assert [f["id"] for f in fc["features"]] == codes
    df = pd.DataFrame({"adcode": codes, "value": np.linspace(70, 100, 12)})
    names = list(geo.COUNTY_ADCODES)
    svg = charts.choropleth(fc, df, "value", [f"{n}<br>{v:.2f}" for n, v in zip(names, df["value"], strict=True)],
                            [f"{n} tip" for n in names], "综合得分")
    shown = svg_map(svg)
    assert list(shown["units"]) == codes
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing fetched
    written = " ".join(shown["labels"] + shown["callouts"])
    assert all(n in written for n in names)  # every county labelled: inside, or beside with a leader line
    assert shown["callouts"], "the small urban districts are labelled beside the map"
    fills = [u[1] for u in shown["units"].values()]
    assert fills[0] != fills[-1] and shown["units"][codes[0]][2] == f"{names[0]} tip"


def test_label_point_is_inside_a_ring_shaped_county():
    outer = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    hole = [[2, 2], [8, 2], [8, 8], [2, 8], [2, 2]]
    x, y = geo.label_point([outer, hole])
    assert not (2 < x < 8 and 2 < y < 8)  # not in the hole, where a centroid would fall


def test_downloads_hold_numbers_with_the_same_headers():
    rows = pd.DataFrame([{
        "unit_name": "珠晖区", "group": "城区", "indicator_name": "地区生产总值", "category": "经济发展",
        "measure": "亿元", "decimals": np.nan, "kind": "amount", "target": 251.8, "milestone": np.nan,
        "actual": 184.62, "expected_progress": 0.75, "completion": 0.733201, "status": "yellow", "rank": 4,
        "rank_of": 5, "yoy": 0.0488, "projection": 243.19, "will_meet": False, "actual_file": "a.xlsx",
        "actual_sheet": "经济", "actual_row": 6, "target_file": "a.xlsx", "target_sheet": "经济", "target_row": 6}])
    cols = ["unit", "indicator", "target", "actual", "completion", "status", "rank", "yoy", "will_meet", "source"]
    show, export, statuses = tables.figure_tables(rows, T, "zh", cols)
    assert show.iloc[0].tolist() == ["珠晖区", "地区生产总值", "251.80亿元", "184.62亿元", "73.3%", "预警", "4/5", "+4.9%",
                                     "不能", "a.xlsx · 经济 · 第6行"]
    assert statuses == ["yellow"]
    assert export.iloc[0][ZH["col.actual"]] == 184.62 and export.iloc[0][ZH["col.completion"] + "(%)"] == 73.3
    assert export.iloc[0][ZH["col.rank_of"]] == 5 and export.iloc[0][ZH["col.measure"]] == "亿元"
    csv = tables.csv_bytes(export)
    assert csv.startswith(b"\xef\xbb\xbf") and "珠晖区".encode() in csv
    back = pd.read_excel(io.BytesIO(tables.xlsx_bytes(export, "短板")), engine="openpyxl")
    assert back.columns.tolist() == export.columns.tolist() and back.iloc[0][ZH["col.actual"]] == 184.62
