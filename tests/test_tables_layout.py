"""Issue 13 item 6 in AppTest: the figure tables leave provenance to an expander (no wide column),
pin the row's name and status (they stay on a phone's screen), draw every sparkline (the parks page's
safety row had an empty one) as bars in taller rows, and say what 同比 is measured in."""

from __future__ import annotations

import json

import pytest

from metrics import views
from tests.conftest_ui import assert_clean, open_app, reference
from ui.i18n import ZH


@pytest.fixture(scope="module")
def ref(demo_store):
    return reference(demo_store.root)


def _config(df) -> dict:
    """Column config of a dataframe element, by column name."""
    raw = json.loads(df.proto.columns or "{}")
    return {(v.get("label") or k.removeprefix("name:") if isinstance(k, str) else k): v for k, v in raw.items()}


def _main(at, column: str):
    return next(d for d in at.dataframe if column in d.value.columns)


@pytest.mark.parametrize("page, unit, code", [("pages/parks.py", "衡阳高新区", "P01"),
                                               ("pages/counties.py", "衡阳县", "430421")])
def test_profile_table_pins_name_and_status_and_moves_sources(demo_store, ref, page, unit, code):
    at = open_app(demo_store.root, page, unit=unit)
    assert_clean(at)
    main = _main(at, ZH["col.trend"])
    cols = list(main.value.columns)
    assert ZH["col.source"] not in cols
    config = _config(main)
    assert config[ZH["col.indicator"]].get("pinned") is True and config[ZH["col.status"]].get("pinned") is True
    assert config[ZH["col.trend"]]["type_config"]["type"] == "line_chart"
    assert config[ZH["col.trend"]]["type_config"]["color"] not in (None, "red", "green", "auto")   # not a light
    assert main.proto.row_height >= 40
    # 同比 says what it is in: this profile mixes growth (%), % rates (百分点) and other rates (增减)
    yoy = next(c for c in cols if c.startswith(ZH["col.yoy"]))
    assert "%" in yoy and "百分点" in yoy
    # no sparkline of only gaps (安全生产事故死亡人数 has a target of 0: its figures are drawn instead)
    assert all(any(v is not None for v in trend) for trend in main.value[ZH["col.trend"]])
    profile = views.unit_page(ref, code)["profile"]
    sources = next(d.value for d in at.dataframe if ZH["col.source"] in d.value.columns and len(d.value) == len(profile))
    assert sources[ZH["col.indicator"]].tolist() == main.value[ZH["col.indicator"]].tolist()
    assert sources[ZH["col.source"]].str.contains("xlsx|xls|csv").all()
    assert ZH["table.provenance_title"] in [e.label for e in at.expander]


def test_indicator_table_pins_unit_and_status(demo_store):
    at = open_app(demo_store.root, "pages/indicator.py", ind="地区生产总值（E01）")
    assert_clean(at)
    main = _main(at, ZH["col.will_meet"])
    assert ZH["col.source"] not in main.value.columns
    config = _config(main)
    assert config[ZH["col.unit"]].get("pinned") is True and config[ZH["col.status"]].get("pinned") is True
    assert f'{ZH["col.yoy"]}（%）' in main.value.columns   # an amount: growth in %
