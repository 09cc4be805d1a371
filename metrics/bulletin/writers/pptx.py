"""The bulletin as a 16:9 deck for the 调度会: a title slide, then one slide per section (sentences,
then its table or chart); a section longer than a slide continues on slides marked （续）.

PowerPoint takes a Chinese glyph's font from the run's East-Asian slot (``a:ea``), so every run
gets it (微软雅黑, on every Windows projector PC), besides the Latin one.
"""

from __future__ import annotations

import io
import math

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from metrics.bulletin import charts
from metrics.bulletin.model import (
    STATUS_COLORS,
    STATUS_HEADER,
    Bulletin,
    Chart,
    Note,
    Paragraph,
    Section,
    Table,
)
from metrics.bulletin.numbers import cell_text

FONT = "微软雅黑"
WIDTH, HEIGHT = 13.333, 7.5
MARGIN = 0.5
TOP = 1.25              # below the slide title
BOTTOM = HEIGHT - 0.55  # above the footer
BODY_PT, TABLE_PT = 18, 12
ROW_IN = 0.36
RED = RGBColor(0xC0, 0x00, 0x00)
NAVY = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x59, 0x59, 0x59)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)


def east_asian(run, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    if color is not None:
        run.font.color.rgb = color
    rpr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
        element = rpr.makeelement(qn(tag), {"typeface": FONT})
        rpr.append(element)


def _text(slide, left, top, width, height, text: str, size: float, bold=False, color=None, align=None,
          anchor=MSO_ANCHOR.TOP):
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(0.05)
    p = frame.paragraphs[0]
    if align is not None:
        p.alignment = align
    run = p.add_run()
    run.text = text
    east_asian(run, size, bold, color)
    return box


def _lines(text: str, width_in: float, size_pt: float) -> int:
    per_line = max(int(width_in * 72 / size_pt) - 1, 8)
    return max(1, math.ceil(len(text) / per_line))


class _Deck:
    def __init__(self, bulletin: Bulletin) -> None:
        self.b = bulletin
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(WIDTH), Inches(HEIGHT)
        self.blank = self.prs.slide_layouts[6]
        self.slide = None
        self.y = TOP

    def new_slide(self, heading: str) -> None:
        self.slide = self.prs.slides.add_slide(self.blank)
        bar = self.slide.shapes.add_shape(1, 0, 0, Inches(WIDTH), Inches(0.12))
        bar.fill.solid()
        bar.fill.fore_color.rgb = RED
        bar.line.fill.background()
        _text(self.slide, MARGIN, 0.3, WIDTH - 2 * MARGIN, 0.8, heading, 28, True, NAVY)
        _text(self.slide, MARGIN, HEIGHT - 0.45, WIDTH - 2 * MARGIN, 0.35,
              f"{self.b.title}　·　{self.b.footer}", 10, color=GREY)
        self.y = TOP

    def room(self) -> float:
        return BOTTOM - self.y

    def title_slide(self) -> None:
        s = self.prs.slides.add_slide(self.blank)
        _text(s, MARGIN, 0.8, WIDTH - 2 * MARGIN, 1.0, self.b.masthead, 40, True, RED, PP_ALIGN.CENTER)
        _text(s, MARGIN, 1.85, WIDTH - 2 * MARGIN, 0.5, self.b.number_label, 18, align=PP_ALIGN.CENTER)
        line = s.shapes.add_connector(1, Inches(MARGIN), Inches(2.5), Inches(WIDTH - MARGIN), Inches(2.5))
        line.line.color.rgb = RED
        line.line.width = Pt(3)
        _text(s, 1.0, 2.9, WIDTH - 2.0, 1.6, self.b.title, 32, True, RGBColor(0, 0, 0), PP_ALIGN.CENTER,
              MSO_ANCHOR.MIDDLE)
        _text(s, MARGIN, 5.0, WIDTH - 2 * MARGIN, 0.5, self.b.issuer, 20, align=PP_ALIGN.CENTER)
        _text(s, MARGIN, 5.55, WIDTH - 2 * MARGIN, 0.5, self.b.date_label, 20, align=PP_ALIGN.CENTER)
        _text(s, MARGIN, HEIGHT - 0.6, WIDTH - 2 * MARGIN, 0.4, self.b.footer, 12, color=GREY, align=PP_ALIGN.CENTER)

    def paragraph(self, heading: str, text: str, note: bool = False) -> None:
        size = 15 if note else BODY_PT
        width = WIDTH - 2 * MARGIN
        height = _lines(text, width, size) * size * 1.45 / 72 + 0.15
        if height > self.room():
            self.new_slide(heading + "（续）")
        _text(self.slide, MARGIN, self.y, width, height, text, size, color=GREY if note else None)
        self.y += height + 0.1

    def table(self, heading: str, table: Table) -> None:
        """As many rows as fit under the title and header; the rest on （续） slides."""
        rows, start = table.rows, 0
        while True:
            fit = int((self.room() - 0.45) / ROW_IN) - 1
            if fit < min(3, len(rows) - start):
                self.new_slide(heading + "（续）")
                fit = int((self.room() - 0.45) / ROW_IN) - 1
            chunk = rows[start:start + fit]
            self._table_chunk(table, chunk, start > 0)
            start += len(chunk)
            if start >= len(rows):
                return
            self.new_slide(heading + "（续）")

    def _table_chunk(self, table: Table, rows: list[dict], continued: bool) -> None:
        title = table.title + ("（续表）" if continued else "")
        _text(self.slide, MARGIN, self.y, WIDTH - 2 * MARGIN, 0.4, title, 16, True, NAVY)
        self.y += 0.42
        width = WIDTH - 2 * MARGIN
        shape = self.slide.shapes.add_table(len(rows) + 1, len(table.columns), Inches(MARGIN), Inches(self.y),
                                            Inches(width), Inches(ROW_IN * (len(rows) + 1)))
        grid = shape.table
        total = sum(c.width for c in table.columns)
        for j, col in enumerate(table.columns):
            grid.columns[j].width = Inches(width * col.width / total)
            self._cell(grid.cell(0, j), col.title, True, STATUS_HEADER.get(col.key) or "header")
        for i, row in enumerate(rows, start=1):
            for j, col in enumerate(table.columns):
                self._cell(grid.cell(i, j), cell_text(row, col), False, None, col.kind != "text")
        for r in grid.rows:
            r.height = Inches(ROW_IN)
        self.y += ROW_IN * (len(rows) + 1) + 0.2

    def _cell(self, cell, text: str, bold: bool, fill: str | None, centre: bool = True) -> None:
        cell.text = ""
        p = cell.text_frame.paragraphs[0]
        p.alignment = PP_ALIGN.CENTER if centre else PP_ALIGN.LEFT
        run = p.add_run()
        run.text = text
        ink = None
        if fill is not None:
            cell.fill.solid()
            cell.fill.fore_color.rgb = NAVY if fill == "header" else RGBColor.from_string(STATUS_COLORS[fill][1:])
            ink = RGBColor(0, 0, 0) if fill == "yellow" else WHITE
        east_asian(run, TABLE_PT, bold, ink)
        cell.margin_top = cell.margin_bottom = Inches(0.03)
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE

    def chart(self, heading: str, chart: Chart) -> None:
        if self.room() < 3.2:
            self.new_slide(heading + "（续）")
        width, height = charts.fit(chart, WIDTH - 2 * MARGIN, self.room() - 0.1)
        left = (WIDTH - width) / 2
        self.slide.shapes.add_picture(io.BytesIO(charts.image(chart, "png")), Inches(left), Inches(self.y),
                                      Inches(width), Inches(height))
        self.y += height + 0.1

    def section(self, section: Section) -> None:
        self.new_slide(section.heading)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                self.paragraph(section.heading, block.text)
            elif isinstance(block, Note):
                self.paragraph(section.heading, "说明：" + block.text, note=True)
            elif isinstance(block, Table):
                self.table(section.heading, block)
            elif isinstance(block, Chart):
                self.chart(section.heading, block)


def render(bulletin: Bulletin) -> bytes:
    deck = _Deck(bulletin)
    deck.title_slide()
    for section in bulletin.sections:
        deck.section(section)
    deck.prs.core_properties.title = bulletin.title
    deck.prs.core_properties.author = bulletin.issuer
    buffer = io.BytesIO()
    deck.prs.save(buffer)
    return buffer.getvalue()
