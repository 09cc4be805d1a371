"""Where a report table's period is written: its title (nearest above the header), the sheet's name
(``1-9月``, ``1-3月 ``), a year in the title or the workbook, or ``--period``; a title and a sheet name
that disagree refuse the file, naming both."""

from __future__ import annotations

import re

from metrics import periods
from metrics.sheets.common import Findings
from metrics.sheets.grid import Grid
from metrics.text import normalize_label

PERIOD_IN_TEXT = re.compile(
    r"(\d{4}\s*年)?\s*(第?[一二三四1-4]\s*季度|前[一二三四1-4]个?季度|上半年|下半年|全年|"
    r"\d{1,2}\s*[-—–~～至到]\s*\d{1,2}\s*月|\d{1,2}\s*月\s*[上中下]旬|第\s*\d{1,2}\s*周|\d{1,2}\s*月\s*[末底]?)"
    r"|\d{4}\s*[-]?\s*Q[1-4]|\d{4}-\d{2}(?:-D[1-3])?", re.I)

def find_period_text(text: object) -> str | None:
    """The first part of a title that reads as a period ("2021年1-9月各县市区…" -> "2021年1-9月")."""
    if text is None:
        return None
    raw = normalize_label(text)
    for m in PERIOD_IN_TEXT.finditer(raw):
        try:
            periods.parse_period(m.group(0), default_year=2000)
            return m.group(0)
        except periods.PeriodError as err:
            if "年初至今" in err.reason_zh:
                return m.group(0)
    return None


def period_cell(grid: Grid, header_row: int, top: int = 0) -> tuple[object | None, tuple[int, int] | None]:
    """The cell naming the table's period: the nearest one above its sub-header, down to row ``top``."""
    for r in range(header_row, top - 1, -1):
        for c, value in enumerate(grid.rows[r]):
            if isinstance(value, str) and find_period_text(value):
                return value, (r, c)
    return None, None


_YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年")


def title_year(grid: Grid, header_row: int, top: int = 0) -> int | None:
    """A year the table's title names even without a period ("2014年县（市、区）主要经济指标")."""
    head = grid.head(header_row + 1)             # a big sheet's rows are not materialised
    for r in range(min(header_row, len(head) - 1), top - 1, -1):
        for value in head[r]:
            if isinstance(value, str) and (m := _YEAR_IN_TEXT.search(normalize_label(value))):
                return int(m[1])
    return None


def sheet_name_period(sheet: str) -> str | None:
    """The period a sheet's name gives (1-9月, "1-3月 " with its trailing space), if it is one."""
    text = normalize_label(sheet).replace(" ", "")
    if not text:
        return None
    try:
        periods.parse_period(text, default_year=2000)
        return text
    except periods.PeriodError as err:
        return text if "年初至今" in err.reason_zh else None


def table_period(grid: Grid, findings: Findings, layout, period: str | None,
                  year: int | None = None) -> str | None:
    """The table's period: its title (or header) period, else the sheet's name (1-9月) with the year of
    the title, the workbook or --period; a title and a sheet name that disagree refuse the file."""
    text = find_period_text(layout.period_text) if layout.period_text is not None else None
    by_name = sheet_name_period(grid.sheet)
    default_year = title_year(grid, layout.header_row, layout.top_row) or year or (int(period[:4]) if period else None)
    if text is None and by_name is None:
        if period is None:
            findings.error("bad_period", layout.top_row, 0, grid.rows[layout.top_row][0] if grid.rows[layout.top_row]
                           else None, "标题", reason=("标题、表头和工作表名中都找不到期间，请用 --period 指定",
                                                     "no period in the title, the header or the sheet name; give --period"))
        return period
    code = sheet_code = None
    if text is not None:
        r, c = layout.period_cell
        try:
            code = periods.parse_period(text, default_year)
        except periods.PeriodError as err:
            findings.error("bad_period", r, c, text, None, reason=(err.reason_zh, err.reason_en))
            return None
    if by_name is not None:
        try:
            sheet_code = periods.parse_period(by_name, default_year)
        except periods.PeriodError as err:
            if code is None:
                findings.error("bad_period", None, None, grid.sheet, "工作表名", reason=(err.reason_zh, err.reason_en))
                return None
    if code is not None and sheet_code is not None and periods.end_date(code) != periods.end_date(sheet_code):
        r, c = layout.period_cell
        findings.error("period_title_sheet_conflict", r, c, text, None, sheet=grid.sheet.strip(), sheet_period=sheet_code,
                       period=code)
        return None
    code = code or sheet_code
    if period and periods.end_date(code) != periods.end_date(period):
        r, c = layout.period_cell or (None, None)
        findings.error("period_conflict", r, c, text or grid.sheet, None, period=period)
        return None
    return code


