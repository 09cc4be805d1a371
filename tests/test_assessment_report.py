"""``report --level assessment`` on the demo (2021 with its events) and on a small store: the columns,
the planted cases, the formats, the as-of reads, the year without Q4, and the what-if."""

from __future__ import annotations

import csv
import io
import json
import time
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pandas as pd
import pytest
from conftest import DEMO_EVENTS

from metrics.access import PERMISSIONS, Actor
from metrics.assessment import annual, service, whatif
from metrics.assessment.result import RESULT_COLUMNS
from metrics.cli import main
from metrics.compute import Engine
from metrics.db import database_url
from metrics.export import csv_safe
from metrics.importer import import_file
from tests.factories import write_xlsx

ADMIN = Actor(name="admin1", role="admin", permissions=frozenset(PERMISSIONS))


def report(store, capsys, *extra: str) -> tuple[int, str, str]:
    code = main(["report", "--level", "assessment", "--store", str(store.root), *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def demo_csv(demo_events):
    import subprocess
    import sys

    from tests.conftest_ui import ROOT

    done = subprocess.run([sys.executable, "-m", "metrics", "report", "--level", "assessment", "--year", "2021",
                           "--store", str(demo_events.root)], cwd=ROOT, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def test_the_demo_2021_result_has_the_columns_and_every_assessed_unit(demo_csv, demo_events):
    head = demo_csv.splitlines()[0]
    assert head == ",".join(RESULT_COLUMNS)
    rows = rows_of(demo_csv)
    units, _ = demo_events.catalog()
    assessed = units[units["type"].isin(["县市区", "乡镇", "市直部门", "园区"])]
    assert sorted(r["unit_code"] for r in rows) == sorted(assessed["code"])
    assert {r["year"] for r in rows} == {"2021"}
    assert {r["grade"] for r in rows} <= {"优秀", "良好", "一般", "较差"}
    assert {r["veto"] for r in rows} == {"true", "false"} and {r["capped_grade"] for r in rows} == {"true", "false"}


def test_the_composite_is_the_engines_and_the_final_adds_the_events(demo_csv, demo_events):
    units, indicators = demo_events.catalog()
    composites = Engine(units, indicators, demo_events.figures()).unit_table("2021Q4").set_index("unit_code")["composite"]
    for r in rows_of(demo_csv):
        c = composites.get(r["unit_code"])
        if r["composite"] == "":
            assert c is None or pd.isna(c)
            continue
        assert float(r["composite"]) == c
        raw = Decimal(repr(float(c))) + Decimal(r["bonus"]) - Decimal(r["deduction"])
        assert Decimal(r["final"]) == max(raw, Decimal(0)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_the_demo_events_show_every_rule(demo_csv):
    by = {r["unit_name"]: r for r in rows_of(demo_csv)}
    leiyang = by["耒阳市"]                                    # 3 + 2 + 2 = 7 bonus points, 5 counted
    assert (leiyang["bonus"], leiyang["grade"]) == ("5.0", "优秀") and "加分 7 分（计 5 分）" in leiyang["events"]
    zhengxiang = by["蒸湘区"]                                  # best of 城区, 降档: 良好, and 珠晖区 takes the place
    assert (zhengxiang["rank"], zhengxiang["grade"], zhengxiang["capped_grade"]) == ("1", "良好", "true")
    assert by["珠晖区"]["grade"] == "优秀"
    town = next(r for r in rows_of(demo_csv) if (r["unit_name"], r["group"]) == ("松江镇", "衡南县"))  # 一票否决
    assert (town["grade"], town["veto"]) == ("较差", "true") and town["rank"] != ""
    assert (by["市住房和城乡建设局"]["grade"], by["市住房和城乡建设局"]["veto"]) == ("较差", "true")
    xinfang = by["市信访局"]
    assert (xinfang["deduction"], xinfang["bonus"]) == ("5.0", "0.0")
    quota = {}
    for r in rows_of(demo_csv):
        quota.setdefault(r["group"], []).append(r)
    for group, members in quota.items():
        n = sum(1 for r in members if r["final"] != "")
        excellent = sum(1 for r in members if r["grade"] == "优秀")
        assert excellent <= int(Decimal("0.3") * n), group


def test_the_events_file_is_the_demo_generators(tmp_path):
    from conftest import load_generator

    gen = load_generator()
    written = gen.write_events(tmp_path)
    assert written.read_bytes() == DEMO_EVENTS.read_bytes(), "run python data/demo/generate.py"
    rows = list(openpyxl.load_workbook(DEMO_EVENTS).active.iter_rows(values_only=True))
    assert "合成演示数据" in rows[0][0] and list(rows[1][:7]) == ["单位", "年度", "类型", "事项", "分值", "依据", "日期"]
    assert 35 <= len(rows) - 2 <= 45
    assert {r[2] for r in rows[2:]} == {"加分", "扣分", "一票否决", "降档"}


def test_group_formats_and_refusals(demo_events, capsys):
    code, out, _ = report(demo_events, capsys, "--year", "2021", "--group", "城区", "--format", "json")
    data = json.loads(out)
    assert code == 0 and [r["unit_name"] for r in data][:2] == ["蒸湘区", "珠晖区"]
    assert list(data[0]) == RESULT_COLUMNS and data[0]["capped_grade"] is True and data[0]["rank"] == 1
    (item,) = data[0]["events"]["items"]
    assert (item["kind"], item["basis"], item["points"]) == ("cap", "衡纪通〔2021〕7号", None)
    code, out, _ = report(demo_events, capsys, "--year", "2021", "--group", "县市", "--format", "xlsx",
                          "--out", str(demo_events.root.parent / "a.xlsx"))
    ws = openpyxl.load_workbook(demo_events.root.parent / "a.xlsx").active
    assert code == 0 and [c.value for c in ws[1]] == RESULT_COLUMNS and ws.max_row == 8
    assert report(demo_events, capsys, "--year", "2021", "--group", "没有")[0] == 1
    code, _, err = report(demo_events, capsys, "--year", "2019")
    assert code == 1 and "2019 年还没有第四季度" in err
    code, _, err = report(demo_events, capsys)
    assert code == 2 and "--year" in err
    assert report(demo_events, capsys, "--year", "2021", "--as-of", "明天")[0] == 2


def test_text_excel_could_evaluate_is_neutralised(store, tmp_path, capsys):
    write_xlsx(tmp_path / "q4.xlsx", [["2021Q4", "衡阳县", "GDP", 400, None, 410, None],
                                      ["2021Q4", "衡南县", "GDP", 400, None, 300, None]])
    import_file(tmp_path / "q4.xlsx", store)
    service.enter(database_url(store.root), ADMIN, service.Event(
        unit_code="430421", year=2021, kind="bonus", item="=HYPERLINK(\"http://x\",\"点我\")", points=Decimal(1),
        basis="@SUM(1)", date=pd.Timestamp("2021-05-01").date()))
    code, out, _ = report(store, capsys, "--year", "2021")
    row = next(r for r in rows_of(out) if r["unit_code"] == "430421")
    assert code == 0 and row["events"].startswith("加分 1 分：=HYPERLINK")
    code, _, _ = report(store, capsys, "--year", "2021", "--format", "xlsx", "--out", str(tmp_path / "r.xlsx"))
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)
    frame = csv_safe(pd.DataFrame({"a": ["=1+1", "+1", "-x", "@SUM(1)", "\tx", "ok", None], "n": range(7)}))
    assert frame["a"].tolist()[:6] == ["'=1+1", "'+1", "'-x", "'@SUM(1)", "'\tx", "ok"] and pd.isna(frame["a"][6])
    assert frame["n"].tolist() == list(range(7))
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    ws = openpyxl.load_workbook(buffer).active
    assert ws["A2"].value == "'=1+1" and ws["A2"].data_type == "s"


def test_as_of_a_version_and_a_day(store, tmp_path, capsys):
    url = database_url(store.root)
    write_xlsx(tmp_path / "q4.xlsx", [["2021Q4", "衡阳县", "GDP", 400, None, 410, None],
                                      ["2021Q4", "衡南县", "GDP", 400, None, 300, None]])
    import_file(tmp_path / "q4.xlsx", store)                                    # version 2
    eid = service.enter(url, ADMIN, service.Event(unit_code="430422", year=2021, kind="bonus", item="表彰",
                                                  points=Decimal(2), basis="文1", date=pd.Timestamp("2021-05-01").date()))
    time.sleep(1.1)                                                             # manifests keep whole seconds
    write_xlsx(tmp_path / "fix.xlsx", [["2021Q4", "衡南县", "GDP", None, None, 340, None]])
    import_file(tmp_path / "fix.xlsx", store)                                   # version 3
    time.sleep(1.1)
    service.correct(url, ADMIN, eid, "分值更正", points=Decimal(4))

    def hengnan(*extra):
        code, out, _ = report(store, capsys, "--year", "2021", *extra)
        assert code == 0
        return next(r for r in rows_of(out) if r["unit_code"] == "430422")

    now = hengnan()
    assert (now["bonus"], now["composite"]) == ("4.0", "85.0")                  # 340 / 400
    v2 = hengnan("--as-of-version", "2")
    assert (v2["bonus"], v2["composite"]) == ("2.0", "75.0")                    # the event as it stood while v2 was latest
    code, _, err = report(store, capsys, "--year", "2021", "--as-of-version", "1")
    assert code == 1 and "第四季度" in err                                         # v1: the catalog only
    code, _, err = report(store, capsys, "--year", "2021", "--as-of", "2020-06-30")
    assert code == 1 and "目录" in err


def test_what_if_hengdong_closes_its_two_reds(demo_events):
    units, indicators = demo_events.catalog()
    figures = demo_events.figures()
    events = service.events_as_of(database_url(demo_events.root), year=2021)
    w = whatif.close_reds(units, indicators, figures, events, 2021, "430424")
    assert sorted(w.closed["indicator_name"]) == ["地表水达标率", "社会消费品零售总额"]
    assert w.after["composite"] > w.before["composite"]
    expected = Decimal(repr(w.after["composite"])) + Decimal(repr(w.after["bonus"]))
    assert Decimal(repr(w.after["final"])) == expected.quantize(Decimal("0.01"), ROUND_HALF_UP)
    # the same by hand: the two actuals set to their targets, the engine run again
    end = pd.Timestamp("2021-12-31")
    changed = annual.year_figures(figures, 2021).copy()
    for code, value in zip(w.closed["indicator_code"], w.closed["closing"], strict=True):
        at = (pd.to_datetime(changed["date"]) == end) & (changed["unit_code"] == "430424") & (
            changed["indicator_code"] == code)
        assert at.sum() == 1
        changed.loc[at, "actual"] = value
    again = Engine(units, indicators, changed).unit_table("2021Q4").set_index("unit_code")
    assert again.at["430424", "composite"] == w.after["composite"]
    none = whatif.close_reds(units, indicators, figures, events, 2021, "430408")   # 蒸湘区 has no reds
    assert not none.changed and none.after == none.before
