"""市直部门 and 园区 in AppTest: rankings within groups, led indicators, a park's indicators."""

from __future__ import annotations

import pytest

from metrics import views
from tests.conftest_ui import arr, assert_clean, open_app, plotly_specs, reference
from ui import fmt, tables
from ui.i18n import ZH, translator


@pytest.fixture(scope="module")
def ref(demo_store):
    return reference(demo_store.root)


def _table(at, column: str, rows: int):
    return next(d.value for d in at.dataframe if column in d.value.columns and len(d.value) == rows)


def test_departments_ranked_within_groups(demo_store, ref):
    at = open_app(demo_store.root, "pages/departments.py", unit="市发展和改革委员会")
    assert_clean(at)
    ranking = views.type_ranking(ref, "市直部门")["ranking"]
    show, _ = tables.unit_tables(ranking, translator("zh"))
    assert _table(at, ZH["col.composite"], len(ranking)).equals(show)
    bars = [t for s in plotly_specs(at) for t in s["data"] if t["type"] == "bar" and t.get("orientation") == "h"]
    first_group = ranking[ranking["group"] == ranking["group"].iloc[0]].sort_values("rank")
    assert bars[0]["y"] == first_group["unit_name"].tolist()
    assert arr(bars[0]["x"]) == pytest.approx(first_group["composite"].tolist())


def test_department_led_indicators_with_city_progress(demo_store, ref):
    at = open_app(demo_store.root, "pages/departments.py", unit="市发展和改革委员会")
    led = views.led_indicators(ref, "D001")
    assert set(led["indicator_code"]) == {"E03", "E17", "G03"}
    table = _table(at, ZH["col.city_completion"], len(led))
    assert table[ZH["col.indicator"]].tolist() == led["indicator_name"].tolist()
    assert table[ZH["col.city_completion"]].tolist() == [fmt.pct(c) for c in led["city_completion"]]
    assert table[ZH["col.red"]].tolist() == led["red"].tolist()
    # issue 13 item 7: the status counts add up to 考核单位数 (重点项目完成投资: 53 = 28 with a status + 25 无目标)
    parts = sum(table[ZH[f"col.{s}"]].astype(int) for s in ("green", "yellow", "red", "missing", "no_target"))
    assert (parts == table[ZH["col.units"]].astype(int)).all()
    e17 = table[table[ZH["col.indicator"]] == "重点项目完成投资"].iloc[0]
    assert int(e17[ZH["col.units"]]) == 53 and int(e17[ZH["col.no_target"]]) == 25


def test_parks_ranked_and_a_parks_indicators(demo_store, ref):
    at = open_app(demo_store.root, "pages/parks.py", unit="衡阳高新区")
    assert_clean(at)
    ranking = views.type_ranking(ref, "园区")["ranking"]
    show, _ = tables.unit_tables(ranking, translator("zh"))
    assert _table(at, ZH["col.composite"], len(ranking)).equals(show)
    profile = views.unit_page(ref, "P01")["profile"]
    table = _table(at, ZH["col.trend"], len(profile))
    assert table[ZH["col.actual"]].tolist() == [fmt.pair(v, a, m, d)[1] for v, a, m, d in
                                                zip(profile["target"], profile["actual"], profile["measure"],
                                                    profile["decimals"], strict=True)]
    lines = [t for s in plotly_specs(at) for t in s["data"] if t.get("mode") == "lines+markers"]
    trends = views.unit_page(ref, "P01")["trends"]
    amounts = trends[(trends["kind"] == "amount") & trends["value"].notna()]
    assert {t["name"] for t in lines} == set(amounts["indicator_name"])
    first = amounts[amounts["indicator_name"] == lines[0]["name"]]
    assert arr(lines[0]["y"]) == pytest.approx((first["value"] * 100).tolist())


def test_group_filter_narrows_the_department_ranking(demo_store, ref):
    at = open_app(demo_store.root, "pages/departments.py", group="市直部门 · 党群部门")
    assert_clean(at)
    ranking = views.type_ranking(ref, "市直部门", "市直部门/党群部门")["ranking"]
    assert set(ranking["group"]) == {"党群部门"}
    assert _table(at, ZH["col.composite"], len(ranking))[ZH["col.unit"]].tolist() == ranking["unit_name"].tolist()
