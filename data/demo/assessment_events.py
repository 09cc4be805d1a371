"""Seeded generator of the demo's 2021 加扣分事项 workbook (合成演示数据 — synthetic demonstration data).

The events are invented: commendations, criticisms, accidents and document numbers that never
existed, attached to real unit names of 衡阳市 so that the 考核结果 page looks familiar.  Called by
``generate.py`` (``python data/demo/generate.py`` writes ``data/demo/events/2021_加扣分事项.xlsx``);
imported into the database beside the store by ``scripts/start.sh``.

A few events are planted so that every rule shows on the demo (tests assert them): bonus points over
the cap (耒阳市), a 降档 on the best 城区 district (蒸湘区), a 一票否决 for a town and for a department,
deductions that push a department below 60, and 衡东县 with one bonus (its what-if is on the page).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

SEED = 2021_12
YEAR = 2021
FILE = f"{YEAR}_加扣分事项.xlsx"
HEAD = ["单位", "年度", "类型", "事项", "分值", "依据", "日期", "佐证", "备注"]
TITLE = f"{YEAR}年度绩效考核加扣分事项（合成演示数据）"

# unit label (as a clerk writes it), kind, item, points, basis, date
PLANTED = [
    ("耒阳市", "加分", "获评全省营商环境评价优秀县市区", 3, "湘政办函〔2021〕58号", "2021-06-18"),
    ("耒阳", "加分", "县域经济高质量发展经验获省委改革办推介", 2, "湘改办〔2021〕12号", "2021-09-03"),
    ("耒阳市", "加分", "获国务院督查激励（稳增长成效明显）", 2, "国办发〔2021〕49号", "2021-11-20"),
    ("蒸湘区", "降档", "党风廉政建设责任制落实不到位被市纪委通报", None, "衡纪通〔2021〕7号", "2021-10-12"),
    ("衡南县/松江镇", "一票否决", "发生较大生产安全责任事故（死亡 3 人）", None, "衡安委〔2021〕21号", "2021-08-27"),
    ("市住建局", "一票否决", "重大项目审批环节严重违规，造成重大负面影响", None, "衡督查〔2021〕31号", "2021-12-06"),
    ("市信访局", "扣分", "信访积案化解不力被省联席办通报", 3, "湘信联通〔2021〕9号", "2021-07-15"),
    ("市信访局", "扣分", "重点信访事项办理超期", 2, "衡督查〔2021〕18号", "2021-05-21"),
    ("衡东县", "加分", "农村人居环境整治获省级表彰", 1, "湘农发〔2021〕77号", "2021-12-10"),
    ("衡阳高新区", "加分", "获评国家级绿色园区", 2, "工信厅节函〔2021〕190号", "2021-10-28"),
    ("衡山县", "扣分", "环保督察反馈问题整改滞后被省通报", 2, "湘环督办〔2021〕14号", "2021-09-17"),
]

WHAT = {  # unit type -> lines of work an event may concern
    "县市区": ("安全生产", "招商引资", "乡村振兴", "优化营商环境", "河长制", "创建文明城市"),
    "乡镇": ("乡村振兴", "农村改厕", "基层治理", "防汛抗旱", "森林防火", "人居环境整治"),
    "市直部门": ("政务公开", "优化营商环境", "“放管服”改革", "信访", "12345热线办理", "重点项目建设"),
    "园区": ("园区建设", "招商引资", "重点项目建设", "安全生产"),
}
BONUS_ITEMS = ("获评全省{what}先进单位", "{what}工作经验在全省推介", "{what}工作获市委市政府通报表扬")
DEDUCTION_ITEMS = ("{what}工作被市督查室通报", "{what}工作推进滞后被省级通报", "{what}考核排名末位")
BASES = ("衡督查〔2021〕{n}号", "衡办通〔2021〕{n}号", "衡政办函〔2021〕{n}号", "衡安委〔2021〕{n}号")


def rows(units: pd.DataFrame, n_random: int = 30) -> list[list]:
    """The workbook's rows (planted first, then seeded random events), as written: label, 年度, 类型 …"""
    rng = np.random.default_rng(SEED)
    out = [[label, YEAR, kind, item, points, basis, dt.date.fromisoformat(day), "", ""]
           for label, kind, item, points, basis, day in PLANTED]
    planted_units = {label for label, *_ in PLANTED}
    pool = units[units["type"].isin(["县市区", "乡镇", "市直部门", "园区"])]
    names = pool["name"]
    shared = set(names[names.duplicated(keep=False)])
    county = dict(zip(units["code"], units["name"], strict=True))
    seen: set[tuple] = set()
    while len(out) < len(PLANTED) + n_random:
        u = pool.iloc[int(rng.integers(len(pool)))]
        label = f"{county[u['parent']]}/{u['name']}" if u["name"] in shared else u["name"]
        if label in planted_units:
            continue
        bonus = rng.random() < 0.6
        template = (BONUS_ITEMS if bonus else DEDUCTION_ITEMS)[int(rng.integers(3))]
        choices = WHAT[u["type"]]
        item = template.format(what=choices[int(rng.integers(len(choices)))])
        points = float(rng.choice([0.5, 1, 1, 1.5, 2])) if bonus else float(rng.choice([0.5, 1, 1, 2]))
        basis = BASES[int(rng.integers(len(BASES)))].format(n=int(rng.integers(2, 90)))
        day = dt.date(YEAR, 1, 1) + dt.timedelta(days=int(rng.integers(10, 360)))
        if (label, item) in seen:
            continue
        seen.add((label, item))
        evidence = "会议纪要及通报原件（扫描件）" if rng.random() < 0.3 else ""
        out.append([label, YEAR, "加分" if bonus else "扣分", item, points, basis, day, evidence, ""])
    return out


def workbook(units: pd.DataFrame):
    """The events workbook: a title row, the header, the events (dates as Excel dates), a 说明 sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "加扣分事项"
    ws.append([TITLE])
    ws.append(HEAD)
    for row in rows(units):
        ws.append([int(v) if isinstance(v, float) and v.is_integer() else v for v in row])
        ws.cell(ws.max_row, 7).number_format = "yyyy-mm-dd"
    for col, width in zip("ABCDEFGHI", (16, 6, 8, 40, 6, 24, 12, 24, 10), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    notes = wb.create_sheet("说明")
    notes["A1"] = "说明"
    notes["A2"] = ("本工作簿为合成演示数据（synthetic demonstration data），由 data/demo/assessment_events.py 以固定"
                   "随机种子生成；事项、文号均为虚构，不是真实的表彰或通报，不得引用。")
    notes["A3"] = "类型：加分、扣分、一票否决、降档；分值为正数（扣分也写正数），一票否决和降档不设分值。"
    notes.column_dimensions["A"].width = 110
    return wb
