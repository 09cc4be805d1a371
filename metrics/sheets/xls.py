"""The .xls reader (Excel 97-2003, as WPS still writes it), and workbooks under encryption.

Values come from calamine; hidden rows/columns, percent formats and error cells from xlrd with
``formatting_info=True`` (pure Python: on a 50k-row .xls it costs ~8x calamine; real .xls files are
small). Both readers build a sheet's dense rectangle, so the cells' positions are first read from the
BIFF records themselves (``xls_extent``) and a sheet too big to read is refused before either runs.

An encrypted workbook is an OLE file; Excel's default encryption ("VelvetSweatshop", used to make a
file read-only) opens without asking, so it is decrypted here too (msoffcrypto-tool). A real password
is refused with a message that says so.
"""

from __future__ import annotations

import io
import logging
import struct
from pathlib import Path

import python_calamine as pc

from metrics.sheets.cells import _clip, _is_percent_format, _numeric_cells, _open_calamine, _sheet_cells
from metrics.sheets.grid import Grid, WorkbookError, column_letter
from metrics.sheets.limits import ReadLimits
from metrics.text import CellError

log = logging.getLogger(__name__)

_BOF, _EOF = 0x0809, 0x000A
#: BIFF8 records that hold a cell value: NUMBER, RK, LABELSST, LABEL, FORMULA, BOOLERR, RSTRING
_VALUE_RECORDS = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0006, 0x0205, 0x00D6}
_MULRK = 0x00BD
#: Excel's default password for "encrypted" read-only workbooks
DEFAULT_PASSWORD = "VelvetSweatshop"


def xls_extent(stream: bytes) -> list[tuple[int, int]]:
    """(rows, columns) of each worksheet's used range, from the BIFF records (before any reader)."""
    out: list[tuple[int, int]] = []
    pos, n = 0, len(stream)
    depth = 0
    current: list[int] | None = None
    unpack = struct.unpack_from
    while pos + 4 <= n:
        rtype, length = unpack("<HH", stream, pos)
        body = pos + 4
        if rtype == _BOF:
            depth += 1
            kind = unpack("<H", stream, body + 2)[0] if length >= 4 else 0
            if depth == 1 and kind == 0x0010:      # a worksheet's substream
                current = [0, 0]
        elif rtype == _EOF:
            depth -= 1
            if depth <= 0:
                depth = 0
                if current is not None:
                    out.append((current[0], current[1]))
                current = None
        elif current is not None and length >= 4 and (rtype in _VALUE_RECORDS or rtype == _MULRK):
            row, col = unpack("<HH", stream, body)
            if rtype == _MULRK and length >= 6:
                col = unpack("<H", stream, body + length - 2)[0]
            if row + 1 > current[0]:
                current[0] = row + 1
            if col + 1 > current[1]:
                current[1] = col + 1
        pos = body + length
    return out


def _workbook_stream(source: Path | bytes) -> bytes | None:
    import olefile

    try:
        with olefile.OleFileIO(source if isinstance(source, bytes) else str(source)) as ole:
            for name in ("Workbook", "Book"):
                if ole.exists(name):
                    return ole.openstream(name).read()
    except (OSError, ValueError, struct.error) as exc:
        log.warning("cannot read the OLE container (%s)", exc)
    return None


def check_extent(source: Path | bytes, file: str, limits: ReadLimits) -> None:
    """Refuse a sheet whose used range is over the cell cap, before calamine or xlrd allocates it."""
    stream = _workbook_stream(source)
    if stream is None:
        return
    for i, (rows, cols) in enumerate(xls_extent(stream)):
        if rows * cols > limits.max_cells:
            where = f"{column_letter(cols - 1)}{rows}"
            raise WorkbookError(
                file, f"第 {i + 1} 张工作表的数据区域过大（到 {where}），超过 {limits.max_cells:,} 个单元格的上限"
                      "（METRICS_MAX_CELLS）；请删除远处的零散单元格",
                f"worksheet {i + 1} has a huge used range (up to {where}), over the limit of {limits.max_cells:,} "
                "cells (METRICS_MAX_CELLS): delete far-away stray cells")


def decrypt(path: Path, file: str) -> bytes | None:
    """The decrypted workbook when the file is encrypted with Excel's default password; None when it is
    not encrypted; a WorkbookError when it needs a real password."""
    import msoffcrypto

    try:
        with path.open("rb") as fh:
            office = msoffcrypto.OfficeFile(fh)
            if not office.is_encrypted():
                return None
            office.load_key(password=DEFAULT_PASSWORD)
            out = io.BytesIO()
            office.decrypt(out)
            return out.getvalue()
    except Exception as exc:  # msoffcrypto raises its own and plain errors alike
        if "encrypt" in type(exc).__name__.lower() or "password" in str(exc).lower() or "key" in str(exc).lower():
            raise WorkbookError(file, "文件设置了打开密码，请取消密码后另存为 .xlsx 再导入",
                                "the file is password-protected: remove the password, save as .xlsx and import again") from exc
        log.warning("msoffcrypto cannot read %s (%s)", file, exc)
        return None


