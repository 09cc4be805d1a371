"""The bulletin as a PDF, typeset by Typst (the ``typst`` package: a self-contained compiler, no
system libraries, no LibreOffice) from ``bulletin.typ`` and the model as JSON, in the project's CJK
font, which the PDF embeds; charts go in as SVG with their glyphs as outlines.
"""

from __future__ import annotations

import json
from pathlib import Path

import typst

from metrics.bulletin import charts, fonts
from metrics.bulletin.model import STATUS_COLORS, STATUS_HEADER, Bulletin, Chart, Note, Paragraph, Table
from metrics.bulletin.numbers import cell_text

TEMPLATE = Path(__file__).with_name("bulletin.typ")
HEADER_FILL = "#1F4E79"


def _header(table: Table) -> list[dict]:
    out = []
    for col in table.columns:
        status = STATUS_HEADER.get(col.key)
        out.append({"text": col.title, "fill": STATUS_COLORS[status] if status else HEADER_FILL,
                    "ink": "#000000" if status == "yellow" else "#FFFFFF"})
    return out


def _chart(chart: Chart) -> dict:
    width, height = charts.inches(chart)
    page_width, page_height = 6.3, 8.6   # the text area, in inches
    share = min(1.0, page_height * width / (height * page_width))   # of the text width, never too tall
    caption = chart.title + (f"（{chart.caption}）" if chart.caption else "")
    return {"type": "chart", "svg": charts.image(chart, "svg").decode("utf-8"), "caption": caption,
            "width": round(share, 4)}


def payload(bulletin: Bulletin) -> dict:
    """The model as the template reads it: every cell already written as text."""
    sections = []
    for section in bulletin.sections:
        blocks = []
        for block in section.blocks:
            if isinstance(block, Paragraph):
                blocks.append({"type": "p", "text": block.text})
            elif isinstance(block, Note):
                blocks.append({"type": "note", "text": block.text})
            elif isinstance(block, Table):
                blocks.append({"type": "table", "title": block.title, "header": _header(block),
                               "widths": [c.width for c in block.columns],
                               "aligns": ["left" if c.kind == "text" else "center" for c in block.columns],
                               "rows": [[cell_text(row, c) for c in block.columns] for row in block.rows]})
            elif isinstance(block, Chart):
                blocks.append(_chart(block))
        sections.append({"heading": section.heading, "blocks": blocks})
    return {"masthead": bulletin.masthead, "number": bulletin.number_label, "issuer": bulletin.issuer,
            "date": bulletin.date_label, "title": bulletin.title, "footer": bulletin.footer, "sections": sections}


def render(bulletin: Bulletin) -> bytes:
    data = json.dumps(payload(bulletin), ensure_ascii=False)
    return typst.compile(TEMPLATE.read_bytes(), root=str(TEMPLATE.parent), font_paths=[str(fonts.font_folder())],
                         sys_inputs={"data": data}, format="pdf")
