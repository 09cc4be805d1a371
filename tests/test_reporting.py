"""Issue 13 item 12: the reporting calendar (报送): due days, received dates, late and missing figures."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest
from factories import INDICATOR_HEADER, INDICATORS, UNIT_HEADER, UNITS, write_csv

from metrics import scheme
from metrics.bulletin import providers
from metrics.cli import main
from metrics.importer import import_file
from metrics.messages import ImportRefused
from metrics.reporting import calendar
from metrics.reporting.received import received_day, received_index
from metrics.reporting.rules import DueRule, parse_rule
from metrics.store import Store

# ---- due days ----------------------------------------------------------------------------------------

def test_due_days_by_frequency_and_override():
    rules = calendar.due_rules(pd.DataFrame({"code": ["A", "B", "C", "D"], "frequency": ["dekad", "month", "quarter",
                                                                                         "quarter"],
                                             "due": ["", "", "", "次月15日"]}))
    assert rules["A"].due(dt.date(2021, 9, 10)) == dt.date(2021, 9, 12)       # 旬: two days after
    assert rules["A"].due(dt.date(2021, 9, 30)) == dt.date(2021, 10, 2)
    assert rules["B"].due(dt.date(2021, 12, 31)) == dt.date(2022, 1, 5)       # 月度: the 5th of the next month
    assert rules["C"].due(dt.date(2021, 9, 30)) == dt.date(2021, 10, 10)      # 季度: the 10th
    assert rules["D"].due(dt.date(2021, 9, 30)) == dt.date(2021, 10, 15)      # the catalog's 报送时限 wins
    assert parse_rule(3) == DueRule(days=3) and parse_rule("5天") == DueRule(days=5) and parse_rule("") is None
    for bad in ("下月初", "次月40日", -1, 2.5):
        with pytest.raises(ValueError):
            parse_rule(bad)


def test_scheme_section_defaults_and_checks():
    assert scheme.load_scheme(2021).section("reporting") == {"week": 1, "dekad": 2, "month": "次月5日",
                                                             "quarter": "次月10日"}
    with pytest.raises(scheme.SchemeError, match="reporting.month"):
        scheme.parse_scheme([("t.toml", {"reporting": {"month": "月底"}})])


def _catalog(path, due="", decimals=1):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(UNIT_HEADER)
    for row in UNITS:
        ws.append(row)
    ws = wb.create_sheet("指标")
    ws.append([*INDICATOR_HEADER, "小数位", "报送时限"])
    for i, row in enumerate(INDICATORS):
        ws.append([*row, decimals, due if i == 0 else None])
    wb.save(path)
    return path


def test_catalog_refuses_a_bad_due_day_and_decimals_located(tmp_path):
    s = Store(tmp_path / "s")
    with pytest.raises(ImportRefused) as refused:
        import_file(_catalog(tmp_path / "c.xlsx", due="下月初", decimals=9), s)
    texts = [p.render("zh") for p in refused.value.problems]
    assert any("报送时限" in t and "下月初" in t and "第 2 行" in t for t in texts), texts
    assert any("小数位" in t for t in texts), texts
    import_file(_catalog(tmp_path / "ok.xlsx", due="次月20日", decimals=2), s)
    ind = s.catalog()[1].set_index("code")
    assert ind.at["GDP", "due"] == "次月20日" and ind.at["GDP", "decimals"] == 2


# ---- states on a small store -------------------------------------------------------------------------

@pytest.fixture
def small(tmp_path):
    s = Store(tmp_path / "s")
    import_file(_catalog(tmp_path / "c.xlsx"), s)
    rows = [["2021Q3", "珠晖区", "地区生产总值", 100, "", 70, ""], ["2021Q3", "雁峰区", "地区生产总值", 100, "", "", ""],
            ["2021Q3", "衡阳县", "地区生产总值", 100, "", 60, ""], ["2021Q3", "衡南县", "地区生产总值", 100, "", 50, ""]]
    import_file(write_csv(tmp_path / "q3.csv", rows), s, received=dt.date(2021, 10, 9))
    late = [["2021Q3", "雁峰区", "地区生产总值", "", "", 65, ""]]
    import_file(write_csv(tmp_path / "late.csv", late), s, received=dt.date(2021, 10, 14))
    return s


def test_on_time_late_missing_and_not_due(small):
    units, indicators = small.catalog()
    idx = received_index(small)
    assert set(idx["received"]) == {dt.date(2021, 10, 9), dt.date(2021, 10, 14)}
    t = calendar.on_date(units, indicators, small.figures(), idx, dt.date(2021, 10, 20), "month")
    gdp = t[t["indicator_code"] == "GDP"].set_index("unit_name")["state"].to_dict()
    assert gdp == {"珠晖区": "on_time", "雁峰区": "late", "衡阳县": "on_time", "衡南县": "on_time"}
    assert "衡山县" not in gdp            # no target that year: nothing owed
    early = calendar.on_date(units, indicators, small.figures(), idx, dt.date(2021, 10, 10), "month")
    e = early[early["indicator_code"] == "GDP"].set_index("unit_name")["state"].to_dict()
    assert e["雁峰区"] == "not_due" or e["雁峰区"] == "missing"
    assert e["雁峰区"] == "not_due"       # on its due day nothing is missing yet
    after = calendar.on_date(units, indicators, small.figures(), idx, dt.date(2021, 10, 12), "month")
    assert after.set_index(["indicator_code", "unit_name"]).at[("GDP", "雁峰区"), "state"] == "missing"
    row = t[(t["indicator_code"] == "GDP") & (t["unit_name"] == "雁峰区")].iloc[0]
    assert row["version"] == 3 and row["received"] == dt.date(2021, 10, 14) and row["due"] == dt.date(2021, 10, 10)


def test_received_flag_is_checked_and_stored(small, tmp_path, capsys):
    root = str(small.root)
    path = write_csv(tmp_path / "m.csv", [["2021Q3", "衡山县", "地区生产总值", 100, "", 80, ""]])
    assert main(["import", str(path), "--store", root, "--received", "2099-01-01"]) == 1
    assert "晚于今天" in capsys.readouterr().out
    assert main(["import", str(path), "--store", root, "--received", "2021-09-01"]) == 1
    assert "早于文件中期间的截止日 2021-09-30" in capsys.readouterr().out
    assert main(["import", str(path), "--store", root, "--received", "yesterday"]) == 2
    assert main(["import", str(path), "--store", root, "--received", "2021年10月8日"]) == 0
    manifest = small.manifest(small.latest_version())
    assert manifest["received"] == "2021-10-08" and received_day(manifest) == dt.date(2021, 10, 8)
    assert json.loads(json.dumps(manifest))["received"] == "2021-10-08"


def test_commit_time_counts_in_shanghai():
    assert received_day({"time": "2021-10-05T17:30:00+00:00"}) == dt.date(2021, 10, 6)   # 01:30 on the 6th
    assert received_day({"time": "2021-10-05T15:59:00+00:00"}) == dt.date(2021, 10, 5)


# ---- the demo -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_calendar(demo_store):
    units, indicators = demo_store.catalog()
    idx = received_index(demo_store)
    on = calendar.default_date(demo_store.figures(), dt.date(2026, 11, 30))
    return on, calendar.on_date(units, indicators, demo_store.figures(), idx, on, "dekad")


def test_demo_round_most_on_time_some_late_a_few_missing(demo_calendar):
    on, t = demo_calendar
    assert on == dt.date(2022, 1, 10)
    counts = t["state"].value_counts()
    assert counts["on_time"] > 10 * counts["late"] > 0 and 0 < counts["missing"] <= 5
    late = t[t["state"] == "late"]
    assert set(late["indicator_code"]) == {"E05", "E06", "E07", "E08", "E09"}   # 2021-12's sheet came on the 7th
    assert set(late["unit_type"]) == {"县市区"} and (late["received"] == dt.date(2022, 1, 7)).all()
    missing = t[t["state"] == "missing"]
    assert missing[["unit_name", "indicator_code", "period"]].values.tolist() == [["杨林镇", "R01", "2021-12-D3"]]
    gdp = t[(t["indicator_code"] == "E01")]
    assert (gdp["due"] == dt.date(2022, 1, 15)).all() and (gdp["state"] == "not_due").all()  # 次月15日
    assert len(calendar.not_on_time_units(t)) == 13
    assert "市州" not in set(t["unit_type"])


def test_bulletin_lists_late_and_missing_units(demo_store):
    got = providers.late_reports(None, "2021Q4", list(demo_store.catalog()[0]["code"]), dt.date(2022, 1, 20),
                                 pd.DataFrame(), store_root=str(demo_store.root))
    rows = {r["unit_name"]: r for r in got.rows}
    assert rows["珠晖区"]["late"] >= 5          # the December monthly figures came on the 7th
    assert rows["杨林镇"]["missing"] == 1
    assert "报送日历" in got.source


# ---- the page and the overview's card ----------------------------------------------------------------

def test_reporting_page_and_a_units_own_view(demo_store, demo_calendar):
    from tests.conftest_ui import assert_clean, open_app
    from ui.i18n import ZH

    _, t = demo_calendar
    at = open_app(demo_store.root, "pages/reporting.py")
    assert_clean(at)
    assert at.title[0].value == ZH["rep.title"]
    metrics = {m.label: m.value for m in at.metric}
    counts = t["state"].value_counts()
    assert metrics[ZH["rep.metric.late"]] == str(counts["late"])
    assert metrics[ZH["rep.metric.missing"]] == str(counts["missing"])
    table = at.dataframe[0].value
    row = table[table[ZH["col.unit"]] == "珠晖区"].iloc[0]
    assert int(row[ZH["rep.state.late"]]) == 5 and int(row[ZH["rep.col.due_count"]]) == 5
    own = open_app(demo_store.root, "pages/reporting.py", rep_unit="珠晖区")
    assert_clean(own)
    detail = own.dataframe[0].value
    late = detail[detail[ZH["rep.col.state"]] == ZH["rep.state.late"]]
    assert set(late[ZH["rep.col.received"]]) == {"2022-01-07"} and len(late) == 5
    assert all(v.startswith("v") for v in late[ZH["rep.col.version"]])


def test_overview_card_counts_units_not_on_time(demo_store):
    from tests.conftest_ui import open_app
    from ui.i18n import ZH

    at = open_app(demo_store.root)
    card = next(m for m in at.metric if m.label == ZH["rep.card"])
    assert card.value == "13个单位" and card.proto.delta == "截至2022年1月10日"


def test_start_script_says_what_it_imported_in_words(demo_store):
    """Issue 13 item 11: scripts/start.sh prints the import in words, then versions with column headers."""
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("demo_import", root / "data/demo/received/import_demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.describe(demo_store.root)
    assert "236 个单位、50 项指标" in text and "数据文件 114 个" in text and "2020年01月10日至2021年12月31日" in text
    assert "版本" in text.splitlines()[2] and "文件" in text.splitlines()[2]
    start = (root / "scripts/start.sh").read_text(encoding="utf-8")
    assert "import_demo.py" in start and "tail -n 3" not in start
