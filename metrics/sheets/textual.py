"""Tables that arrive as text: CSV, an HTML table saved as .xls (web exports), and the
"XML Spreadsheet 2003" format (Excel's and many systems' .xls-named XML).

- .csv: decoded as UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK);
  every value is text.
- HTML: ``<table>/<tr>/<td|th>`` with rowspan/colspan into grids (html.parser expands no entity
  definitions, so no entity attack applies).
- XML Spreadsheet 2003: parsed by defusedxml with DTDs forbidden (billion laughs is refused before a
  single entity is expanded); cells placed by ``ss:Index``, merges from ``ss:MergeAcross/Down``,
  hidden rows/columns/sheets, percent styles and error cells as in a workbook.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from html.parser import HTMLParser
from pathlib import Path

from metrics.sheets.cells import _is_percent_format
from metrics.sheets.grid import Grid, WorkbookError, column_letter
from metrics.sheets.limits import ReadLimits
from metrics.text import CellError

_ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")


def _decode_text(raw: bytes, file: str) -> str:
    """UTF-8 (BOM or not), UTF-16 with BOM (Excel's "Unicode text"), else GB18030 (covers GBK/GB2312)."""
    if raw.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for enc in encodings:
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # binary data that happens to decode
        return text
    tried = "、".join(_ENCODINGS)
    raise WorkbookError(file, f"无法识别文本编码（已尝试 {tried}），或文件不是文本表格；请用 Excel/WPS 另存为 .xlsx 或 UTF-8 CSV",
                        f"cannot decode the text (tried {', '.join(_ENCODINGS)}) or it is not a text table: "
                        "save it as .xlsx or UTF-8 CSV from Excel/WPS")


def _pad(rows: list[list[object]]) -> list[list[object]]:
    while rows and all(v is None for v in rows[-1]):
        rows.pop()  # trailing blank lines: calamine grids have none either
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        if len(r) < width:
            r.extend([None] * (width - len(r)))
    return rows


def _read_csv(raw: bytes, file: str, limits: ReadLimits | None = None) -> Grid:
    max_cells = (limits or ReadLimits()).max_cells
    text = _decode_text(raw, file)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    rows: list[list[object]] = []
    width = 0
    if max(text.count(delimiter), text.count("\n")) > max_cells:
        raise WorkbookError(file, f"CSV 表格过大，超过 {max_cells:,} 个单元格的上限（METRICS_MAX_CELLS）",
                            f"the CSV table is too big, over the limit of {max_cells:,} cells (METRICS_MAX_CELLS)")
    try:
        for rec in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append([v if v != "" else None for v in rec])
            width = max(width, len(rec))
            if len(rows) * width > max_cells:
                raise WorkbookError(file, f"CSV 表格过大（{len(rows)} 行 × {width} 列以上），超过 {max_cells:,} 个单元格的上限"
                                          "（METRICS_MAX_CELLS）",
                                    f"the CSV table is too big ({len(rows)} rows x {width} columns and more), over the "
                                    f"limit of {max_cells:,} cells (METRICS_MAX_CELLS)")
    except csv.Error as exc:
        raise WorkbookError(file, f"CSV 格式错误：{exc}", f"malformed CSV: {exc}") from exc
    return Grid(file=file, sheet="", rows=_pad(rows))


def _markup_kind(raw: bytes) -> str | None:
    """"html" for an HTML table saved as .xls (web systems, WPS), "spreadsheetml" for XML 2003."""
    head = raw[:65536].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith(b"<"):
        return None
    if b"urn:schemas-microsoft-com:office:spreadsheet" in head and b"<html" not in head:
        return "spreadsheetml"
    return "html" if b"<table" in head or b"<html" in head else None


def _free_column(taken: list[tuple[int, int]] | tuple, c: int) -> int:
    """The first column at or after ``c`` not covered by a rowspan from above."""
    moved = True
    while moved:
        moved = False
        for lo, hi in taken:
            if lo <= c < hi:
                c, moved = hi, True
    return c


class _TooManyCells(Exception):
    """An HTML table covering more cells than the cap (rowspan/colspan abuse)."""


class _TableParser(HTMLParser):
    """<table>/<tr>/<td|th> with rowspan/colspan into grids: the "xls" that web systems export."""

    def __init__(self, max_cells: int = 5_000_000) -> None:
        super().__init__(convert_charrefs=True)
        self.max_cells = max_cells
        self.covered = 0
        self.tables: list[tuple[list[list[object]], list[tuple[int, int, int, int]]]] = []
        self._stack: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._stack.append({"rows": [], "merged": [], "taken": {}, "r": -1, "c": 0, "text": None})
            return
        if not self._stack:
            return
        t = self._stack[-1]
        if tag == "tr":
            self._end_cell(t)
            t["r"] += 1
            t["c"] = 0
        elif tag in ("td", "th"):
            self._end_cell(t)
            if t["r"] < 0:
                t["r"] = 0
            a = dict(attrs)
            span_r, span_c = _span(a.get("rowspan")), _span(a.get("colspan"))
            r, c = t["r"], t["c"]
            c = _free_column(t["taken"].get(r, ()), c)
            self.covered += span_r
            if self.covered > self.max_cells or r + span_r > 1_048_576 or c + span_c > 16384 or \
                    (r + span_r) * (c + span_c) > self.max_cells:
                raise _TooManyCells
            for rr in range(r + 1, r + span_r):   # rows below keep these columns taken
                t["taken"].setdefault(rr, []).append((c, c + span_c))
            if span_r > 1 or span_c > 1:
                t["merged"].append((r, c, r + span_r - 1, c + span_c - 1))
            t["cell"] = (r, c)
            t["c"] = c + span_c
            t["text"] = []
        elif tag == "br" and t["text"] is not None:
            t["text"].append("\n")

    def handle_endtag(self, tag: str) -> None:
        if not self._stack:
            return
        t = self._stack[-1]
        if tag in ("td", "th", "tr"):
            self._end_cell(t)
        elif tag == "table":
            self._end_cell(t)
            self._stack.pop()
            rows: list[list[object]] = []
            for (r, c), v in t["rows"]:
                while len(rows) <= r:
                    rows.append([])
                row = rows[r]
                while len(row) <= c:
                    row.append(None)
                row[c] = v
            self.tables.append((_pad(rows), t["merged"]))

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1]["text"] is not None:
            self._stack[-1]["text"].append(data)

    @staticmethod
    def _end_cell(t: dict) -> None:
        if t["text"] is not None:
            text = "\n".join(" ".join(part.split()) for part in "".join(t["text"]).split("\n")).strip()
            t["rows"].append((t["cell"], text or None))
            t["text"] = None


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def _read_html(raw: bytes, file: str, limits: ReadLimits | None = None) -> list[Grid]:
    parser = _TableParser((limits or ReadLimits()).max_cells)
    try:
        parser.feed(_decode_text(raw, file))
        parser.close()
    except _TooManyCells:
        raise WorkbookError(file, "网页表格覆盖的单元格过多（rowspan/colspan），超过上限（METRICS_MAX_CELLS）",
                            "the web table covers too many cells (rowspan/colspan), over the limit (METRICS_MAX_CELLS)") from None
    if not parser.tables:
        raise WorkbookError(file, "文件是网页（HTML）格式但没有表格，请在 Excel/WPS 中另存为 .xlsx",
                            "the file is a web page (HTML) without a table: save it as .xlsx in Excel/WPS")
    stem = Path(file).stem
    many = len(parser.tables) > 1
    return [Grid(file=file, sheet=f"{stem}_{i + 1}" if many else stem, rows=rows, merged=merged)
            for i, (rows, merged) in enumerate(parser.tables)]


