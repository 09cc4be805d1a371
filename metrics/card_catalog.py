"""A catalog draft from a statistics bureau card: a new city is set up by reviewing a workbook, not by
typing one.

From every county table of the card (a card layout whose label column is headed 地区, or that has a
全市 row): the units from the row labels (a short name and its long form become one unit, the short
one an alias), and one amount indicator (when the table has a 绝对额 column; measure from its
header, 万元 → 亿元, 万美元 → 亿美元) and one growth indicator (title + 增速, %) per table.

What a card cannot tell is left for review and listed on the draft's 说明 sheet: unit codes
(placeholders U01 …), full names of units only ever written short (双清 → 双清区), groups, weights,
directions, frequencies, lead departments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.styles import Font, PatternFill

from metrics.export import strings_as_text
from metrics.measures import normalize_measure
from metrics.sheets import card
from metrics.sheets.common import is_total_label
from metrics.sheets.isolate import read_file_isolated
from metrics.sheets.wide import UNIT_HEADERS
from metrics.sheets.workbook import Grid
from metrics.text import match_key

UNIT_HEADER = ["编码", "名称", "类型", "分组", "上级", "别名"]
INDICATOR_HEADER = ["编码", "名称", "类别", "计量单位", "类型", "方向", "权重", "计分方式", "频次", "牵头单位",
                    "适用类型", "别名", "容差", "可加", "来源工作表"]
PARK_SUFFIXES = ("开发区", "经开区", "高新区", "园区", "工业园", "产业园", "新区")
UNIT_SUFFIXES = ("区", "县", "市", "旗")
NOT_ADDITIVE = ("人均", "平均", "率", "指数", "价格")
CATEGORY = "经济运行"


@dataclass
class DraftUnit:
    name: str
    aliases: list[str] = field(default_factory=list)
    type: str = "县市区"


@dataclass
class DraftIndicator:
    code: str
    name: str
    measure: str
    kind: str                     # 总量 | 比率
    applies: list[str]
    sheet: str
    additive: str = ""


@dataclass
class Draft:
    units: list[DraftUnit]
    indicators: list[DraftIndicator]
    tables: list[str]             # the county tables read
    skipped: list[tuple[str, str]]  # (sheet, why it is not a county table)


def catalog_measure(header_measure: str | None) -> str:
    """The measure a city's catalog keeps: 万元 → 亿元, 万美元 → 亿美元; others as written."""
    if not header_measure:
        return ""
    measure = normalize_measure(header_measure)
    for base in ("美元", "元"):
        if measure == f"万{base}":
            return f"亿{base}"
    return measure


def is_county_table(grid: Grid, layout: card.CardLayout) -> bool:
    """Without a catalog: the label column is headed 地区/县市区, or the table has a 全市-like row."""
    if match_key(layout.label_header) in UNIT_HEADERS:
        return True
    return any(match_key(label) in ("全市", "全县", "全区") for _, label in card.data_rows(grid, layout))


def unit_type(name: str) -> str:
    return "园区" if name.endswith(PARK_SUFFIXES) else "县市区"


def draft_from_grids(grids: list[Grid]) -> Draft:
    """Units and indicators of every visible county table, in the card's order."""
    labels: list[str] = []
    indicators: list[DraftIndicator] = []
    tables: list[str] = []
    skipped: list[tuple[str, str]] = []
    by_name: dict[str, DraftIndicator] = {}
    table_units: list[tuple[list[str], list[DraftIndicator]]] = []
    for grid in grids:
        if not grid.visible:
            skipped.append((grid.sheet, "隐藏工作表"))
            continue
        layout = card.find_card(grid)
        if layout is None:
            skipped.append((grid.sheet, "目录页" if card.is_contents(grid) else "不是按单位排列的表格"))
            continue
        if not is_county_table(grid, layout):
            skipped.append((grid.sheet, "全市分项表（行不是单位）"))
            continue
        rows = [label for _, label in card.data_rows(grid, layout) if not is_total_label(label)]
        tables.append(grid.sheet)
        made: list[DraftIndicator] = []
        n = len({i.code.removesuffix("ZS") for i in indicators}) + 1
        amounts = layout.role_columns("actual")
        if amounts and layout.title not in by_name:
            measure = catalog_measure(amounts[0].measure or layout.title_measure)
            additive = "否" if any(w in layout.title for w in NOT_ADDITIVE) else "是"
            made.append(DraftIndicator(f"ZB{n:02d}", layout.title, measure, "总量", [], grid.sheet, additive))
        growth_name = f"{layout.title}增速"
        if layout.role_columns("growth") and growth_name not in by_name:
            made.append(DraftIndicator(f"ZB{n:02d}ZS", growth_name, "%", "比率", [], grid.sheet))
        for ind in made:
            by_name[ind.name] = ind
            indicators.append(ind)
        own = [by_name[n] for n in (layout.title, growth_name) if n in by_name]
        table_units.append((rows, own))
        for label in rows:
            if label not in labels:
                labels.append(label)
    units = merge_units(labels)
    type_of = {key: u.type for u in units for key in (match_key(u.name), *map(match_key, u.aliases))}
    for rows, own in table_units:
        types = {type_of[match_key(label)] for label in rows}
        for ind in own:
            ind.applies = sorted(set(ind.applies) | types, key=["县市区", "园区"].index)
    return Draft(units, indicators, tables, skipped)


