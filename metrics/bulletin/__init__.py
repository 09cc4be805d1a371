"""一旬一通报: the bulletin, written from the engine's results and rendered as .docx, .pdf, .pptx and
.xlsx from one content model.

    source.load(store, period)          the engine's results for a period and store version
    scope.parse(text, units)            whole city, one group, one county
    content.build(ctx, scope, options)  the model (metrics.bulletin.model): sections, sentences, tables, charts
    render(bulletin, fmt, report)       the document's bytes (charts drawn once per model)
    issuing.issue(...)                  期号 and date, kept in the database (a 管理员's write)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from metrics.bulletin import charts
from metrics.bulletin.model import Bulletin

FORMATS = ("docx", "pdf", "pptx", "xlsx")
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHART_FORMAT = {"docx": "png", "pdf": "svg", "pptx": "png", "xlsx": "png"}

# report(done, total, zh, en): progress for the page's bar and the command line's stderr
Report = Callable[[int, int, str, str], None]


def render(bulletin: Bulletin, fmt: str, report: Report | None = None) -> bytes:
    """The bulletin as ``fmt`` (docx, pdf, pptx, xlsx): charts first (one step each), then the layout."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: choose one of {', '.join(FORMATS)}")
    report = report or (lambda *_: None)
    chart_list = bulletin.charts()
    total = len(chart_list) + 1
    for k, chart in enumerate(chart_list):
        report(k, total, f"绘制图表：{chart.title}", f"drawing chart: {chart.key}")
        charts.image(chart, CHART_FORMAT[fmt])
    report(total - 1, total, f"排版 {fmt}", f"laying out {fmt}")
    writer = importlib.import_module(f"metrics.bulletin.writers.{fmt}")
    data = writer.render(bulletin)
    report(total, total, "完成", "done")
    return data
