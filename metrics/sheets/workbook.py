"""Raw grids from .xlsx / .xls / .csv / web and XML exports: the lowest layer under every sheet reader.

Files are sniffed by content first: WPS and web systems often write xlsx bytes, an HTML table or an
"XML Spreadsheet 2003" under a ``.xls`` name, and Excel's read-only encryption wraps a workbook in
an OLE container. Every read is bounded (``limits``): a file over a cap is refused before it is
read, and ``read_file_isolated`` runs the read in a worker process with a memory and time limit, so
that a reader crash is a located refusal, never a dead server (``isolate``).

- .xlsx (``xlsx``): calamine values (big sheets as Arrow columns via fastexcel), merged cells, hidden
  rows/columns and percent formats from the package parts, error cells and formulas without a result
  from the sheet XML; sizes and extents checked first (``xlsx_guard``).
- .xls (``xls``): calamine values, xlrd formatting facts and error cells; extents from the BIFF records.
- .csv, HTML tables, XML Spreadsheet 2003 (``textual``).

The cyclic GC is paused while grids are built (see ``cells._gc_paused``). bench/bench_read.py, 50k x 7
long template: read_file() 1.1-1.2x a bare calamine ``to_python()``.

Calamine's cell types (checked against 0.9.1): xlsx numbers are always ``float`` (42 -> 42.0); xls
integer cells are ``int``; booleans ``bool``; date-formatted numbers ``datetime.date`` when the time
part is zero, else ``datetime.datetime``; time formats ``datetime.time``; ``[h]:mm`` durations
``datetime.timedelta``; empty cells come back as ``""`` and grids turn them into ``None``. Error cells
become ``text.CellError("#DIV/0!")`` and formulas saved without a result ``text.UncachedFormula``.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from metrics.sheets.cells import _gc_paused
from metrics.sheets.grid import ColumnarGrid, Grid, WorkbookError, column_index, column_letter
from metrics.sheets.limits import ReadLimits, megabytes
from metrics.sheets.textual import _markup_kind, _read_csv, _read_html, read_spreadsheetml
from metrics.sheets.xls import decrypt, read_xls
from metrics.sheets.xlsx import read_xlsx

__all__ = ["ColumnarGrid", "Grid", "ReadLimits", "WorkbookError", "column_index", "column_letter", "read_file"]

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlt", ".xltx", ".xltm", ".et"}
_TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}


def read_file(path: Path | str, display_name: str | None = None, limits: ReadLimits | None = None) -> list[Grid]:
    """Every sheet of a workbook (or the one table of a CSV) as raw grids, in workbook order.

    ``display_name`` is the name the user gave the file (an upload is stored under a temporary
    path); it names the grids and errors, and its extension wins when the path has another one.
    This reads in the calling process: the importer uses ``isolate.read_file_isolated``.
    """
    limits = limits or ReadLimits.from_env()
    path = Path(path)
    name = display_name or path.name          # as the user gave it (messages show it as given)
    suffix = (Path(_basename(name)).suffix or path.suffix).lower()
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise WorkbookError(name, f"无法打开文件（{exc.strerror or exc}）",
                            f"cannot open the file ({exc.strerror or exc})") from exc
    if size > limits.max_file_bytes:
        raise WorkbookError(name, f"文件有 {megabytes(size)}，超过上限 {megabytes(limits.max_file_bytes)}（METRICS_MAX_FILE_MB）",
                            f"the file is {megabytes(size)}, over the limit of {megabytes(limits.max_file_bytes)} "
                            "(METRICS_MAX_FILE_MB)")

    if head.startswith(_ZIP_MAGIC):
        with _gc_paused():
            return read_xlsx(path, name, limits)
    if head.startswith(_OLE_MAGIC):
        return _read_ole(path, name, limits)
    if suffix in _TEXT_SUFFIXES:
        return [_read_csv(path.read_bytes(), name, limits)]
    if suffix in _EXCEL_SUFFIXES:
        raw = path.read_bytes()
        if not raw:
            raise WorkbookError(name, "文件是空的（0 字节）", "the file is empty (0 bytes)")
        kind = _markup_kind(raw)
        if kind == "html":
            return _read_html(raw, name, limits)
        if kind == "spreadsheetml":
            return read_spreadsheetml(raw, name, limits)
        raise WorkbookError(name, f"扩展名是 {suffix}，但内容不是 Excel 工作簿（可能已损坏），请在 Excel/WPS 中另存为 .xlsx",
                            f"named {suffix} but not an Excel workbook (damaged?): save it as .xlsx in Excel/WPS")
    raise WorkbookError(name, f"不支持的文件类型“{suffix or '无扩展名'}”，请使用 .xlsx、.xls 或 .csv",
                        f"unsupported file type “{suffix or 'no extension'}”: use .xlsx, .xls or .csv")


def _read_ole(path: Path, name: str, limits: ReadLimits) -> list[Grid]:
    """An .xls, or a workbook under Excel's default read-only encryption (decrypted, then read)."""
    plain = decrypt(path, name)
    if plain is None:
        with _gc_paused():
            return read_xls(path, name, limits)
    if plain.startswith(_ZIP_MAGIC):
        with tempfile.TemporaryDirectory(prefix="metrics-decrypted-") as tmp:
            copy = Path(tmp) / "decrypted.xlsx"
            copy.write_bytes(plain)
            del plain
            with _gc_paused():
                return read_xlsx(copy, name, limits)
    with _gc_paused():
        return read_xls(plain, name, limits)


def _basename(name: str) -> str:
    return re.split(r"[\\/]", name)[-1] or name
