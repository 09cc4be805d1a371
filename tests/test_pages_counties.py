"""县市区 in AppTest: one county's profile, the ranking, the comparison and the towns."""

from __future__ import annotations

import pytest

from metrics import views
from tests.conftest_ui import arr, assert_clean, open_app, plotly_specs, reference, status_matrix
from ui import fmt, tables
from ui.i18n import ZH, translator


@pytest.fixture(scope="module")
def ref(demo_store):
    return reference(demo_store.root)


@pytest.fixture(scope="module")
def at(demo_store):
    return open_app(demo_store.root, "pages/counties.py", unit="衡阳县")


def _table_with(at, column: str, rows: int | None = None):
    for d in at.dataframe:
        if column in d.value.columns and (rows is None or len(d.value) == rows):
            return d.value
    raise AssertionError(f"no table with {column!r}")


def test_unit_from_the_url_and_its_cards(at, ref):
    assert_clean(at)
    page = views.unit_page(ref, "430421")
    u = page["unit"]
    assert at.header[0].value == f"{u['unit_name']}（{u['group']}）"
    cards = {m.label: m.value for m in at.metric}
    assert cards[ZH["unit.composite"]] == fmt.score(u["composite"])
    assert cards[ZH["unit.rank"]] == fmt.rank(u["rank"], u["rank_of"])
    assert cards[ZH["ov.red"]] == str(u["red"])


def test_profile_has_every_indicator_against_target_and_expected_progress(at, ref):
    profile = views.unit_page(ref, "430421")["profile"]
    table = _table_with(at, ZH["col.trend"], len(profile))
    assert table[ZH["col.indicator"]].tolist() == [fmt.indicator_label(n, d) for n, d in
                                                   zip(profile["indicator_name"], profile["direction"], strict=True)]
    assert "PM2.5平均浓度 ↓" in table[ZH["col.indicator"]].tolist()   # lower is better, marked (issue 13 item 2)
    assert table[ZH["col.target"]].tolist() == [fmt.pair(v, a, m, d)[0] for v, a, m, d in
                                                zip(profile["target"], profile["actual"], profile["measure"],
                                                    profile["decimals"], strict=True)]
    assert table[ZH["col.completion"]].tolist() == [fmt.pct(c) for c in profile["completion"]]
    assert table[ZH["col.expected"]].tolist() == [fmt.pct(e) for e in profile["expected_progress"]]
    assert table[ZH["col.rank"]].tolist() == [fmt.rank(r, o) for r, o in zip(profile["rank"], profile["rank_of"],
                                                                            strict=True)]
    yoy = f'{ZH["col.yoy"]}（%/百分点）'   # growth and % rates mixed: the header says both (issue 13 item 6)
    assert table[yoy].tolist() == [tables.yoy_text(r, "zh") for _, r in profile.iterrows()]
    assert table[ZH["col.projection"]].tolist()[0] == fmt.value(profile["projection"].iloc[0], "亿元")
    last = [float(v[-1]) for v in table[ZH["col.trend"]]]  # the trend ends at this period's figure
    value = views.trend_value(profile)   # (its figure where it has no completion at all)
    assert last == pytest.approx(value.fillna(profile["actual"]).tolist(), nan_ok=True)
    sources = next(d.value for d in at.dataframe if ZH["col.source"] in d.value.columns and len(d.value) == len(profile))
    assert sources[ZH["col.source"]].str.contains("xlsx|xls|csv").all()   # in the expander under the table


def test_completion_chart_marks_expected_progress(at, ref):
    profile = views.unit_page(ref, "430421")["profile"]
    amounts = profile[(profile["kind"] == "amount") & profile["completion"].notna()]
    spec = next(s for s in plotly_specs(at) if any(t.get("name") == ZH["col.expected"] for t in s["data"]))
    bars = next(t for t in spec["data"] if t["type"] == "bar")
    marks = next(t for t in spec["data"] if t.get("name") == ZH["col.expected"])
    assert bars["y"] == [fmt.indicator_label(n, d) for n, d in zip(amounts["indicator_name"], amounts["direction"],
                                                                    strict=True)]   # ↓ where lower is better
    assert arr(bars["x"]) == pytest.approx((amounts["completion"] * 100).tolist())
    assert arr(marks["x"]) == pytest.approx((amounts["expected_progress"] * 100).tolist())


def test_county_ranking_tab(at, ref):
    ranking = views.type_ranking(ref, views.COUNTY_TYPE)["ranking"]
    show, _ = tables.unit_tables(ranking, translator("zh"))
    table = _table_with(at, ZH["col.composite"], len(ranking))
    assert table.equals(show)


def test_compare_several_counties(demo_store, ref):
    at = open_app(demo_store.root, "pages/counties.py", unit="珠晖区", cmp=["珠晖区", "耒阳市", "祁东县"])
    assert_clean(at)
    rows = views.compare(ref, ["430405", "430481", "430426"])
    shown = status_matrix(at)
    assert shown["cols"] == ["珠晖区", "耒阳市", "祁东县"]
    assert len(shown["rows"]) == rows["indicator_code"].nunique()


def test_towns_drill_down(at, ref):
    town = views.towns(ref, "430421")
    assert len(town["ranking"]) == 20
    table = _table_with(at, ZH["col.unit"], len(town["matrix"]))
    assert set(table[ZH["col.unit"]]) == set(town["ranking"]["unit_name"])
    assert set(town["matrix"]["category"]) >= {"乡村振兴"}