# --------------------------------------------------------------------------------------------------
# XML Spreadsheet 2003

_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
_X = "{urn:schemas-microsoft-com:office:excel}"
_PERCENT_NAMES = {"percent"}


def _index(value: str | None, fallback: int, limit: int) -> int:
    """An ss:Index (1-based) as a 0-based position, bounded by Excel's grid."""
    if value is None:
        return fallback
    try:
        i = int(value) - 1
    except ValueError:
        return fallback
    if not 0 <= i < limit:
        raise ValueError(value)
    return i


def _data_value(kind: str, text: str) -> object:
    if kind == "Number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "Boolean":
        return text.strip() in ("1", "true")
    if kind == "DateTime":
        try:
            moment = dt.datetime.fromisoformat(text.strip())
        except ValueError:
            return text
        return moment.date() if moment.time() == dt.time() else moment
    if kind == "Error":
        return CellError(text.strip() or "#VALUE!")
    return text


def read_spreadsheetml(raw: bytes, file: str, limits: ReadLimits) -> list[Grid]:
    """Every worksheet of an XML Spreadsheet 2003 file as grids."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(raw, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise WorkbookError(file, "XML 文件含有 DTD/实体声明（Excel 从不写入，可能是恶意文件）",
                            f"the XML holds a DTD or entity declaration (Excel never writes one: a hostile file?) ({exc})") from exc
    except Exception as exc:  # ParseError and friends
        raise WorkbookError(file, f"XML 电子表格格式错误：{exc}", f"malformed XML Spreadsheet: {exc}") from exc
    percent_styles = set()
    for style in root.iter(f"{_SS}Style"):
        fmt = style.find(f"{_SS}NumberFormat")
        code = fmt.get(f"{_SS}Format", "") if fmt is not None else ""
        if code.casefold() in _PERCENT_NAMES or _is_percent_format(code):
            percent_styles.add(style.get(f"{_SS}ID"))
    grids = []
    for sheet in root.iter(f"{_SS}Worksheet"):
        try:
            grids.append(_spreadsheetml_sheet(sheet, file, limits, percent_styles))
        except ValueError as exc:
            raise WorkbookError(file, f"工作表“{sheet.get(f'{_SS}Name', '')}”的单元格位置超出 Excel 范围（{exc}）",
                                f"sheet “{sheet.get(f'{_SS}Name', '')}” places a cell outside Excel's grid ({exc})") from None
    if not grids:
        raise WorkbookError(file, "XML 电子表格中没有工作表", "the XML Spreadsheet holds no worksheet")
    return grids


def _spreadsheetml_sheet(sheet, file: str, limits: ReadLimits, percent_styles: set) -> Grid:
    name = sheet.get(f"{_SS}Name", "") or "Sheet1"
    cells: dict[tuple[int, int], object] = {}
    merged: list[tuple[int, int, int, int]] = []
    hidden_rows: set[int] = set()
    hidden_cols: set[int] = set()
    percent: set[tuple[int, int]] = set()
    table = sheet.find(f"{_SS}Table")
    n_rows = n_cols = 0
    if table is not None:
        c = -1
        for col in table.findall(f"{_SS}Column"):
            c = _index(col.get(f"{_SS}Index"), c + 1, 16384)
            span = int(col.get(f"{_SS}Span", "0") or 0)
            if col.get(f"{_SS}Hidden") == "1":
                hidden_cols.update(range(c, c + span + 1))
            c += span
        r = -1
        for row in table.findall(f"{_SS}Row"):
            r = _index(row.get(f"{_SS}Index"), r + 1, 1_048_576)
            if row.get(f"{_SS}Hidden") == "1":
                hidden_rows.add(r)
            c = -1
            for cell in row.findall(f"{_SS}Cell"):
                c = _index(cell.get(f"{_SS}Index"), c + 1, 16384)
                across = int(cell.get(f"{_SS}MergeAcross", "0") or 0)
                down = int(cell.get(f"{_SS}MergeDown", "0") or 0)
                if across or down:
                    merged.append((r, c, r + down, c + across))
                data = cell.find(f"{_SS}Data")
                if data is not None:
                    value = _data_value(data.get(f"{_SS}Type", "String"), "".join(data.itertext()))
                    if value != "":
                        cells[r, c] = value
                        n_rows, n_cols = max(n_rows, r + 1), max(n_cols, c + 1)
                        if cell.get(f"{_SS}StyleID") in percent_styles and isinstance(value, float):
                            percent.add((r, c))
                c += across
            if n_rows * n_cols > limits.max_cells:
                raise WorkbookError(file, f"工作表“{name}”的数据区域过大（到 {column_letter(n_cols - 1)}{n_rows}）",
                                    f"sheet “{name}” has a huge used range (up to {column_letter(n_cols - 1)}{n_rows})")
    rows: list[list[object]] = [[None] * n_cols for _ in range(n_rows)]
    for (r, c), value in cells.items():
        rows[r][c] = value
    options = sheet.find(f"{_X}WorksheetOptions")
    visible_el = options.find(f"{_X}Visible") if options is not None else None
    visible = visible_el is None or (visible_el.text or "").strip() not in ("SheetHidden", "SheetVeryHidden")
    return Grid(file=file, sheet=name, rows=rows, merged=merged,
                hidden_rows=frozenset(h for h in hidden_rows if h < n_rows),
                hidden_cols=frozenset(h for h in hidden_cols if h < n_cols),
                percent_cells=frozenset(percent), visible=visible)
