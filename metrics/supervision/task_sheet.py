"""The 目标任务分解清单 workbook: ``序号 | 重点任务 | 类别 | 牵头单位 | 配合单位 | 责任领导 | 节点目标 |
完成时限`` on one sheet or several.  A task's milestones are the rows under it whose 重点任务 cell is
merged with the task's (or blank), each with its own 节点目标 and date.  Every row with 节点目标 text
is a milestone; undated text (``长期坚持``) is kept with a warning.  Errors are located and refuse the
whole file."""

from __future__ import annotations

import re

from metrics.catalog import Catalog, LookupFailure
from metrics.messages import Problem, register
from metrics.sheets.common import Findings, cell_text, find_header
from metrics.sheets.workbook import Grid
from metrics.supervision.sheetdates import parse_deadline, plain
from metrics.supervision.tasks import MilestoneInput, TaskInput

FIELDS: dict[str, tuple[str, ...]] = {
    "number": ("序号",), "title": ("重点任务", "任务", "工作任务", "任务名称"), "category": ("类别", "分类"),
    "lead": ("牵头单位", "责任单位"), "cooperating": ("配合单位", "协办单位"), "leader": ("责任领导", "牵头领导"),
    "milestone": ("节点目标", "阶段目标", "节点任务"), "due": ("完成时限", "时间节点", "时限"),
}
REQUIRED = ("title", "lead", "milestone", "due")
HEADERS = {"number": "序号", "title": "重点任务", "category": "类别", "lead": "牵头单位", "cooperating": "配合单位",
           "leader": "责任领导", "milestone": "节点目标", "due": "完成时限"}
MAX_ROWS = 5000

register({
    "tl_bad_due": ("完成时限“{value}”无效（如 2021-06-30、2021年6月30日、6月底、年底）",
                   "deadline “{value}” is invalid (e.g. 2021-06-30, 6月底, 年底)"),
    "tl_undated": ("节点目标没有可识别的日期（“{value}”），保留为无时限节点", "milestone without a date (“{value}”): kept undated"),
    "tl_orphan": ("此行有节点目标但上方没有重点任务", "a milestone row without a task above it"),
    "tl_no_milestone": ("重点任务“{value}”没有任何节点目标", "task “{value}” has no milestone"),
    "tl_duplicate": ("重点任务“{value}”在本文件中出现两次", "task “{value}” appears twice in this file"),
    "tl_none": ("没有任何任务行（表头须含 重点任务、牵头单位、节点目标、完成时限）",
                "no task rows (the header must name 重点任务, 牵头单位, 节点目标 and 完成时限)"),
    "tl_too_many": ("超过 {limit} 行，请分文件导入", "more than {limit} rows; split the file"),
})

_YEAR = re.compile(r"(20\d{2})\s*年")


def list_year(grids: list[Grid], file_name: str) -> int | None:
    """The year the list is for: in its title rows or its file name (for ``6月底``)."""
    for grid in grids:
        for row in grid.head(5):
            for v in row:
                m = _YEAR.search(cell_text(v) or "")
                if m:
                    return int(m[1])
    m = re.search(r"(20\d{2})", file_name)
    return int(m[1]) if m else None


def read_task_list(grids: list[Grid], catalog: Catalog, year: int | None = None) -> tuple[list[TaskInput], list[Problem]]:
    tasks: list[TaskInput] = []
    problems: list[Problem] = []
    year = year or list_year(grids, grids[0].file if grids else "")
    seen: set[str] = set()
    for grid in grids:
        header = find_header(grid, FIELDS, {"title", "lead", "milestone"}) if grid.visible else None
        if header is None:
            continue
        findings = Findings(grid)
        header_row, cols = header
        for name in REQUIRED:
            if name not in cols:
                findings.error("missing_column", header_row, column=HEADERS[name])
        if findings.has_errors:
            problems += findings.problems
            continue
        if grid.n_rows - header_row > MAX_ROWS:
            findings.error("tl_too_many", limit=MAX_ROWS)
            problems += findings.problems
            continue
        origin = {}
        for r0, c0, r1, c1 in grid.merged:
            if c0 <= cols["title"] <= c1:
                for r in range(r0, r1 + 1):
                    origin[r] = r0
        current: TaskInput | None = None
        current_start = -1
        for r in range(header_row + 1, grid.n_rows):
            if r in grid.hidden_rows or not any(v is not None and cell_text(v) for v in grid.rows[r]):
                continue
            start = origin.get(r, r)
            raw_title = plain(grid.rows[r][cols["title"]]) if start == r else None
            if raw_title and start != current_start:
                if current is not None and not current.milestones:
                    findings.error("tl_no_milestone", current.source_row - 1, cols["title"], current.title, "重点任务")
                current = _task(grid, r, cols, catalog, findings, raw_title)
                current_start = r
                if current.title in seen:
                    findings.error("tl_duplicate", r, cols["title"], current.title, "重点任务")
                seen.add(current.title)
                tasks.append(current)
            text = plain(grid.rows[r][cols["milestone"]])
            if not text:
                continue
            if current is None:
                findings.error("tl_orphan", r, cols["milestone"], text, "节点目标")
                continue
            due_cell = grid.rows[r][cols["due"]]
            try:
                due = parse_deadline(due_cell, year)
            except ValueError:
                findings.error("tl_bad_due", r, cols["due"], due_cell, "完成时限")
                continue
            if due is None:
                if cell_text(due_cell) and re.search(r"\d", cell_text(due_cell) or ""):
                    findings.error("tl_bad_due", r, cols["due"], due_cell, "完成时限")
                    continue
                findings.warning("tl_undated", r, cols["due"], cell_text(due_cell) or text, "完成时限")
            current.milestones.append(MilestoneInput(text=text, due=due, due_text=cell_text(due_cell) or ""))
        if current is not None and not current.milestones:
            findings.error("tl_no_milestone", current.source_row - 1, cols["title"], current.title, "重点任务")
        problems += findings.problems
    if not tasks and not any(p.level == "error" for p in problems):
        problems.append(Problem("error", "tl_none", grids[0].file if grids else ""))
    return tasks, problems


def _task(grid: Grid, r: int, cols: dict[str, int], catalog: Catalog, findings: Findings, title: str) -> TaskInput:
    def text(name: str) -> str:
        return plain(grid.cell(r, cols[name])) if name in cols else ""

    lead = _unit(text("lead"), catalog, findings, r, cols["lead"], "牵头单位")
    cooperating = [_unit(p.strip(), catalog, findings, r, cols["cooperating"], "配合单位")
                   for p in re.split(r"[、，,；;]", text("cooperating")) if p.strip()]
    return TaskInput(title=title, lead_unit=lead, number=text("number"), category=text("category"),
                     cooperating=cooperating, leader=text("leader"), source_sheet=grid.sheet, source_row=r + 1)


def _unit(value: str, catalog: Catalog, findings: Findings, r: int, c: int, header: str) -> str:
    try:
        return catalog.resolve_unit(value)
    except LookupFailure as failure:
        findings.error(failure.key, r, c, failure.label, header, **failure.params)
        return ""
