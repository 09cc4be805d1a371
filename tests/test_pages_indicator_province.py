"""指标 and 全省排名 in AppTest: one indicator across units, the city among the province's 市州."""

from __future__ import annotations

import pytest

from metrics import views
from tests.conftest_ui import arr, assert_clean, open_app, plotly_specs, reference
from ui import fmt
from ui.i18n import ZH


@pytest.fixture(scope="module")
def ref(demo_store):
    return reference(demo_store.root)


@pytest.fixture(scope="module")
def ref_q3(demo_store):
    """2021Q3, where the demo plants milestones and a missing figure (2021Q4 is the latest period)."""
    return reference(demo_store.root, "2021Q3")


def test_indicator_ranking_with_expected_progress(demo_store, ref_q3):
    ref = ref_q3
    at = open_app(demo_store.root, "pages/indicator.py", ind="固定资产投资（E03）", period="2021年第三季度")
    assert_clean(at)
    data = views.indicator_page(ref, "E03")
    ranking = data["ranking"]
    bars = [t for s in plotly_specs(at) for t in s["data"] if t["type"] == "bar" and t.get("name") == "completion"]
    groups = list(dict.fromkeys(ranking["group"]))
    assert len(bars) >= len(groups)
    for trace, g in zip(bars, groups, strict=False):
        sub = ranking[ranking["group"] == g]
        assert list(trace["y"]) == sub["unit_name"].tolist()
        assert arr(trace["x"]) == pytest.approx((sub["completion"] * 100).tolist())
    shapes = [sh for s in plotly_specs(at) for sh in s["layout"].get("shapes", [])]
    assert any(sh.get("x0") == pytest.approx(75.0) for sh in shapes), "序时进度 line at 75% (Q3)"
    table = next(d.value for d in at.dataframe if ZH["col.milestone"] in d.value.columns)
    assert table[ZH["col.unit"]].tolist() == ranking["unit_name"].tolist()
    assert table[ZH["col.milestone"]].tolist() == [fmt.value(v, "亿元") for v in ranking["milestone"]]
    assert table[ZH["col.will_meet"]].tolist() == [ZH["col.yes"] if m else ZH["col.no"] for m in ranking["will_meet"]]


def test_indicator_history_projection_and_non_reporters(demo_store, ref_q3):
    ref = ref_q3
    at = open_app(demo_store.root, "pages/indicator.py", ind="新增学位（M04）", period="2021年第三季度")
    assert_clean(at)
    data = views.indicator_page(ref, "M04")
    missing = data["not_reported"]["unit_name"].tolist()
    assert missing == ["祁东县"]
    assert any("祁东县" in w.value for w in at.warning)
    lines = [t for s in plotly_specs(at) for t in s["data"] if t.get("mode") == "lines+markers"]
    assert {t["name"] for t in lines} == set(data["history"]["unit_name"])
    projection = next(t for s in plotly_specs(at) for t in s["data"]
                      if t["type"] == "bar" and any(ZH["ind.will"] in x or ZH["ind.wont"] in x for x in t["text"]))
    proj = data["ranking"][data["ranking"]["projection"].notna() & data["ranking"]["target"].notna()]
    assert list(projection["y"]) == proj["unit_name"].tolist()


def test_rate_indicator_marks_targets(demo_store, ref):
    at = open_app(demo_store.root, "pages/indicator.py", ind="PM2.5平均浓度 ↓（G01）")
    assert_clean(at)
    ranking = views.indicator_page(ref, "G01")["ranking"]
    targets = [t for s in plotly_specs(at) for t in s["data"] if t.get("name") == ZH["ind.target"]]
    assert targets, "rates mark each unit's target"
    first = ranking[ranking["group"] == ranking["group"].iloc[0]]
    assert arr(targets[0]["x"]) == pytest.approx(first["target"].tolist())
    assert any(ZH["ind.projection_none"] == i.value for i in at.info)


def test_province_ranks_and_history(demo_store, ref):
    at = open_app(demo_store.root, "pages/province.py")
    assert_clean(at)
    data = views.province(ref)
    assert data["city_name"] == "衡阳市"
    assert at.title[0].value == ZH["prov.title"].format(city="衡阳市")
    ranks = data["ranks"]
    table = next(d.value for d in at.dataframe if ZH["col.rank_change"] in d.value.columns)
    # issue 13 item 4: the header is 全省位次 (not 组内排名); bars colored by standing, movement beside them
    assert ZH["col.rank"] not in table.columns
    assert table[ZH["prov.col.rank"]].tolist() == [fmt.rank(r, o) for r, o in zip(ranks["rank"], ranks["rank_of"],
                                                                                  strict=True)]
    assert table[ZH["col.rank_change"]].tolist() == [fmt.rank_change(c) for c in ranks["change"]]
    bars = next(s for s in plotly_specs(at) if s["data"] and s["data"][0].get("type") == "bar"
                and list(s["data"][0]["y"]) == ranks["indicator_name"].tolist())
    expected = [fmt.STANDING_COLORS[fmt.standing(r, o)] for r, o in zip(ranks["rank"], ranks["rank_of"], strict=True)]
    assert list(bars["data"][0]["marker"]["color"]) == expected
    assert all(fmt.rank_change(c) in text for c, text in zip(ranks["change"], bars["data"][0]["text"], strict=True))
    assert ZH["prov.standing_legend"] in [c.value for c in at.caption]
    gains = ranks[ranks["change"] > 0]["indicator_name"].tolist()
    assert all(g in at.success[0].value for g in gains)
    losses = ranks[ranks["change"] < 0]["indicator_name"].tolist()
    assert all(name in at.warning[0].value for name in losses)
    history = next(s for s in plotly_specs(at) if s["layout"].get("yaxis", {}).get("autorange") == "reversed"
                   and any(t.get("mode") == "lines+markers" for t in s["data"]))
    assert {t["name"] for t in history["data"]} == set(ranks["indicator_name"])


def test_province_all_prefectures_for_one_indicator(demo_store, ref):
    at = open_app(demo_store.root, "pages/province.py", pind="一般公共预算收入增速")
    assert_clean(at)
    rows = views.province(ref)["all"]
    rows = rows[rows["indicator_code"] == "E09"].sort_values("rank")
    assert len(rows) == 14
    table = next(d.value for d in at.dataframe if len(d.value) == 14)
    assert table[ZH["col.unit"]].tolist() == rows["unit_name"].tolist()
