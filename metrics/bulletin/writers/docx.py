"""The bulletin as a Word document laid out as a government 通报: A4, red masthead with 期号, issuer
and date over a red rule, 黑体 headings, 仿宋 body, page numbers "— 1 —" and the store version in
the footer, tables whose header row repeats on every page.

Word and WPS pick a Chinese font from the East-Asian slot of each run (``w:eastAsia``), not from
the font name alone, so every run gets both.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from metrics.bulletin import charts
from metrics.bulletin.model import STATUS_COLORS, STATUS_HEADER, Bulletin, Chart, Note, Paragraph, Table
from metrics.bulletin.numbers import cell_text

BODY, HEADING, SUBHEADING, TITLE = "仿宋", "黑体", "楷体", "黑体"
RED = RGBColor(0xC0, 0x00, 0x00)
GREY = RGBColor(0x59, 0x59, 0x59)
TEXT_WIDTH_CM = 15.6


def east_asian(run, name: str, size: float | None = None, bold: bool = False, color: RGBColor | None = None):
    """Set a run's font in every slot Word and WPS read (ASCII, high ANSI, East Asian)."""
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)
    if size is not None:
        run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _para(doc_or_cell, text: str, font: str = BODY, size: float = 14, bold: bool = False,
          align=None, color: RGBColor | None = None, indent: bool = False, space_after: float = 0):
    p = doc_or_cell.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    fmt.line_spacing = 1.25
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    east_asian(p.add_run(text), font, size, bold, color)
    return p


def _bottom_rule(paragraph, color: str = "C00000", size: int = 18) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "4"), ("w:color", color)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _field(paragraph, instruction: str, font: str, size: float) -> None:
    """A Word field (PAGE) that Word, WPS and LibreOffice fill in when they lay out the page."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        run = east_asian(paragraph.add_run(), font, size)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._element.append(instr)
        else:
            run.text = text


def _shade(cell, color: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), color.lstrip("#"))
    tcpr.append(shd)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _cell_text(cell, text: str, font: str = BODY, size: float = 10.5, bold: bool = False,
               color: RGBColor | None = None, align=None) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    if align is not None:
        p.alignment = align
    east_asian(p.add_run(text), font, size, bold, color)


def _table(doc, table: Table) -> None:
    _para(doc, table.title, SUBHEADING, 14, space_after=4).paragraph_format.keep_with_next = True
    t = doc.add_table(rows=1, cols=len(table.columns))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    total = sum(c.width for c in table.columns)
    header = t.rows[0]
    _repeat_header(header)
    for cell, col in zip(header.cells, table.columns, strict=True):
        status = STATUS_HEADER.get(col.key)
        _shade(cell, STATUS_COLORS[status] if status else "#1F4E79")
        ink = RGBColor(0, 0, 0) if status == "yellow" else RGBColor(0xFF, 0xFF, 0xFF)
        _cell_text(cell, col.title, HEADING, 10.5, True, ink, WD_ALIGN_PARAGRAPH.CENTER)
    for row in table.rows:
        cells = t.add_row().cells
        for cell, col in zip(cells, table.columns, strict=True):
            align = WD_ALIGN_PARAGRAPH.LEFT if col.kind == "text" else WD_ALIGN_PARAGRAPH.CENTER
            _cell_text(cell, cell_text(row, col), align=align)
    for k, col in enumerate(table.columns):
        width = Cm(TEXT_WIDTH_CM * col.width / total)
        t.columns[k].width = width
        for row in t.rows:
            row.cells[k].width = width
    _para(doc, "", size=6)


def _chart(doc, chart: Chart) -> None:
    width, _height = charts.fit(chart, TEXT_WIDTH_CM, 21.0)
    doc.add_picture(io.BytesIO(charts.image(chart, "png")), width=Cm(width))
    holder = doc.paragraphs[-1]
    holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in holder.runs:
        east_asian(run, BODY)
    caption = f"图：{chart.title}" + (f"（{chart.caption}）" if chart.caption else "")
    _para(doc, caption, BODY, 10.5, align=WD_ALIGN_PARAGRAPH.CENTER, color=GREY, space_after=6)


def render(bulletin: Bulletin) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.8)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = BODY
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY)

    _para(doc, bulletin.masthead, TITLE, 30, True, WD_ALIGN_PARAGRAPH.CENTER, RED, space_after=6)
    _para(doc, bulletin.number_label, BODY, 14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    line = _para(doc, f"{bulletin.issuer}\t{bulletin.date_label}", BODY, 14)
    line.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), alignment=2)  # right
    _bottom_rule(line)
    _para(doc, "", size=10)
    _para(doc, bulletin.title, TITLE, 20, True, WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    for sec in bulletin.sections:
        _para(doc, sec.heading, HEADING, 16, space_after=4).paragraph_format.keep_with_next = True
        for block in sec.blocks:
            if isinstance(block, Paragraph):
                _para(doc, block.text, BODY, 14, indent=True, space_after=4)
            elif isinstance(block, Note):
                _para(doc, "说明：" + block.text, BODY, 12, indent=True, color=GREY, space_after=4)
            elif isinstance(block, Table):
                _table(doc, block)
            elif isinstance(block, Chart):
                _chart(doc, block)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    east_asian(footer.add_run("— "), BODY, 12)
    _field(footer, "PAGE", BODY, 12)
    east_asian(footer.add_run(" —"), BODY, 12)
    note = section.footer.add_paragraph()
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    east_asian(note.add_run(bulletin.footer), BODY, 9, color=GREY)
    doc.core_properties.title = bulletin.title
    doc.core_properties.author = bulletin.issuer
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