def merge_units(labels: list[str]) -> list[DraftUnit]:
    """双清 and 双清区, 城步 and 城步县: one unit named by the longest form, the others its aliases."""
    longer: dict[str, list[str]] = {}
    for short in labels:
        forms = [m for m in labels if m != short and m.startswith(short)
                 and m[len(short):].endswith(UNIT_SUFFIXES) and len(m) - len(short) <= 5]
        if len(forms) == 1:
            longer[short] = forms
    units: list[DraftUnit] = []
    seen: dict[str, DraftUnit] = {}
    for label in labels:
        if label in longer:
            name = longer[label][0]
            while name in longer:              # 城步 -> 城步县 -> 城步苗族自治县
                name = longer[name][0]
        else:
            name = label
        unit = seen.get(name)
        if unit is None:
            unit = seen[name] = DraftUnit(name, type=unit_type(name))
            units.append(unit)
        if label != name and label not in unit.aliases:
            unit.aliases.append(label)
    return units


def write_draft(draft: Draft, path: Path, source: str) -> Path:
    """The draft in the catalog format (sheets 单位, 指标), plus 说明: what to review before importing."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(UNIT_HEADER)
    for i, unit in enumerate(draft.units, start=1):
        ws.append([f"U{i:02d}", unit.name, unit.type, "", "", "、".join(unit.aliases)])
    ws = wb.create_sheet("指标")
    ws.append(INDICATOR_HEADER)
    for ind in draft.indicators:
        ws.append([ind.code, ind.name, CATEGORY, ind.measure, ind.kind, "正向", 1,
                   "完成率" if ind.kind == "总量" else "排名", "月度", "", "、".join(ind.applies), "", "",
                   ind.additive, ind.sheet])
    ws = wb.create_sheet("说明")
    notes = [
        f"本目录草稿由 {source} 自动生成，请核对后再导入（python -m metrics import 本文件）。",
        "单位：编码 U01… 是占位符，请改为行政区划代码；只出现简称的单位（如“双清”）请补全名称（双清区），简称留作别名；"
        "按需填写分组（如 城区/县市）。",
        "指标：编码 ZB… 是占位符；计量单位取自表头（万元、万美元按亿元、亿美元保存，导入时自动换算）；"
        "请核对方向（逆向指标改为“逆向”）、权重、频次（GDP、居民收入等为季度）、牵头单位、可加。",
        "“来源工作表”一列仅供核对，导入时忽略。",
        f"读取的分县市区表格：{'、'.join(draft.tables) or '无'}",
    ]
    notes += [f"未读取：{sheet}（{why}）" for sheet, why in draft.skipped]
    for line in notes:
        ws.append([line])
    for sheet in (wb["单位"], wb["指标"]):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        sheet.freeze_panes = "A2"
        for col in sheet.columns:
            width = max(len(str(c.value or "")) for c in col)
            sheet.column_dimensions[col[0].column_letter].width = min(40, 4 + 2 * width)
    wb["说明"].column_dimensions["A"].width = 120
    for sheet in wb.worksheets:  # names come from the card: never a formula in the draft
        strings_as_text(sheet)
    wb.save(path)
    return path


def default_out(card_path: Path) -> Path:
    return card_path.with_name(f"{card_path.stem}_目录草稿.xlsx")


def draft_catalog(card_path: Path | str, out: Path | str | None = None) -> tuple[Path, Draft]:
    """Read a card and write its catalog draft; returns the draft's path and contents."""
    card_path = Path(card_path)
    draft = draft_from_grids(read_file_isolated(card_path))
    target = Path(out) if out else default_out(card_path)
    return write_draft(draft, target, card_path.name), draft
