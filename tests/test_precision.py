"""Item 1 of issue 13: the numbers shown never contradict the completion shown beside them."""

from __future__ import annotations

import re

import pytest

from metrics import precision, views
from metrics.ranking import round_half_up
from tests.conftest_ui import reference
from ui import fmt, tables
from ui.i18n import translator

T = translator("zh")
FACTOR = {"亿元": 1e4, "亿美元": 1e4, "万人": 1e4, "万户": 1e4}   # shown in the larger unit of a pair
_NUMBER = re.compile(r"^(-?[\d,]+(?:\.\d+)?)(.*)$")


def _parse(text: str) -> tuple[float, str]:
    m = _NUMBER.match(text)
    assert m, text
    return float(m.group(1).replace(",", "")), m.group(2)


def _recomputed(target: str, actual: str) -> str:
    (t, mt), (a, ma) = _parse(target), _parse(actual)
    assert mt == ma, (target, actual)   # a pair is written in one measure
    return fmt.pct(a / t)


@pytest.fixture(scope="module")
def ctxs(demo_store):
    return [reference(demo_store.root, p) for p in ("2021Q4", "2021Q3", "2021-06", "2021-09-D2")]


def test_demo_catalog_sets_decimals(demo_store):
    _, indicators = demo_store.catalog()
    dec = indicators.set_index("code")["decimals"]
    assert dec["E11"] == 2 and dec["G06"] == 2 and dec["M01"] == 2 and dec["E13"] == 0 and dec["E02"] == 1


def test_completion_recomputed_from_what_is_shown(ctxs):
    """Every row of every indicator table of the demo: actual / target as displayed gives the displayed
    completion to its last digit (the bug: 0.2万亩 / 0.2万亩 = 66.7%)."""
    checked = 0
    for ctx in ctxs:
        rows = views.figures(ctx, ctx.now.indicators)
        show, _, _ = tables.figure_tables(rows, T, "zh", ["unit", "indicator", "target", "actual", "completion"])
        for target, actual, completion in zip(show[T("col.target")], show[T("col.actual")],
                                              show[T("col.completion")], strict=True):
            if "—" in (target, actual, completion):
                continue
            assert _recomputed(target, actual) == completion, (target, actual, completion)
            checked += 1
        city = views.city_progress(ctx, ctx.now.indicators[ctx.now.indicators["unit_type"] == "县市区"])
        cshow, _ = tables.progress_tables(city, T)
        for target, actual, completion in zip(cshow[T("col.city_target")], cshow[T("col.city_actual")],
                                              cshow[T("col.city_completion")], strict=True):
            if "—" not in (target, actual, completion):
                assert _recomputed(target, actual) == completion, (target, actual, completion)
    assert checked > 2000


@pytest.mark.parametrize(("value", "measure", "decimals", "shown"), [
    (0.2134, "万亩", None, "0.213万亩"),     # three significant digits, never 0.2万亩
    (0.21, "亿美元", 2, "0.210亿美元"),
    (0.3, "万人", 2, "0.300万人"),
    (184.625, "亿元", None, "184.63亿元"),   # 亿元: 2 decimals by default
    (184.625, "亿元", 1, "184.6亿元"),       # 小数位 from the catalog
    (3, "个", None, "3个"),                  # counted things stay whole
    (7.25, "%", None, "7.3%"),
])
def test_significant_digits(value, measure, decimals, shown):
    assert fmt.value(value, measure, decimals) == shown


def test_pair_adds_digits_until_the_completion_follows():
    # 0.2 / 0.3 shown at one decimal would say 66.7%; the real 0.1968 / 0.3001 is 65.6%
    target, actual = fmt.pair(0.3001, 0.1968, "万亩", 1)
    assert _recomputed(target, actual) == fmt.pct(0.1968 / 0.3001) == "65.6%"
    # a pair shares one measure even when only the target reaches 10,000万元
    target, actual = fmt.pair(12000.0, 9876.0, "万元", None)
    assert target.endswith("亿元") and actual.endswith("亿元")
    assert _recomputed(target, actual) == fmt.pct(9876 / 12000)
    assert precision.pair_places(None, 1.0, "亿元") is None and fmt.pair(0.0, 1.0, "亿元") == ("0.00亿元", "1.00亿元")
    assert round_half_up(1.0, 0) == 1
