"""问题清单 and 目标任务分解清单 workbooks: good files, refused files with located errors (nothing
written), task lights around milestone dates, a missed milestone hung on the ledger (SQLite and
PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from supervision_factories import PL_HEADER, PL_ROWS, actor, write_problem_list, write_task_list

from metrics.access import Forbidden
from metrics.catalog import Catalog
from metrics.sheets.workbook import read_file
from metrics.supervision import importing, queries, tasks
from metrics.supervision.problem_list import read_problem_list
from metrics.supervision.task_sheet import read_task_list

INSPECTOR = actor("duchayuan", "inspector")
REPORTER = actor("tianbao", "reporter", ["430422"])
D = dt.date


def test_problem_list_rows_become_items(store, tmp_path):
    items, problems = read_problem_list(read_file(write_problem_list(tmp_path / "问题清单.xlsx")), Catalog(*store.catalog()))
    assert [p for p in problems if p.level == "error"] == []
    first, second = items
    assert (first.unit_code, first.indicator_code, first.period, first.responsible_unit, first.cooperating) == (
        "430421", "GDP", "2021Q1", "430421", ["D001"])
    assert first.requirements == [("制定整改方案", D(2021, 4, 30)), ("加快重点项目入库", None)]
    assert (first.deadline, first.severity, first.leader, first.source_row) == (D(2021, 6, 30), "较重", "张三（副县长）", 3)
    assert (second.indicator_code, second.period, second.deadline) == ("GDZC", "2021-03", D(2021, 6, 30))
    assert second.requirements == [("加快项目开工", None), ("完成入库", None)]


def test_problem_list_refused_whole_file_with_located_errors(store, tmp_path, db_url):
    bad = [list(PL_ROWS[0]), list(PL_ROWS[1])]
    bad[1][0] = "衡东县"                         # unknown unit
    bad[1][5] = ""                               # no leader
    bad[0][7] = "制定方案（2021年12月31日前）"     # after the overall deadline
    path = write_problem_list(tmp_path / "bad.xlsx", bad)
    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_problem_list(path, "bad.xlsx", store, db_url, INSPECTOR)
    texts = [p.render() for p in refused.value.problems]
    assert any("A4" in t or ("第 4 行" in t and "A" in t) for t in texts), texts
    assert any("实名制" in t and "4" in t for t in texts), texts
    assert any("晚于整改时限" in t and "3" in t for t in texts), texts
    assert queries.items(db_url).empty                                        # nothing written
    missing = write_problem_list(tmp_path / "missing.xlsx", [r[:9] for r in PL_ROWS], header=PL_HEADER[:9])
    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_problem_list(missing, "missing.xlsx", store, db_url, INSPECTOR)
    assert "严重程度" in refused.value.problems[0].render()


def test_problem_list_import_writes_items_and_needs_an_inspector(store, tmp_path, db_url):
    path = write_problem_list(tmp_path / "问题清单.xlsx")
    with pytest.raises(Forbidden):
        importing.import_problem_list(path, "问题清单.xlsx", store, db_url, REPORTER)
    codes = importing.import_problem_list(path, "问题清单.xlsx", store, db_url, INSPECTOR, on=D(2021, 4, 6))
    assert codes == ["DC-2021-0001", "DC-2021-0002"]
    frame = queries.items(db_url, on=D(2021, 4, 6))
    assert list(frame["source"]) == ["指标", "指标"] and list(frame["status"]) == ["挂账", "挂账"]


def test_task_list_with_merged_milestone_cells(store, tmp_path):
    found, problems = read_task_list(read_file(write_task_list(tmp_path / "tasks.xlsx")), Catalog(*store.catalog()))
    assert [p.key for p in problems] == ["tl_undated"] and problems[0].row == 7
    first, second = found
    assert (first.title, first.lead_unit, first.cooperating, first.leader, first.number) == (
        "巩固拓展脱贫攻坚成果", "430422", ["D001"], "王五", "1")
    assert [(m.text, m.due) for m in first.milestones] == [("完成监测户排查", D(2021, 3, 31)),
                                                          ("落实帮扶措施", D(2021, 6, 30)), ("年度考核验收", D(2021, 12, 31))]
    assert [(m.text, m.due) for m in second.milestones] == [("完成规划设计", D(2021, 5, 31)), ("长期巡护", None)]


def test_task_list_refused_with_located_errors(store, tmp_path):
    path = write_task_list(tmp_path / "bad.xlsx", [("1", "任务甲", "", "衡东县", "", "", [("节点", "2021年13月1日")])])
    _, problems = read_task_list(read_file(path), Catalog(*store.catalog()))
    errors = {(p.key, p.column, p.row) for p in problems if p.level == "error"}
    assert ("unknown_unit", "D", 3) in errors and ("tl_bad_due", "H", 3) in errors


@pytest.mark.parametrize(("on", "expected"), [(D(2021, 3, 23), "绿"), (D(2021, 3, 24), "黄"), (D(2021, 3, 31), "黄"),
                                              (D(2021, 4, 1), "红")])
def test_task_light_around_a_milestone(on, expected):
    assert tasks.light(False, [(D(2021, 3, 31), False), (D(2021, 6, 30), False)], on, 7) == expected


def test_task_import_report_lights_and_hang_a_missed_milestone(store, tmp_path, db_url):
    path = write_task_list(tmp_path / "tasks.xlsx")
    result = importing.import_task_list(path, "tasks.xlsx", store, db_url, INSPECTOR)
    assert result == {"added": 2, "unchanged": 0, "list_name": "2021年乡村振兴重点任务分解清单"}
    assert importing.import_task_list(path, "tasks.xlsx", store, db_url, INSPECTOR)["unchanged"] == 2
    frame = tasks.tasks(db_url, on=D(2021, 4, 1))
    poverty = frame[frame["title"] == "巩固拓展脱贫攻坚成果"].iloc[0]
    assert (poverty["light"], poverty["missed"], poverty["next_due"]) == ("红", [1], D(2021, 6, 30))
    with pytest.raises(Forbidden):
        tasks.report(db_url, actor("x", "reporter", ["430421"]), int(poverty["id"]), "进展", 40)
    tasks.report(db_url, REPORTER, int(poverty["id"]), "排查完成", 40, milestone_done=1, on=D(2021, 4, 2))
    frame = tasks.tasks(db_url, on=D(2021, 4, 2))
    poverty = frame[frame["title"] == "巩固拓展脱贫攻坚成果"].iloc[0]
    assert (poverty["light"], poverty["percent"], poverty["milestones_done"]) == ("绿", 40, 1)
    farm = frame[frame["title"] == "高标准农田建设"].iloc[0]
    assert farm["light"] == "绿"
    assert tasks.tasks(db_url, on=D(2021, 6, 1)).set_index("title").loc["高标准农田建设", "light"] == "红"
    code = tasks.hang_missed(db_url, INSPECTOR, int(farm["id"]), on=D(2021, 6, 1))
    item = queries.detail(db_url, code)
    assert (item["source"], item["unit_code"], item["leader"]) == ("任务", "430421", "张三")
    assert "完成规划设计" in item["problem"]
    tasks.report(db_url, REPORTER, int(poverty["id"]), "全部完成", 100, task_done=True, on=D(2021, 12, 20))
    assert tasks.tasks(db_url, on=D(2022, 1, 5)).set_index("title").loc["巩固拓展脱贫攻坚成果", "light"] == "已完成"
