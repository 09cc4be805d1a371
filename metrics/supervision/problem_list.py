"""The 问题清单 workbook (bulk 挂账): one row per item,
``单位 | 指标 | 期间 | 问题 | 责任单位 | 责任领导 | 联系人 | 整改要求 | 整改时限 | 严重程度`` (optional ``协办单位``,
several units separated by ``、``).  Every row is checked and every mistake located (file, sheet, row,
column) before anything is written; one bad row refuses the whole file."""

from __future__ import annotations

from metrics import periods as per
from metrics.catalog import Catalog, LookupFailure
from metrics.messages import Problem, register
from metrics.sheets.common import Findings, cell_text, find_header
from metrics.sheets.workbook import Grid
from metrics.supervision.ledger import ItemInput, check_input
from metrics.supervision.sheetdates import parse_deadline, plain, split_requirement, split_requirements
from metrics.supervision.states import SEVERITIES

FIELDS: dict[str, tuple[str, ...]] = {
    "unit": ("单位", "单位名称", "被督查单位"), "indicator": ("指标", "指标名称"), "period": ("期间", "发现期间", "时间"),
    "problem": ("问题", "存在问题", "问题描述"), "responsible": ("责任单位",), "leader": ("责任领导", "责任人"),
    "contact": ("联系人",), "requirements": ("整改要求", "整改措施"), "deadline": ("整改时限", "完成时限"),
    "severity": ("严重程度", "等级"), "cooperating": ("协办单位", "配合单位"),
}
REQUIRED = ("unit", "indicator", "period", "problem", "responsible", "leader", "contact", "requirements",
            "deadline", "severity")
HEADERS = {"unit": "单位", "indicator": "指标", "period": "期间", "problem": "问题", "responsible": "责任单位",
           "leader": "责任领导", "contact": "联系人", "requirements": "整改要求", "deadline": "整改时限",
           "severity": "严重程度", "cooperating": "协办单位"}
RECOGNISED = {"unit", "problem", "responsible", "leader"}
MAX_ROWS = 5000

register({
    "pl_invalid": ("{detail}", "{detail}"),
    "pl_bad_period": ("期间“{value}”无法识别（如 2021-03、2021年一季度）", "period “{value}” is not recognised"),
    "pl_bad_deadline": ("整改时限“{value}”无效（如 2021-06-30、2021年6月30日、6月底）",
                        "deadline “{value}” is invalid (e.g. 2021-06-30, 2021年6月30日, 6月底)"),
    "pl_bad_severity": ("严重程度“{value}”无效，应为：" + "、".join(SEVERITIES),
                        "severity “{value}” is invalid; expected 一般, 较重 or 严重"),
    "pl_none": ("没有任何问题行（表头须含 单位、问题、责任单位、责任领导）",
                "no problem rows (the header must name 单位, 问题, 责任单位 and 责任领导)"),
    "pl_too_many": ("问题超过 {limit} 行，请分文件导入", "more than {limit} problems; split the file"),
})


def read_problem_list(grids: list[Grid], catalog: Catalog) -> tuple[list[ItemInput], list[Problem]]:
    """Items of every 问题清单 sheet, and the located problems (errors refuse the file)."""
    items: list[ItemInput] = []
    problems: list[Problem] = []
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
        if len(items) + len(body) > MAX_ROWS:
            findings.error("pl_too_many", limit=MAX_ROWS)
            return [], problems + findings.problems
        for r in body:
            item = _row(grid, r, columns, catalog, findings)
            if item is not None:
                items.append(item)
        problems += findings.problems
    if not items and not any(p.level == "error" for p in problems):
        problems.append(Problem("error", "pl_none", grids[0].file if grids else ""))
    return items, problems


def _row(grid: Grid, r: int, columns: dict[str, int], catalog: Catalog, findings: Findings) -> ItemInput | None:
    def cell(name: str) -> object:
        return grid.cell(r, columns[name]) if name in columns else None

    def text(name: str) -> str:
        return plain(cell(name))

    errors = len(findings.problems)
    unit = _unit(cell("unit"), catalog, findings, r, columns["unit"], "单位")
    responsible = _unit(cell("responsible"), catalog, findings, r, columns["responsible"], "责任单位")
    cooperating = []
    for part in (text("cooperating").replace(",", "、").replace("，", "、").split("、") if text("cooperating") else []):
        if part.strip():
            cooperating.append(_unit(part.strip(), catalog, findings, r, columns["cooperating"], "协办单位"))
    indicator = None
    if text("indicator"):
        try:
            indicator = catalog.resolve_indicator(cell("indicator"))
        except LookupFailure as failure:
            findings.error(failure.key, r, columns["indicator"], failure.label, "指标", **failure.params)
    period = None
    if text("period"):
        try:
            period = per.parse_period(cell("period"))
        except Exception:  # noqa: BLE001 - any unreadable period is the same located error
            findings.error("pl_bad_period", r, columns["period"], cell("period"), "期间")
    year = per.year_of(period) if period else None
    try:
        deadline = parse_deadline(cell("deadline"), year)
    except ValueError:
        deadline = None
    if deadline is None:
        findings.error("pl_bad_deadline", r, columns["deadline"], cell("deadline"), "整改时限")
    severity = text("severity") or "一般"
    if severity not in SEVERITIES:
        findings.error("pl_bad_severity", r, columns["severity"], cell("severity"), "严重程度")
    requirements = []
    for part in split_requirements(cell("requirements")):
        try:
            requirements.append(split_requirement(part, year or (deadline.year if deadline else None)))
        except ValueError:
            findings.error("pl_bad_deadline", r, columns["requirements"], part, "整改要求")
    if len(findings.problems) > errors:
        for name, zh, en in (("leader", "须填写责任领导姓名（实名制）", "the responsible leader's name is required"),
                             ("problem", "须写明问题（点穴式）", "the problem must be stated")):
            if not text(name):
                findings.error("pl_invalid", r, columns[name], None, HEADERS[name], detail=(zh, en))
        return None
    item = ItemInput(source="指标" if indicator else "督查", unit_code=unit, indicator_code=indicator, period=period,
                     problem=text("problem"), responsible_unit=responsible, cooperating=cooperating,
                     leader=text("leader"), contact=text("contact"), requirements=requirements, deadline=deadline,
                     severity=severity, source_file=grid.file, source_row=r + 1)
    column_of = {"problem": "problem", "leader": "leader", "requirements": "requirements", "severity": "severity",
                 "unit": "unit", "responsible_unit": "responsible", "source": "problem"}
    for field_name, zh, en in check_input(item):
        col = columns[column_of.get(field_name, "problem")]
        findings.error("pl_invalid", r, col, None, HEADERS[column_of.get(field_name, "problem")], detail=(zh, en))
    return None if len(findings.problems) > errors else item


def _unit(value: object, catalog: Catalog, findings: Findings, r: int, c: int, header: str) -> str:
    try:
        return catalog.resolve_unit(value)
    except LookupFailure as failure:
        findings.error(failure.key, r, c, failure.label, header, **failure.params)
        return ""
