"""The bulletin as an Excel workbook: the text on a first sheet, every table on its own sheet (header
fill, number formats, frozen header, status colored and worded), the status matrix, the charts.

Numbers are written as numbers (the engine's values, unrounded) with formats that show what the
documents print; text from data is always a string cell, never a formula.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from metrics.bulletin import charts
from metrics.bulletin.model import (
    STATUS_COLORS,
    STATUS_HEADER,
    STATUS_WORDS,
    Bulletin,
    Chart,
    Note,
    Paragraph,
    Table,
)
from metrics.bulletin.numbers import excel_format, missing

FONT = "等线"
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
TITLE_FONT = Font(name=FONT, bold=True, size=14)
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def text_cell(cell, value: object) -> None:
    """A text cell Excel and WPS never evaluate: always a string, control characters removed."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.data_type = "s"


def _fill(status: str) -> PatternFill:
    return PatternFill("solid", fgColor=STATUS_COLORS[status].lstrip("#"))


def _ink(status: str) -> Font:
    return Font(name=FONT, color="000000" if status in ("yellow", "no_target") else "FFFFFF", bold=True)


def _sheet_name(book: Workbook, wanted: str) -> str:
    name = _SHEET_BAD.sub("_", wanted)[:28].strip("' ") or "表"
    base, k = name, 2
    while name in book.sheetnames:
        name = f"{base[:25]}_{k}"
        k += 1
    return name


def _fit_page(ws: Worksheet, landscape: bool = True) -> None:
    """Print on A4 one page wide (tables), however many pages tall."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def _width(text: str) -> float:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _table_sheet(book: Workbook, name: str, heading: str, table: Table, footer: str) -> Worksheet:
    ws = book.create_sheet(_sheet_name(book, name))
    text_cell(ws.cell(1, 1), f"{heading} {table.title}".strip())
    ws.cell(1, 1).font = TITLE_FONT
    widths = []
    for j, col in enumerate(table.columns, start=1):
        cell = ws.cell(2, j)
        text_cell(cell, col.title)
        status = STATUS_HEADER.get(col.key)
        cell.fill = _fill(status) if status else HEADER_FILL
        cell.font = _ink(status) if status else HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
        widths.append(_width(col.title))
    for i, row in enumerate(table.rows, start=3):
        for j, col in enumerate(table.columns, start=1):
            cell = ws.cell(i, j)
            value = row.get(col.key)
            cell.border = BORDER
            if col.kind in ("text", "status"):
                shown = "—" if missing(value) else (STATUS_WORDS.get(str(value), str(value)) if col.kind == "status"
                                                   else str(value))
                text_cell(cell, shown)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if col.kind == "status" and not missing(value):
                    cell.fill, cell.font = _fill(str(value)), _ink(str(value))
                widths[j - 1] = max(widths[j - 1], min(_width(shown), 60))
            elif missing(value):
                text_cell(cell, "—")
                cell.alignment = Alignment(horizontal="right")
            else:
                cell.value = float(value) if col.kind in ("score", "pct", "value") else int(value)
                cell.number_format = excel_format(row, col) or "General"
                widths[j - 1] = max(widths[j - 1], 10)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = max(8, min(w + 2, 62))
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    _fit_page(ws)
    text_cell(ws.cell(len(table.rows) + 4, 1), footer)
    ws.cell(len(table.rows) + 4, 1).font = Font(name=FONT, italic=True, color="666666")
    return ws


def _matrix_sheet(book: Workbook, chart: Chart, footer: str) -> None:
    ws = book.create_sheet(_sheet_name(book, "状态矩阵"))
    d = chart.data
    text_cell(ws.cell(1, 1), chart.title)
    ws.cell(1, 1).font = TITLE_FONT
    text_cell(ws.cell(2, 1), "指标")
    for j, name in enumerate(d["cols"], start=2):
        text_cell(ws.cell(2, j), name)
    for j in range(1, len(d["cols"]) + 2):
        c = ws.cell(2, j)
        c.fill, c.font, c.border = HEADER_FILL, HEADER_FONT, BORDER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, (name, line) in enumerate(zip(d["rows"], d["status"], strict=True), start=3):
        text_cell(ws.cell(i, 1), name)
        ws.cell(i, 1).border = BORDER
        for j, status in enumerate(line, start=2):
            cell = ws.cell(i, j)
            text_cell(cell, STATUS_WORDS.get(status, "—"))
            cell.border = BORDER
            cell.alignment = Alignment(horizontal="center")
            if status in STATUS_COLORS:
                cell.fill, cell.font = _fill(status), _ink(status)
    ws.column_dimensions["A"].width = max([_width(r) for r in d["rows"]] + [8]) + 2
    for j in range(2, len(d["cols"]) + 2):
        ws.column_dimensions[get_column_letter(j)].width = 9
    ws.freeze_panes = "B3"
    _fit_page(ws)
    text_cell(ws.cell(len(d["rows"]) + 4, 1), footer)


def _charts_sheet(book: Workbook, chart_list: list[Chart]) -> None:
    ws = book.create_sheet("图表")
    row = 1
    for chart in chart_list:
        text_cell(ws.cell(row, 1), chart.title)
        ws.cell(row, 1).font = TITLE_FONT
        picture = Image(io.BytesIO(charts.image(chart, "png")))
        scale = 760 / picture.width
        picture.width, picture.height = picture.width * scale, picture.height * scale
        ws.add_image(picture, f"A{row + 1}")
        row += int(picture.height / 20) + 4


def render(bulletin: Bulletin) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "通报"
    ws.column_dimensions["A"].width = 100
    lines: list[tuple[str, Font | None]] = [
        (bulletin.masthead, Font(name=FONT, bold=True, size=18, color="C00000")),
        (f"{bulletin.number_label}　{bulletin.issuer}　{bulletin.date_label}", None),
        (bulletin.title, TITLE_FONT), ("", None)]
    for section in bulletin.sections:
        lines.append((section.heading, Font(name=FONT, bold=True, size=12)))
        for block in section.blocks:
            if isinstance(block, Paragraph):
                lines.append((block.text, None))
            elif isinstance(block, Note):
                lines.append(("说明：" + block.text, Font(name=FONT, italic=True, color="666666")))
            elif isinstance(block, Table):
                numeral = section.heading.split("、")[0]
                name = numeral + block.title if block.title.startswith("（") else f"{numeral}、{block.title}"
                sheet = _table_sheet(book, name, section.heading, block, bulletin.footer)
                lines.append((f"（{block.title}：详见工作表“{sheet.title}”）", None))
    lines += [("", None), (bulletin.footer, Font(name=FONT, italic=True, color="666666"))]
    for i, (text, font) in enumerate(lines, start=1):
        cell = ws.cell(i, 1)
        text_cell(cell, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[i].height = 16 * max(1, -(-int(_width(text)) // 96)) + (10 if i == 1 else 0)
        if font is not None:
            cell.font = font
    _fit_page(ws, landscape=False)
    chart_list = bulletin.charts()
    for chart in chart_list:
        if chart.key == "matrix":
            _matrix_sheet(book, chart, bulletin.footer)
    if chart_list:
        _charts_sheet(book, chart_list)
    book.properties.title = bulletin.title
    book.properties.creator = bulletin.issuer
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
