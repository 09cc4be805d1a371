"""Sections the bulletin takes from other features, wired to the real features on the demo."""

from __future__ import annotations

import datetime as dt

from metrics.assessment import annual
from metrics.bulletin import service
from metrics.db import database_url


def test_a_q4_bulletin_commends_and_criticises_by_the_years_grades(demo_events):
    url = database_url(demo_events.root)
    city = service.prepare(demo_events, "2021Q4", db_url=url)   # dated today: the events in force now
    honours = city.section("honours")
    assert "根据年度考核结果" in honours.paragraphs()[0]
    rows = {r["group"]: r for r in honours.tables()[0].rows}
    graded = annual.annual_result(demo_events, url, 2021).table
    county = graded[(graded["unit_type"] == "县市区") & (graded["group"] == "县市")].sort_values("rank")
    expected_top = "、".join(county.loc[county["grade"] == "优秀", "unit_name"])
    expected_bottom = "、".join(county.loc[county["grade"] == "较差", "unit_name"])
    assert rows["县市区·县市"]["commended"] == (expected_top or "无")
    assert rows["县市区·县市"]["criticised"] == (expected_bottom or "无")


def test_events_count_as_they_stood_at_the_end_of_the_bulletins_date(demo_events):
    """The demo's events were recorded today: a bulletin dated in 2022 saw none of them."""
    url = database_url(demo_events.root)
    early = service.prepare(demo_events, "2021Q4", db_url=url, on=dt.date(2022, 1, 20))
    graded = annual.compute(*demo_events.catalog(), demo_events.figures(), [], 2021)
    county = graded[(graded["unit_type"] == "县市区") & (graded["group"] == "县市")].sort_values("rank")
    rows = {r["group"]: r for r in early.section("honours").tables()[0].rows}
    assert rows["县市区·县市"]["commended"] == ("、".join(county.loc[county["grade"] == "优秀", "unit_name"]) or "无")


def test_a_q4_bulletin_without_a_database_uses_the_ranking_rule(demo_store):
    city = service.prepare(demo_store, "2021Q4")
    honours = city.section("honours")
    assert any("未连接考核数据库" in b.text for b in honours.blocks if hasattr(b, "text"))
    assert "综合得分前1名" in honours.paragraphs()[0]
