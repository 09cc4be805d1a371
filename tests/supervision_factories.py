"""Workbooks and actors for the supervision tests: a 问题清单, a 目标任务分解清单 with merged cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from metrics.access import DEFAULT_ROLES, Actor

PL_HEADER = ["单位", "指标", "期间", "问题", "责任单位", "责任领导", "联系人", "整改要求", "整改时限", "严重程度", "协办单位"]
PL_ROWS = [
    ["衡阳县", "地区生产总值", "2021年一季度", "GDP完成率低于序时进度", "衡阳县", "张三（副县长）", "李四 13800000000",
     "1.制定整改方案（2021年4月30日前）\n2.加快重点项目入库", "2021年6月30日", "较重", "市发改委"],
    ["衡南县", "固投", "2021-03", "固定资产投资连续两月红灯", "衡南县", "王五（县长）", "赵六", "加快项目开工；完成入库", "6月底",
     "一般", ""],
]
TL_HEADER = ["序号", "重点任务", "类别", "牵头单位", "配合单位", "责任领导", "节点目标", "完成时限"]


def actor(name: str, role: str, units=()) -> Actor:
    _zh, _en, perms, scoped = DEFAULT_ROLES[role]
    return Actor(name=name, role=role, permissions=frozenset(perms), units=frozenset(units), unit_scoped=scoped)


def write_problem_list(path: Path, rows: list[list] | None = None, header: list[str] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append(["2021年一季度绩效督查问题清单"])
    ws.append(header or PL_HEADER)
    for row in PL_ROWS if rows is None else rows:
        ws.append(row)
    wb.save(path)
    return path


def write_task_list(path: Path, tasks: list[tuple] | None = None, title: str = "2021年乡村振兴重点任务分解清单") -> Path:
    """tasks: (序号, 任务, 类别, 牵头, 配合, 领导, [(节点目标, 时限), ...]); the task's cells are merged down."""
    tasks = tasks if tasks is not None else [
        ("1", "巩固拓展脱贫攻坚成果", "防返贫", "衡南县", "市发改委", "王五", [("完成监测户排查", "3月底"),
                                                                 ("落实帮扶措施", dt.date(2021, 6, 30)),
                                                                 ("年度考核验收", "年底")]),
        ("2", "高标准农田建设", "农业", "衡阳县", "", "张三", [("完成规划设计", "2021年5月31日"), ("长期巡护", "长期坚持")]),
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务清单"
    ws.append([title])
    ws.append(TL_HEADER)
    r = 3
    for number, name, cat, lead, coop, leader, milestones in tasks:
        for k, (text, due) in enumerate(milestones):
            ws.append([number if k == 0 else None, name if k == 0 else None, cat if k == 0 else None,
                       lead if k == 0 else None, coop if k == 0 else None, leader if k == 0 else None, text, due])
        if len(milestones) > 1:
            for col in "ABCDEF":
                ws.merge_cells(f"{col}{r}:{col}{r + len(milestones) - 1}")
        r += len(milestones)
    wb.save(path)
    return path
