"""The bulletin's sentences for hand-made cases, its numbers as the dashboard writes them, and the
表彰/通报批评 rule (ties, small groups)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from metrics.bulletin import honours, numbers, wording
from metrics.bulletin.model import Column
from metrics.scheme import SchemeError, parse_scheme
from ui import fmt


def test_the_secretarys_sentence():
    assert wording.standing("全市", 50, 38, 4, 6) == "全市50项指标中，达到序时进度的38项，占76.0%；红灯4项，较上期减少2项。"
    assert wording.standing("全市", 50, 38, 4, 4) == "全市50项指标中，达到序时进度的38项，占76.0%；红灯4项，与上期持平。"
    assert wording.standing("全市", 50, 38, 5, 3).endswith("红灯5项，较上期增加2项。")
    assert wording.standing("全市", 50, 50, 0, 2).endswith("无红灯，较上期减少2项。")
    assert wording.standing("衡阳县", 31, 13, 5, None) == "衡阳县31项指标中，达到序时进度的13项，占41.9%；红灯5项。"
    assert wording.standing("全市", 5, 2, 1, 0, missing_=1, no_target=1) == (
        "全市5项指标中，达到序时进度的2项，占40.0%；红灯1项，较上期增加1项；未报送1项；未下达目标1项。")
    assert wording.standing("全市", 0, 0, 0, None) == "全市本期没有应报指标。"


def test_changes_and_ranks_in_words():
    assert wording.count_change(4, 6) == "较上期减少2项"
    assert wording.count_change(3, 3) == "与上期持平"
    assert wording.count_change(3, None) == ""
    assert wording.count_change(2, 1, "个") == "较上期增加1个"
    assert wording.rank_change(2) == "较上期上升2位"
    assert wording.rank_change(-1) == "较上期下降1位"
    assert wording.rank_change(0) == "与上期持平"
    assert wording.rank_change(None) == ""
    assert numbers.rank_move(3) == "上升3位" and numbers.rank_move(-2) == "下降2位" and numbers.rank_move(0) == "持平"
    assert wording.rank_sentence("衡阳县", "综合得分88.08分，", 4, 7, 0, "县市组") == (
        "衡阳县综合得分88.08分，在县市组7个单位中排第4位，与上期持平。")
    assert wording.rank_sentence("衡阳县", "综合得分", None, None, None, "县市组") == "衡阳县综合得分本期未排名。"


def test_an_empty_list_says_none():
    assert wording.names([]) == "无"
    assert wording.names(["甲", "乙"]) == "甲、乙"
    assert wording.names([str(k) for k in range(12)], limit=3) == "0、1、2等12个"
    assert wording.movers_sentence([], []) == "与上期相比，综合得分名次上升的有：无；名次下降的有：无。"
    assert wording.gains_and_losses([]) == "进位指标：无；退位指标：无。"


def test_province_wording():
    ranks = [{"name": "地区生产总值增速", "rank": 8, "rank_of": 14, "change": -1},
             {"name": "社会消费品零售总额增速", "rank": 1, "rank_of": 14, "change": 5},
             {"name": "规模工业增加值增速", "rank": 2, "rank_of": 14, "change": 0},
             {"name": "新指标", "rank": 9, "rank_of": 14, "change": None}]
    assert wording.province_sentence("衡阳市", 14, ranks) == (
        "在全省14个市州中，衡阳市参与排名的4项指标中，排名前三的2项（社会消费品零售总额增速第1位、规模工业增加值增速第2位），"
        "较上期进位1项、退位1项、持平1项。")
    assert wording.province_sentence("衡阳市", 14, []) == "本期没有衡阳市的全省排名数据。"
    assert wording.gains_and_losses(ranks) == (
        "进位指标：社会消费品零售总额增速（上升5位至第1位）；退位指标：地区生产总值增速（下降1位至第8位）。")


def test_gap_phrases():
    assert wording.gap_phrase("amount", "higher", 0.521, 0.75, "5.2亿元", "10.0亿元") == "完成52.1%，差22.9个百分点"
    assert wording.gap_phrase("rate", "higher", None, None, "6.2%", "8.0%") == "6.2%（目标8.0%）"
    assert wording.gap_phrase("amount", "lower", 1.25, 0.75, "5人", "4人") == "5人（目标4人）"


def test_headings_count_in_chinese():
    assert [wording.chinese_number(n) for n in (1, 7, 10, 11, 20, 23)] == ["一", "七", "十", "十一", "二十", "二十三"]
    assert wording.heading(3, "红灯") == "三、红灯"
    assert wording.subheading(2, "县市组") == "（二）县市组"


@pytest.mark.parametrize("value, measure, decimals", [
    (184.6449, "亿元", None), (12345.0, "万元", None), (0.5, "万人", 2), (37500, "元", None), (7.25, "%", None),
    (-0.04, "%", None), (2.675, "亿元", 2), (31.0, "个", None), (None, "亿元", None), (math.nan, "%", None),
    (15000, "人", None), (2.5, "μg/m³", None),
])
def test_numbers_as_the_dashboard_writes_them(value, measure, decimals):
    assert numbers.figure(value, measure, decimals) == fmt.value(value, measure, decimals)


@pytest.mark.parametrize("ratio", [0.8532, 0.75, 1.0, 0.00049, None, 1.23456])
def test_percent_and_score_as_the_dashboard(ratio):
    assert numbers.percent(ratio) == fmt.pct(ratio)
    assert numbers.score(None if ratio is None else ratio * 100) == fmt.score(None if ratio is None else ratio * 100)


def test_cells_and_excel_formats():
    row = {"rank": 3, "rank_of": 12, "composite": 88.0826, "x": 0.853, "change": -2, "status": "red",
           "v": 12345.0, "measure": "万元", "decimals": None}
    cols = {k: Column(k, k, kind) for k, kind in (("rank", "rank"), ("composite", "score"), ("x", "pct"),
                                                   ("change", "change"), ("status", "status"), ("v", "value"))}
    assert [numbers.cell_text(row, c) for c in cols.values()] == ["3/12", "88.08", "85.3%", "下降2位", "红灯", "1.23亿元"]
    assert numbers.excel_format(row, cols["v"]) == '#,##0.0"万元"'
    assert numbers.excel_format(row, cols["composite"]) == "0.00"
    assert numbers.cell_text({"t": None}, Column("t", "t")) == "—"


def ranking(*pairs):
    return pd.DataFrame({"unit_name": [p[0] for p in pairs],
                         "rank": pd.array([p[1] for p in pairs], dtype="Int64")})


def test_commend_and_criticise_by_rank():
    assert honours.by_rank(ranking(("甲", 1), ("乙", 2), ("丙", 3), ("丁", 4)), 1, 1) == (["甲"], ["丁"])
    assert honours.by_rank(ranking(("甲", 1), ("乙", 1), ("丙", 3)), 1, 1) == (["甲", "乙"], ["丙"])   # tied first
    assert honours.by_rank(ranking(("甲", 1), ("乙", 2), ("丙", 3), ("丁", 3)), 1, 1) == (["甲"], ["丙", "丁"])
    assert honours.by_rank(ranking(("甲", 1), ("乙", 2)), 2, 1) == (["甲", "乙"], [])  # never in both lists
    assert honours.by_rank(ranking(("甲", 1)), 1, 1) == ([], [])                      # a group of one: nobody
    assert honours.by_rank(ranking(("甲", 1), ("乙", None), ("丙", 2)), 1, 1) == (["甲"], ["丙"])  # unranked out
    assert honours.by_rank(ranking(("甲", 1), ("乙", 2), ("丙", 3)), 0, 2) == ([], ["乙", "丙"])
    grades = pd.DataFrame({"unit_name": ["甲", "乙", "丙"], "grade": ["良好", "优秀", "较差"], "rank": [2, 1, 3]})
    assert honours.by_grade(grades) == (["乙"], ["丙"])


def test_scheme_keys_of_the_bulletin():
    scheme = parse_scheme([("2021.toml", {"bulletin": {"commend_top": 2}})])
    assert scheme.section("bulletin")["commend_top"] == 2 and scheme.section("bulletin")["criticise_bottom"] == 1
    for bad in ({"commend_top": -1}, {"commend_top": True}, {"issuer": ""}, {"issuer": "{x}办"}, {"typo": 1}):
        with pytest.raises(SchemeError, match="bulletin"):
            parse_scheme([("2021.toml", {"bulletin": bad})])
