"""The events workbook (加扣分事项): ``单位 | 年度 | 类型 | 事项 | 分值 | 依据 | 日期`` (optional ``佐证``,
``备注``; English headers too), recognised by its header as the catalog is by its sheet names.

Every row is checked and every mistake located (file, sheet, row, column) before anything is stored:
one bad row refuses the whole file.  Units are named as in figure sheets (name, alias, code or
``县/乡镇``), through the catalog.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import InvalidOperation

from metrics.assessment.events import ASSESSED_TYPES, Event, check, clean_text, kind_of, points_of
from metrics.catalog import Catalog, LookupFailure
from metrics.messages import Problem, register
from metrics.sheets.common import Findings, cell_text, find_header
from metrics.sheets.workbook import Grid

FIELDS: dict[str, tuple[str, ...]] = {
    "unit": ("单位", "单位名称", "被考核单位", "unit"), "year": ("年度", "考核年度", "year"),
    "kind": ("类型", "事项类型", "加扣分类型", "kind"), "item": ("事项", "加扣分事项", "事项内容", "item"),
    "points": ("分值", "分数", "points"), "basis": ("依据", "文件依据", "依据文件", "basis"),
    "date": ("日期", "发生日期", "文件日期", "date"), "evidence": ("佐证", "佐证材料", "证据", "evidence"),
    "note": ("备注", "note"),
}
REQUIRED = ("unit", "year", "kind", "item", "points", "basis", "date")
HEADERS = {"unit": "单位", "year": "年度", "kind": "类型", "item": "事项", "points": "分值", "basis": "依据",
           "date": "日期", "evidence": "佐证", "note": "备注"}
RECOGNISED = {"unit", "year", "kind", "item"}   # a header naming these is an events sheet
MAX_ROWS = 5000

register({
    "events_invalid": ("{detail}", "{detail}"),
    "events_bad_kind": ("类型“{value}”无效，应为：加分、扣分、一票否决、降档",
                        "kind “{value}” is invalid; expected 加分, 扣分, 一票否决 or 降档"),
    "events_bad_year": ("年度“{value}”无效（应为四位年份，如 2021）", "year “{value}” is invalid (a 4-digit year, e.g. 2021)"),
    "events_bad_date": ("日期“{value}”无效（如 2021-05-10 或 2021年5月10日）",
                        "date “{value}” is invalid (e.g. 2021-05-10 or 2021年5月10日)"),
    "events_bad_points": ("分值“{value}”不是数值", "points “{value}” is not a number"),
    "events_unit_type": ("“{value}”是{type}，不参加年度考核（参加：县市区、乡镇、市直部门、园区）",
                         "“{value}” is a {type}, which the annual assessment does not cover"),
    "events_duplicate": ("同一文件中相同的事项（单位、年度、类型、事项、依据都相同）出现两次，另见{other}",
                         "the same event (unit, year, kind, item and basis) appears twice in this file; see also {other}"),
    "events_too_many": ("事项超过 {limit} 行，请分文件导入", "more than {limit} events; split the file"),
    "events_none": ("没有任何事项行", "no event rows"),
    "events_withdrawn": ("此事项已撤销（编号 {event}），未重新启用；如需恢复请在“考核结果”页面重新录入",
                         "this event was withdrawn (id {event}) and is not restored; enter it again on the 考核结果 page"),
})


def is_events(grids: list[Grid]) -> bool:
    """A workbook with a visible sheet whose header names 单位, 年度, 类型 and 事项."""
    return any(g.visible and find_header(g, FIELDS, RECOGNISED) is not None for g in grids)


def read_events(grids: list[Grid], catalog: Catalog) -> tuple[list[Event], list[Problem]]:
    """Events of every events sheet (``source`` holds sheet and row), and the located problems."""
    events: list[Event] = []
    problems: list[Problem] = []
    first: dict[tuple, tuple[str, int]] = {}
    types = dict(zip(catalog.units["code"], catalog.units["type"], strict=True))
    for grid in grids:
        header = find_header(grid, FIELDS, RECOGNISED) if grid.visible else None
        if header is None:
            continue
        findings = Findings(grid)
        header_row, columns = header
        for name in REQUIRED:
            if name not in columns:
                findings.error("missing_column", header_row, column=HEADERS[name])
        if findings.has_errors:
            problems += findings.problems
            continue
        body = [r for r in range(header_row + 1, grid.n_rows)
                if r not in grid.hidden_rows and any(v is not None and cell_text(v) for v in grid.rows[r])]
        if len(events) + len(body) > MAX_ROWS:
            findings.error("events_too_many", limit=MAX_ROWS)
            problems += findings.problems
            return [], problems
        for r in body:
            event = _row(grid, r, columns, catalog, types, findings)
            if event is None:
                continue
            seen = first.get(event.key)
            if seen is not None:
                findings.error("events_duplicate", r, columns["item"], event.item, "事项", other=_where(seen, grid.sheet))
                continue
            first[event.key] = (grid.sheet, r + 1)
            events.append(event)
        problems += findings.problems
    if not events and not any(p.level == "error" for p in problems):
        problems.append(Problem("error", "events_none", grids[0].file if grids else ""))
    return events, problems


def _where(seen: tuple[str, int], sheet: str) -> tuple[str, str]:
    other_sheet, row = seen
    if other_sheet == sheet:
        return f"第 {row} 行", f"row {row}"
    return f"工作表 {other_sheet} 第 {row} 行", f"sheet {other_sheet}, row {row}"


def _row(grid: Grid, r: int, columns: dict[str, int], catalog: Catalog, types: dict[str, str],
         findings: Findings) -> Event | None:
    """One row as an event, or None with its problems located."""
    cell = lambda name: grid.rows[r][columns[name]] if name in columns else None  # noqa: E731
    errors = len(findings.problems)
    unit = _unit(cell("unit"), catalog, types, findings, r, columns["unit"])
    year = _year(cell("year"))
    if year is None:
        findings.error("events_bad_year", r, columns["year"], cell("year"), "年度")
    kind = kind_of(cell("kind"))
    if kind is None:
        findings.error("events_bad_kind", r, columns["kind"], cell("kind"), "类型")
    try:
        points = points_of(cell("points"))
    except (InvalidOperation, ValueError):
        findings.error("events_bad_points", r, columns["points"], cell("points"), "分值")
        points = None
    date = _date(cell("date"))
    if date is None and cell_text(cell("date")):
        findings.error("events_bad_date", r, columns["date"], cell("date"), "日期")
    if len(findings.problems) > errors:
        return None
    event = Event(unit_code=unit, year=year, kind=kind, item=clean_text(cell("item")), points=points,
                  basis=clean_text(cell("basis")), date=date, evidence=clean_text(cell("evidence")),
                  note=clean_text(cell("note")), source={"sheet": grid.sheet, "row": r + 1})
    for bad in check(event):
        findings.error("events_invalid", r, columns.get(bad.field, columns["item"]), None,
                       HEADERS.get(bad.field), detail=(bad.zh, bad.en))
    return None if len(findings.problems) > errors else event


def _unit(value: object, catalog: Catalog, types: dict[str, str], findings: Findings, r: int, c: int) -> str:
    try:
        code = catalog.resolve_unit(value)
    except LookupFailure as failure:
        findings.error(failure.key, r, c, failure.label, "单位", **failure.params)
        return ""
    unit_type = types.get(code)
    if unit_type not in ASSESSED_TYPES:
        findings.error("events_unit_type", r, c, value, "单位", type=unit_type)
    return code


def _year(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer():
        year = int(value)
    else:
        m = re.fullmatch(r"(\d{4})\s*年?(度)?", cell_text(value) or "")
        if not m:
            return None
        year = int(m[1])
    return year if 2000 <= year <= 2100 else None


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _DATE.fullmatch(cell_text(value) or "")
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
