"""Issue 13 item 8: choose the frequency (季度/月度/旬) first, then the period, in date order."""

from __future__ import annotations

from metrics import periods as per
from tests.conftest_ui import assert_clean, open_app
from ui.i18n import ZH


def _period(at):
    return next(s for s in at.sidebar.selectbox if s.label == ZH["filter.period"])


def _freq(at):
    return next(s for s in at.sidebar.get("button_group") if s.label == ZH["filter.freq"])


def test_frequency_then_period_in_date_order(demo_store):
    at = open_app(demo_store.root)
    assert_clean(at)
    labels = [w.label for w in at.sidebar.selectbox]
    assert labels.index(ZH["filter.year"]) < labels.index(ZH["filter.period"])
    period = _period(at)
    assert period.options == [per.label(c) for c in ("2021Q1", "2021Q2", "2021Q3", "2021Q4")]
    assert period.value == "2021Q4"
    freq = _freq(at)
    assert freq.options[:3] == ["季度", "月度", "旬"] and freq.value == "quarter"
    freq.set_value("month").run()
    period = _period(at)
    assert period.options == [per.label(f"2021-{m:02d}") for m in range(1, 13)]   # January first
    assert period.value == "2021-12"


def test_a_link_to_a_dekad_opens_on_the_dekads(demo_store):
    at = open_app(demo_store.root, period="2021年9月中旬")
    assert_clean(at)
    assert _freq(at).value == "dekad"
    period = _period(at)
    assert period.value == "2021-09-D2" and len(period.options) == 36
    assert period.options[0] == per.label("2021-01-D1")
