"""总览 in AppTest on the demo data: what it shows equals what the metrics engine computes."""

from __future__ import annotations

import pytest

from metrics import periods as per
from metrics import views
from tests.conftest_ui import assert_clean, html_bodies, open_app, reference, status_matrix, svg_map
from ui import fmt, geo
from ui.i18n import EN, ZH


@pytest.fixture(scope="module")
def ref(demo_store):
    return reference(demo_store.root)


@pytest.fixture(scope="module")
def at(demo_store):
    return open_app(demo_store.root)


def _metric(at, label: str):
    hits = [m for m in at.metric if m.label == label]
    assert hits, f"no card {label!r}: {[m.label for m in at.metric]}"
    return hits[0]


def _fresh(at) -> str:
    return " ".join(h.proto.body for h in at.get("html") if "yjx-fresh" in h.proto.body)


def test_overview_renders_clean(at):
    assert_clean(at)
    assert at.title[0].value == ZH["ov.title"]
    assert [s.value for s in at.subheader][:5] == [ZH["ov.map"], ZH["ov.matrix"], ZH["ov.top_bottom"],
                                                    ZH["ov.movers"], ZH["ov.province"]]
    assert [t.label for t in at.tabs] == [ZH["ov.tab_ranks"], ZH["ov.tab_shortfalls"]]


def test_cards_equal_the_metrics(at, ref):
    cards = views.overview(ref)["cards"]
    assert _metric(at, ZH["ov.on_track"]).value == f"{cards['green']}项"
    assert _metric(at, ZH["ov.behind"]).value == f"{cards['yellow'] + cards['red']}项"
    red = _metric(at, ZH["ov.red"])
    assert red.value == f"{cards['red']}项"
    assert red.proto.delta == f"{cards['red'] - cards['red_prev']:+d}"
    assert _metric(at, ZH["ov.not_reporting"]).value == f"{len(cards['missing_units'])}个单位"
    assert cards["missing_units"], "the demo data has units that did not report"
    p = cards["province"]
    province = _metric(at, ZH["ov.province"])
    assert province.value == ZH["ov.province_value"].format(rank=int(p["rank"]))
    moved = not fmt.blank(p["change"]) and int(p["change"]) != 0
    assert province.proto.delta == (ZH["ov.places"].format(n=fmt.rank_change(p["change"])) if moved else "")


def test_cards_say_what_they_count_and_name_the_indicator_in_full(at, ref, demo_store):
    """Issue 13 item 3: "指标×单位 N 项", the full indicator name (a caption wraps), one sign ("↓1位")."""
    cards = views.overview(ref)["cards"]
    on_track = _metric(at, ZH["ov.on_track"])
    captions = [c.value for c in at.caption]
    assert f"占指标×单位{cards['rows']}项" in captions and on_track.proto.delta == fmt.pct(cards["green"] / cards["rows"])
    assert f"黄灯{cards['yellow']}项 · 红灯{cards['red']}项" in captions
    assert cards["province"]["indicator_name"] in captions
    q3 = open_app(demo_store.root, period="2021年第三季度")   # the city lost one place on 地区生产总值增速
    delta = _metric(q3, ZH["ov.province"]).proto.delta
    assert delta == "↓1位" and "地区生产总值增速" in [c.value for c in q3.caption]


def test_freshness_line_names_period_version_and_import(at, ref, demo_store):
    line = _fresh(at)
    assert per.label(ref.period, "zh") in line
    assert f"v{demo_store.latest_version()}" in line
    assert demo_store.versions()["file_name"].iloc[-1] in line


def test_status_matrix_cells_carry_status_words(at, ref):
    matrix = views.overview(ref)["matrix"]
    matrix = matrix.assign(indicator_name=[fmt.indicator_label(n, d) for n, d in   # ↓ where lower is better
                                           zip(matrix["indicator_name"], matrix["direction"], strict=True)])
    shown = status_matrix(at)
    assert shown["cols"] == list(dict.fromkeys(matrix["unit_name"]))
    assert shown["rows"] == list(dict.fromkeys(matrix["indicator_name"]))
    assert len(shown["cells"]) == len(matrix)
    for r in matrix.itertuples():
        text, title, status = shown["cells"][(r.indicator_name, r.unit_name)]
        assert (text, status) == (ZH[f"status.short.{r.status}"], r.status)
        assert fmt.pct(r.completion) in title and ZH[f"status.{r.status}"] in title
        assert fmt.pair(r.target, r.actual, r.measure, r.decimals)[1] in title