def read_xls(source: Path | bytes, file: str, limits: ReadLimits) -> list[Grid]:
    check_extent(source, file, limits)
    wb = _open_calamine(source, file, (".xls", ".xlt"))
    book = _open_xlrd(source)
    grids: list[Grid] = []
    try:
        for meta in wb.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            rows, merged = _sheet_cells(wb, meta.name, file, limits.max_cells)
            n_rows = len(rows)
            n_cols = len(rows[0]) if rows else 0
            hidden_rows: frozenset[int] = frozenset()
            hidden_cols: frozenset[int] = frozenset()
            percent: frozenset[tuple[int, int]] = frozenset()
            if book is not None and n_rows:
                try:
                    xs = book.sheet_by_name(meta.name)
                except Exception:  # name mismatch between the readers: no formatting facts
                    xs = None
                if xs is not None:
                    hidden_rows, hidden_cols, percent = _xls_facts(book, xs, rows, n_rows, n_cols)
                    _error_cells(xs, rows, n_rows, n_cols)
                    if not merged and xs.merged_cells:
                        merged = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in xs.merged_cells]
            grids.append(Grid(file=file, sheet=meta.name, rows=rows, merged=merged, hidden_rows=hidden_rows,
                              hidden_cols=hidden_cols, percent_cells=percent,
                              visible=meta.visible == pc.SheetVisibleEnum.Visible))
    finally:
        wb.close()
        if book is not None:
            book.release_resources()
    return grids


def _error_cells(xs, rows: list[list[object]], n_rows: int, n_cols: int) -> None:
    """Error cells (#DIV/0! …), which calamine reads as blank, put back as CellError values."""
    import xlrd

    types = getattr(xs, "_cell_types", None)
    if types is None:
        return
    for r in range(min(n_rows, xs.nrows)):
        row_types = types[r]
        if xlrd.XL_CELL_ERROR not in row_types:
            continue
        for c, kind in enumerate(row_types):
            if kind == xlrd.XL_CELL_ERROR and c < n_cols:
                rows[r][c] = CellError(xlrd.error_text_from_code.get(xs.cell_value(r, c), "#VALUE!"))


def _open_xlrd(source: Path | bytes):  # -> xlrd.Book | None
    """xlrd for what calamine lacks in .xls; a file xlrd cannot parse still gives its values."""
    import xlrd  # only .xls needs it

    try:
        if isinstance(source, bytes):
            return xlrd.open_workbook(file_contents=source, formatting_info=True, on_demand=True, logfile=io.StringIO())
        return xlrd.open_workbook(str(source), formatting_info=True, on_demand=True, logfile=io.StringIO())
    except Exception as exc:
        log.warning("xlrd cannot read formatting (%s): hidden rows and %% formats unknown", exc)
        return None


def _xls_facts(book, xs, rows: list[list[object]], n_rows: int,
               n_cols: int) -> tuple[frozenset[int], frozenset[int], frozenset[tuple[int, int]]]:
    rowinfo = xs.rowinfo_map
    hidden_rows = {r for r, info in rowinfo.items() if info.hidden}
    if getattr(xs, "default_row_hidden", 0):
        hidden_rows.update(r for r in range(n_rows) if r not in rowinfo)
    hidden_cols = {c for c, info in xs.colinfo_map.items() if info.hidden}

    percent_xf = set()
    for i, xf in enumerate(book.xf_list):
        fmt = book.format_map.get(xf.format_key)
        if fmt is not None and _is_percent_format(fmt.format_str or ""):
            percent_xf.add(i)
    percent: list[tuple[int, int]] = []
    if percent_xf:
        xf_rows = getattr(xs, "_cell_xf_indexes", None)  # private but stable since xlrd 0.6
        for r in range(min(n_rows, xs.nrows)):
            row_xf = xf_rows[r] if xf_rows is not None else [xs.cell_xf_index(r, c) for c in range(xs.row_len(r))]
            for c, xfx in enumerate(row_xf):
                if xfx in percent_xf:
                    percent.append((r, c))
    return (_clip(hidden_rows, n_rows), _clip(hidden_cols, n_cols),
            _numeric_cells(rows, percent) if percent else frozenset())

