"""The events workbook: recognised by its header, every mistake located, all of it or nothing, and the
administrator's permission; through ``import_file`` and ``python -m metrics import``."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import openpyxl
import pytest

from metrics.access import PERMISSIONS, Actor
from metrics.assessment import service, workbook
from metrics.cli import main
from metrics.db import database_url
from metrics.importer import import_file
from metrics.messages import ImportRefused
from tests.factories import write_xlsx

ADMIN = Actor(name="admin1", role="admin", permissions=frozenset(PERMISSIONS))
HEAD = ["单位", "年度", "类型", "事项", "分值", "依据", "日期", "佐证", "备注"]
GOOD = [
    ["衡阳县", 2021, "加分", "获评全省营商环境优秀县", 3, "湘政办函〔2021〕58号", dt.datetime(2021, 6, 18), "通报原件", ""],
    ["衡南", 2021, "扣分", "信访积案化解不力被通报", 1.5, "衡督查〔2021〕18号", "2021年5月21日", "", ""],
    ["衡南县/白沙镇", "2021年", "一票否决", "发生较大安全生产事故", None, "衡安委〔2021〕21号", "2021-08-27", "", ""],
    ["市发改委", 2021, "降档", "党风廉政建设被通报", "", "衡纪通〔2021〕7号", "2021/10/12", "", "示例"],
    ["P01", 2021, "bonus", "获评国家级绿色园区", "2", "工信厅节函〔2021〕190号", dt.date(2021, 10, 28), "", ""],
]


def events_file(path, rows, head=HEAD, title=True, extra_sheet=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "加扣分事项"
    if title:
        ws.append(["2021年度加扣分事项（测试）"])
    ws.append(head)
    for r in rows:
        ws.append(r)
    if extra_sheet:
        ws2 = wb.create_sheet(extra_sheet[0])
        for r in extra_sheet[1]:
            ws2.append(r)
    notes = wb.create_sheet("说明")
    notes["A1"] = "类型：加分、扣分、一票否决、降档"
    wb.save(path)
    return path


def db(store) -> str:
    return database_url(store.root)


def test_a_good_workbook_is_imported(store, tmp_path):
    summary = import_file(events_file(tmp_path / "事项.xlsx", GOOD), store, actor=ADMIN)
    assert (summary.kind, summary.rows, summary.units, summary.periods) == ("events", 5, 5, ["2021"])
    assert summary.extra == {"added": 5, "corrected": 0, "unchanged": 0, "not_restored": 0, "years": ["2021"]}
    got = {e.unit_code: e for e in service.events_as_of(db(store), year=2021)}
    assert set(got) == {"430421", "430422", "430422101", "D001", "P01"}
    assert (got["430421"].points, got["430421"].date, got["430421"].evidence) == (Decimal(3), dt.date(2021, 6, 18), "通报原件")
    assert (got["430422"].kind, got["430422"].points, got["430422"].date) == ("deduction", Decimal("1.5"), dt.date(2021, 5, 21))
    assert (got["430422101"].kind, got["430422101"].points) == ("veto", None)
    assert (got["D001"].kind, got["D001"].note, got["D001"].date) == ("cap", "示例", dt.date(2021, 10, 12))
    assert got["P01"].kind == "bonus"
    assert got["430421"].source["sheet"] == "加扣分事项" and got["430421"].source["row"] == 3
    assert store.latest_version() == 1  # the figure store is untouched: only the catalog


def test_english_headers_and_no_title_row(store, tmp_path):
    head = ["unit", "year", "kind", "item", "points", "basis", "date"]
    path = events_file(tmp_path / "events.xlsx", [r[:7] for r in GOOD[:2]], head=head, title=False)
    assert import_file(path, store, actor=ADMIN).extra["added"] == 2


def _refused(store, path, actor=ADMIN) -> list:
    with pytest.raises(ImportRefused) as err:
        import_file(path, store, actor=actor)
    return err.value.problems


def test_every_mistake_is_located_and_nothing_is_stored(store, tmp_path):
    bad = [
        ["衡阳新区", 2021, "加分", "甲", 1, "文1", "2021-01-05", "", ""],           # 3: unknown unit
        ["白沙镇", 2021, "加分", "乙", 1, "文2", "2021-01-05", "", ""],             # 4: ambiguous town
        ["长沙市", 2021, "加分", "丙", 1, "文3", "2021-01-05", "", ""],             # 5: a 市州 is not assessed
        ["衡阳县", 2021, "表扬", "丁", 1, "文4", "2021-01-05", "", ""],             # 6: bad kind
        ["衡阳县", "去年", "加分", "戊", 1, "文5", "2021-01-05", "", ""],           # 7: bad year
        ["衡阳县", 2021, "加分", "己", None, "文6", "2021-01-05", "", ""],          # 8: a bonus needs points
        ["衡阳县", 2021, "一票否决", "庚", 5, "文7", "2021-01-05", "", ""],         # 9: a veto has none
        ["衡阳县", 2021, "扣分", "辛", -2, "文8", "2021-01-05", "", ""],            # 10: points are positive
        ["衡阳县", 2021, "加分", "壬", "两分", "文9", "2021-01-05", "", ""],        # 11: not a number
        ["衡阳县", 2021, "加分", "癸", 1, "文10", "2021年13月5日", "", ""],         # 12: no such date
        ["衡阳县", 2021, "加分", "子", 1, "", "2021-01-05", "", ""],                # 13: no basis
        ["衡阳县", 2021, "加分", "获评先进", 1, "文11", "2021-01-05", "", ""],      # 14
        ["衡阳县", 2021, "加分", "获评 先进", 2, "文11", "2021-02-05", "", ""],     # 15: same key as row 14
        ["衡阳县", 2021, "加分", "丑", 1, "文12", "2019-01-05", "", ""],            # 16: date outside the year
    ]
    problems = _refused(store, events_file(tmp_path / "bad.xlsx", GOOD + bad))
    where = {(p.row, p.column, p.key) for p in problems}
    assert all(p.file == "bad.xlsx" and p.sheet == "加扣分事项" for p in problems)
    expected = {(8, "A", "unknown_unit"), (9, "A", "ambiguous_unit"), (10, "A", "events_unit_type"),
                (11, "C", "events_bad_kind"), (12, "B", "events_bad_year"), (13, "E", "events_invalid"),
                (14, "E", "events_invalid"), (15, "E", "events_invalid"), (16, "E", "events_bad_points"),
                (17, "G", "events_bad_date"), (18, "F", "events_invalid"), (20, "D", "events_duplicate"),
                (21, "G", "events_invalid")}
    assert where == expected, sorted(where ^ expected)
    texts = {p.row: p.render("zh") for p in problems}
    assert "是否为" in texts[8] or "衡阳" in texts[8]           # the closest names are suggested
    assert "另见第 19 行" in texts[20]
    assert "衡南县/白沙镇" in texts[9] or "430422101" in texts[9]
    assert service.events_as_of(db(store)) == []


def test_a_missing_column_and_a_duplicate_across_sheets(store, tmp_path):
    head = [h for h in HEAD if h != "依据"]
    problems = _refused(store, events_file(tmp_path / "a.xlsx", [r[:5] + r[6:] for r in GOOD], head=head))
    assert [(p.key, p.column) for p in problems] == [("missing_column", None)] and "依据" in problems[0].render()
    other = ("第二批", [HEAD, GOOD[0]])
    problems = _refused(store, events_file(tmp_path / "b.xlsx", GOOD, extra_sheet=other))
    assert [(p.sheet, p.row, p.key) for p in problems] == [("第二批", 2, "events_duplicate")]
    assert "工作表 加扣分事项 第 3 行" in problems[0].render()


def test_an_events_workbook_needs_an_administrator(store, tmp_path):
    path = events_file(tmp_path / "事项.xlsx", GOOD)
    analyst = Actor(name="ana", role="analyst", permissions=frozenset({"read", "export"}))
    for actor in (None, Actor.anonymous(), analyst):
        (problem,) = _refused(store, path, actor)
        assert problem.key == "events_forbidden" and "管理员" in problem.render()
    assert service.events_as_of(db(store)) == []


def test_too_many_rows_are_refused(store, tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 3)
    (problem,) = _refused(store, events_file(tmp_path / "big.xlsx", GOOD))
    assert problem.key == "events_too_many"


def test_figure_sheets_are_not_events_and_events_are_not_figures(store, tmp_path):
    figures = write_xlsx(tmp_path / "q3.xlsx", [["2021Q3", "衡阳县", "GDP", 400, None, 310, None]])
    assert import_file(figures, store, actor=ADMIN).kind == "figures"
    assert import_file(events_file(tmp_path / "e.xlsx", GOOD), store, actor=ADMIN).kind == "events"
    assert store.latest_version() == 2


@pytest.fixture
def cli_db(db_url, monkeypatch):
    """The CLI's database is the test database (SQLite or PostgreSQL) through METRICS_DB."""
    monkeypatch.setenv("METRICS_DB", db_url)
    return db_url


def test_cli_imports_as_the_operator_or_a_named_account(store, tmp_path, capsys, cli_db):
    from metrics.db import session_scope
    from metrics.db.models import User

    path = events_file(tmp_path / "事项.xlsx", GOOD)
    args = ["import", str(path), "--store", str(store.root)]
    assert main([*args, "--user", "nobody"]) == 3          # refused before any file is read
    assert "账号“nobody”不存在" in capsys.readouterr().err
    with session_scope(cli_db) as s:
        s.add(User(name="王管理", role="admin", display_name="王管理"))
    assert main([*args, "--dry-run"]) == 0
    assert "试运行" in capsys.readouterr().out and service.events_as_of(cli_db) == []
    assert main([*args, "--user", "王管理"]) == 0
    out = capsys.readouterr().out
    assert "✔ 已导入 事项.xlsx（加扣分事项）" in out and "新增 5，更正 0，未变 0" in out
    assert {e.source["actor"] for e in service.events_as_of(cli_db)} == {"王管理"}
    assert main([*args, "--json"]) == 0                   # no --user: the server's operator
    (result,) = json.loads(capsys.readouterr().out)["files"]
    assert (result["kind"], result["status"], result["events"]["unchanged"]) == ("events", "unchanged", 5)