def test_map_is_drawn_from_cnmaps_boundaries(at, ref):
    shown = svg_map(at)
    counties = views.map_values(ref, None)
    codes = [geo.adcode_of(c, n) for c, n in zip(counties["unit_code"], counties["unit_name"], strict=True)]
    assert sorted(shown["units"]) == sorted(codes) and len(codes) == 12
    boundaries = geo.feature_collection(codes)
    for feature in boundaries["features"]:
        rings = [ring for poly in feature["geometry"]["coordinates"] for ring in poly]
        assert shown["units"][feature["id"]][0] == sum(len(r) for r in rings)  # every boundary point drawn
    written = " ".join(shown["labels"] + shown["callouts"])
    for name, score, code in zip(counties["unit_name"], counties["composite"], codes, strict=True):
        assert name in written and fmt.score(score) in written  # every county labelled with its score
        assert name in shown["units"][code][2] and fmt.score(score) in shown["units"][code][2]  # and its hover


def test_ranks_tab_lists_movers_and_top_bottom(at, ref):
    data = views.overview(ref)
    movers = next(b for b in html_bodies(at) if 'data-testid="yjx-movers"' in b)
    for r in data["movers"].itertuples():
        assert r.unit_name in movers and fmt.rank_change(r.rank_change) in movers
    boards = next(b for b in html_bodies(at) if 'data-testid="yjx-top-bottom"' in b)
    for r in data["top_bottom"].itertuples():
        assert f"{r.unit_name} {fmt.score(r.composite)}（{int(r.rank)}）" in boards
    assert boards.count('class="card"') == data["top_bottom"][["unit_type", "group"]].drop_duplicates().shape[0]


def test_shortfalls_tab_lists_the_engines_shortfalls(demo_store, ref):
    at = open_app(demo_store.root, tab=ZH["ov.tab_shortfalls"])
    assert_clean(at)
    expected = views.overview(ref)["shortfalls"]
    assert len(expected) > 100
    assert any(c.value == ZH["table.limited"].format(shown=100, total=len(expected)) for c in at.caption)
    expected = expected.head(100)  # the screen shows 100 rows, the downloads all of them
    table = next(d.value for d in at.dataframe if ZH["col.status"] in d.value.columns and len(d.value) == len(expected))
    sources = next(d.value for d in at.dataframe if ZH["col.source"] in d.value.columns and len(d.value) == len(expected))
    assert table[ZH["col.unit"]].tolist() == expected["unit_name"].tolist()
    assert table[ZH["col.completion"]].tolist() == [fmt.pct(c) for c in expected["completion"]]
    assert table[ZH["col.status"]].tolist() == [ZH[f"status.{s}"] for s in expected["status"]]
    assert all(sources[ZH["col.source"]].str.contains("第"))   # in the expander under the table
    assert sources[ZH["col.unit"]].tolist() == table[ZH["col.unit"]].tolist()


def test_period_filter_comes_from_the_url(demo_store):
    at = open_app(demo_store.root, period="2021年第二季度")
    assert_clean(at)
    ref = reference(demo_store.root, "2021Q2")
    cards = views.overview(ref)["cards"]
    assert "2021年第二季度" in _fresh(at)
    assert _metric(at, ZH["ov.red"]).value == f"{cards['red']}项"
    assert at.session_state["_filters"].period == "2021Q2"


def test_group_and_category_filters_narrow_the_matrix(demo_store, ref):
    at = open_app(demo_store.root, group="县市区 · 城区", cat="经济发展")
    assert_clean(at)
    shown = status_matrix(at)
    assert shown["cols"] == ["珠晖区", "雁峰区", "石鼓区", "蒸湘区", "南岳区"]
    indicators = ref.indicators
    economy = indicators.loc[(indicators["category"] == "经济发展")
                             & indicators["applies_to"].map(lambda a: "县市区" in list(a)), "name"].tolist()
    assert shown["rows"] == economy


def test_language_switch_to_english(demo_store, ref):
    at = open_app(demo_store.root, lang="English")
    assert_clean(at)
    assert at.title[0].value == EN["ov.title"]
    assert _metric(at, EN["ov.red"]).value == str(views.overview(ref)["cards"]["red"])
    texts = {text for text, _, _ in status_matrix(at)["cells"].values()}
    assert texts <= {EN[f"status.short.{s}"] for s in fmt.STATUS_ORDER} and EN["status.short.red"] in texts
    assert per.label(ref.period, "en") in _fresh(at)
