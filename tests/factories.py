"""Small hand-made workbooks for importer tests: a catalog, long templates, wide reports."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

UNIT_HEADER = ["编码", "名称", "类型", "分组", "上级", "别名"]
UNITS = [
    ["430405", "珠晖区", "县市区", "城区", "", "珠晖"],
    ["430406", "雁峰区", "县市区", "城区", "", "雁峰"],
    ["430421", "衡阳县", "县市区", "县市", "", ""],
    ["430422", "衡南县", "县市区", "县市", "", "衡南"],
    ["430423", "衡山县", "县市区", "县市", "", "衡山"],
    ["430421101", "白沙镇", "乡镇", "衡阳县乡镇", "衡阳县", ""],
    ["430422101", "白沙镇", "乡镇", "衡南县乡镇", "430422", ""],
    ["430422102", "三塘镇", "乡镇", "衡南县乡镇", "衡南县", ""],
    ["D001", "市发展改革委", "市直部门", "经济发展部门", "", "市发改委"],
    ["P01", "衡阳高新区", "园区", "", "", "高新区"],
    ["430400", "衡阳市", "市州", "全省", "", ""],
    ["430100", "长沙市", "市州", "全省", "", ""],
]
INDICATOR_HEADER = ["编码", "名称", "类别", "计量单位", "类型", "方向", "权重", "计分方式", "频次", "牵头单位", "适用类型",
                    "别名", "容差", "可加"]
INDICATORS = [
    ["GDP", "地区生产总值", "经济发展", "亿元", "总量", "正向", 10, "", "季度", "市统计局", "县市区", "GDP、生产总值", "", ""],
    ["GDPZS", "地区生产总值增速", "经济发展", "%", "比率", "正向", 5, "排名", "季度", "市统计局", "县市区、市州", "GDP增速", "", ""],
    ["GDZC", "固定资产投资", "经济发展", "亿元", "总量", "正向", 8, "", "月度", "市发展改革委", "县市区", "固投", "", ""],
    ["SWRS", "安全生产事故死亡人数", "安全稳定", "人", "总量", "逆向", 3, "", "季度", "市应急局", "县市区", "", "", "是"],
    ["PM25", "PM2.5平均浓度", "生态环保", "μg/m³", "比率", "逆向", 3, "", "季度", "市生态环境局", "县市区", "", "", ""],
    ["FFP", "防返贫监测户帮扶率", "乡村振兴", "%", "比率", "正向", 4, "", "旬", "市乡村振兴局", "乡镇", "", "", ""],
    ["XMTZ", "重点项目完成投资", "经济发展", "亿元", "总量", "正向", 5, "完成率", "季度", "市发展改革委", "市直部门、园区", "", "", ""],
]
LONG_HEADER = ["期间", "单位", "指标", "目标值", "节点目标", "完成值", "备注"]


def write_catalog(path: Path, units: list[list] | None = None, indicators: list[list] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(UNIT_HEADER)
    for row in units if units is not None else UNITS:
        ws.append(row)
    ws = wb.create_sheet("指标")
    ws.append(INDICATOR_HEADER)
    for row in indicators if indicators is not None else INDICATORS:
        ws.append(row)
    wb.save(path)
    return path


def write_xlsx(path: Path, rows: list[list], header: list[str] | None = LONG_HEADER, sheet: str = "Sheet1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if header:
        ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8", header: list[str] | None = LONG_HEADER) -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        if header:
            writer.writerow(header)
        writer.writerows(rows)
    return path


def write_wide(path: Path, period_title: str = "2021年1-9月各县市区主要指标完成情况", rows: list[list] | None = None,
               header_top: list | None = None, header_sub: list | None = None, merges: list[str] | None = None,
               footnote: str = "注：数据为合成测试数据。") -> Path:
    """A wide report: title, note row, two-row header, units, 全市 row, footnote."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "经济发展"
    ws.append([period_title])
    ws.append(["（单位：亿元、%）"])
    ws.append(header_top or ["序号", "县市区", "地区生产总值（亿元）", None, None, None, "地区生产总值增速（%）"])
    ws.append(header_sub or [None, None, "目标", "完成", "完成率", "排名", None])
    for m in merges if merges is not None else ["A1:G1", "A3:A4", "B3:B4", "C3:F3", "G3:G4"]:
        ws.merge_cells(m)
    for row in rows if rows is not None else [
        [1, "衡阳县", 400, 310, "77.5%", 2, 7.5],
        [2, "衡南县", 380, 300, "78.9%", 1, 8.1],
        [3, "衡山县", 200, 140, "70.0%", 3, 6.0],
        [None, "全市", 980, 750, "76.5%", None, 7.2],
    ]:
        ws.append(row)
    ws.append([footnote])
    wb.save(path)
    return path
