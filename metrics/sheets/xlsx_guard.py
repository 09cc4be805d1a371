"""What an .xlsx holds, checked before calamine reads it: sizes, the sheets' extent, error cells.

Calamine builds each sheet as a dense rectangle from A1 to the farthest cell, and inflates parts
trusting the zip directory. So a 2 KB file with one cell at XFD1048576 asks for 512 GB, and a zip
bomb inflates to gigabytes. Before calamine sees a part, this module

- checks the zip directory: number of parts, the uncompressed total against the cap;
- inflates every XML part with the output bounded by the size the directory declares (a part that
  inflates to more is a lie: refused), counting shared strings on the way;
- scans each sheet's XML for the cells' positions (vectorised with numpy: ~1 ms per MB) and finds
  the used range; cells far beyond the table (a stray cell at XFD1048576) are cut out of the XML
  and listed, so the table reads and the stray cell is refused only where its value would be stored;
- finds error cells (``t="e"``, calamine reads them as blank) and formulas saved without a result.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from html import unescape
from io import BytesIO
from pathlib import Path

import numpy as np

from metrics.sheets.grid import column_index, column_letter
from metrics.sheets.limits import ReadLimits, megabytes
from metrics.text import CellError, UncachedFormula

#: a gap of this many empty rows (columns) separates the table from far stray cells
GAP_ROWS, GAP_COLS = 1000, 100
#: more far cells (with a value) than this is not a stray cell but a sheet too big to read
MAX_STRAY_CELLS = 1000
#: a used range at least this big is looked at for far stray cells (smaller ones read as they are)
CUT_MIN_CELLS = 1_000_000
_CHUNK = 1 << 20


class GuardError(Exception):
    """A part too big, lying about its size, or not XML a sheet can be: (zh, en) messages."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_zh, self.message_en = message_zh, message_en


# ------------------------------------------------------------------------------------------ the package


def check_directory(zf: zipfile.ZipFile, limits: ReadLimits) -> None:
    """Parts and uncompressed total from the zip directory, before anything is inflated."""
    infos = zf.infolist()
    if len(infos) > limits.max_parts:
        raise GuardError(f"压缩包内有 {len(infos)} 个部件，超过上限 {limits.max_parts}（METRICS_MAX_PARTS）",
                         f"the archive holds {len(infos)} parts, over the limit of {limits.max_parts} (METRICS_MAX_PARTS)")
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed_bytes:
        biggest = max(infos, key=lambda i: i.file_size)
        raise GuardError(
            f"解压后共 {megabytes(total)}（最大的部件 {biggest.filename} 为 {megabytes(biggest.file_size)}），"
            f"超过上限 {megabytes(limits.max_uncompressed_bytes)}（METRICS_MAX_UNCOMPRESSED_MB）",
            f"it inflates to {megabytes(total)} (largest part {biggest.filename}: {megabytes(biggest.file_size)}), "
            f"over the limit of {megabytes(limits.max_uncompressed_bytes)} (METRICS_MAX_UNCOMPRESSED_MB)")


def _raw_deflate(path: Path | None, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """The raw deflate stream of a member, or None when it is stored/encrypted/odd (use ZipFile)."""
    if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:
        return None
    fh = zf.fp if path is None else path.open("rb")
    try:
        fh.seek(info.header_offset)
        header = fh.read(30)
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            return None
        name_len, extra_len = struct.unpack_from("<HH", header, 26)
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        data = fh.read(info.compress_size)
        return data if len(data) == info.compress_size else None
    finally:
        if path is not None:
            fh.close()


def _lie(info: zipfile.ZipInfo) -> GuardError:
    return GuardError(f"部件 {info.filename} 解压后超过压缩目录声明的 {megabytes(info.file_size)}（文件已损坏或被篡改）",
                      f"part {info.filename} inflates beyond the {megabytes(info.file_size)} its zip directory "
                      "declares (damaged or forged file)")


def inflate(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, never more than the directory declares: one zlib call, output bounded."""
    comp = _raw_deflate(path, zf, info)
    if comp is not None:
        d = zlib.decompressobj(-15)
        try:
            out = d.decompress(comp, info.file_size + 1)
        except zlib.error as exc:
            raise GuardError(f"部件 {info.filename} 已损坏（{exc}）", f"part {info.filename} is damaged ({exc})") from exc
        if len(out) > info.file_size or d.unconsumed_tail:
            raise _lie(info)
        return out
    try:
        with zf.open(info) as fh:  # ZipExtFile stops at the declared size and checks the CRC
            out = fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, zlib.error, EOFError) as exc:
        raise GuardError(f"部件 {info.filename} 无法读取（{exc}）", f"part {info.filename} cannot be read ({exc})") from exc
    if len(out) > info.file_size:
        raise _lie(info)
    return out


def inflate_head(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, n: int = 4096) -> bytes:
    """The first bytes of a part (where a DTD would stand), without inflating the rest."""
    comp = _raw_deflate(path, zf, info)
    if comp is None:
        try:
            with zf.open(info) as fh:
                return fh.read(n)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, zlib.error, EOFError) as exc:
            raise GuardError(f"部件 {info.filename} 无法读取（{exc}）", f"part {info.filename} cannot be read ({exc})") from exc
    try:
        return zlib.decompressobj(-15).decompress(comp[:1 << 16], n)
    except zlib.error as exc:
        raise GuardError(f"部件 {info.filename} 已损坏（{exc}）", f"part {info.filename} is damaged ({exc})") from exc


def verify_part(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, count: bytes | None = None) -> int:
    """Inflate a part in chunks (memory stays at a few MB) to prove it is no bigger than declared;
    return how often ``count`` occurs in it (shared strings: ``<si>``)."""
    comp = _raw_deflate(path, zf, info)
    seen = found = 0
    tail = b""
    if comp is None:
        data = inflate(path, zf, info)
        return data.count(count) if count else 0
    d = zlib.decompressobj(-15)
    view = memoryview(comp)
    pending = b""
    pos = 0
    try:
        while pos < len(view) or pending:
            if pending:
                chunk, pending = d.decompress(pending, _CHUNK), b""
            else:
                chunk = d.decompress(view[pos:pos + _CHUNK], _CHUNK)
                pos += _CHUNK
            pending = d.unconsumed_tail
            seen += len(chunk)
            if seen > info.file_size:
                raise _lie(info)
            if count:
                joined = tail + chunk
                found += joined.count(count)
                tail = joined[-(len(count) - 1):] if len(count) > 1 else b""
                found -= tail.count(count)
    except zlib.error as exc:
        raise GuardError(f"部件 {info.filename} 已损坏（{exc}）", f"part {info.filename} is damaged ({exc})") from exc
    return found + (tail.count(count) if count else 0)


def shared_strings_tag(data_prefix: bytes = b"") -> bytes:
    return b"<" + data_prefix + b"si>"


# ------------------------------------------------------------------------------------------ one sheet


@dataclass
class SheetScan:
    """Where a sheet's cells are and which of them are not plain values."""

    n_rows: int = 0                     # rows of the used range from row 1 (after far cells are cut)
    n_cols: int = 0
    special: dict[tuple[int, int], object] = field(default_factory=dict)   # error cells, formulas w/o result
    stray: list[tuple[int, int, str]] = field(default_factory=list)         # far cells cut out: (r, c, text)
    patched: bytes | None = None        # the XML without the far cells (None: unchanged)


_REF = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,7})")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c(?=[\s/>])([^>]*?)(/?)>")
_ROW_OR_CELL = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s/>])([^>]*)>")
_ATTR_R = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ATTR_T = re.compile(rb"""\st\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _sheet_data(data: bytes) -> tuple[int, int, bytes]:
    """(start, end, prefix) of the <sheetData> element's content."""
    m = re.search(rb"<(\w+:)?sheetData[\s/>]", data)
    if m is None:
        return 0, 0, b""
    prefix = m[1] or b""
    end = data.rfind(b"</" + prefix + b"sheetData")
    return m.end(), (end if end >= 0 else len(data)), prefix


def _positions_fast(seg: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, bool] | None:
    """(offsets, rows, cols) of every ``r="A1"`` cell reference, the largest row a ``<row r="N">``
    names, and whether any ``t="e"`` error cell is present; None when the XML holds anything this
    vectorised reading cannot vouch for (then the tag-by-tag reading decides)."""
    n = len(seg)
    eq = np.flatnonzero(seg == 61)                                   # every '='
    eq = eq[(eq >= 2) & (eq + 16 < n)]
    before, after = seg[eq - 1], seg[eq + 1]
    quoted = (after == 34) | (after == 39)
    ws = seg[eq - 2]
    ws = (ws == 32) | (ws == 9) | (ws == 10) | (ws == 13)
    errors = bool(((before == 116) & ws & quoted & (seg[eq + 2] == 101) & (seg[eq + 3] == after)).any())
    start = eq[(before == 114) & quoted & ws] + 2                    # a whole attribute named r

    def letter(b: np.ndarray) -> np.ndarray:
        return ((b >= 65) & (b <= 90)) | ((b >= 97) & (b <= 122))

    c0, c1, c2, c3 = seg[start], seg[start + 1], seg[start + 2], seg[start + 3]
    l0, l1, l2 = letter(c0), letter(c1), letter(c2)
    if (l0 & l1 & l2 & letter(c3)).any():
        return None
    n_letters = l0.astype(np.int64) + (l0 & l1) + (l0 & l1 & l2)
    v0, v1, v2 = ((c0 & 0xDF).astype(np.int64) - 64, (c1 & 0xDF).astype(np.int64) - 64,
                  (c2 & 0xDF).astype(np.int64) - 64)
    col = np.where(n_letters == 1, v0, np.where(n_letters == 2, v0 * 26 + v1, v0 * 676 + v1 * 26 + v2)) - 1
    row = np.zeros(len(start), np.int64)
    going = np.ones(len(start), bool)
    n_digits = np.zeros(len(start), np.int64)
    first_digit = start + n_letters
    for k in range(8):
        b = seg[first_digit + k].astype(np.int64) - 48
        d = (b >= 0) & (b <= 9) & going
        if not d.any():
            going[:] = False
            break
        row = row * np.where(d, 10, 1) + b * d
        n_digits += d
        going = d
    if going.any():
        return None                                                  # 8 digits or more
    if (seg[start + n_letters + n_digits] != seg[start - 1]).any() or (n_digits == 0).any():
        return None                                                  # r="A1 ", r="&#65;1", r="A"
    cells = n_letters > 0
    max_row_tag = int(row[~cells].max()) if (~cells).any() else 0
    return start[cells], row[cells] - 1, col[cells], max_row_tag, errors


def _positions_general(content: bytes) -> tuple[list[int], list[int], list[int]]:
    """Every cell's position tag by tag, as calamine places it: its r, else next to the previous."""
    offsets: list[int] = []
    rows: list[int] = []
    cols: list[int] = []
    row, col = -1, -1
    for m in _ROW_OR_CELL.finditer(content):
        attrs = m[2]
        ref_m = _ATTR_R.search(attrs)
        ref = unescape((ref_m[1] or ref_m[2] or b"").decode("utf-8", "replace")).strip().encode() if ref_m else b""
        if m[1] == b"row":
            row = int(ref) - 1 if ref.isdigit() else row + 1
            col = -1
            continue
        parsed = _REF.fullmatch(ref) if ref else None
        if parsed:
            row, col = int(parsed[2]) - 1, column_index(parsed[1].decode('ascii'))
        elif ref:
            raise GuardError(f"单元格引用“{ref.decode('utf-8', 'replace')[:20]}”无效", f"invalid cell reference “{ref.decode('utf-8', 'replace')[:20]}”")
        else:
            col += 1
        offsets.append(m.start())
        rows.append(row)
        cols.append(col)
    return offsets, rows, cols


def _count_cells(content: bytes, prefix: bytes) -> int:
    """Cell elements that may hold a value (``<c/>`` holds none; ``<c\n>`` without r takes the next
    column, so it cannot reach far)."""
    tag = b"<" + prefix + b"c"
    return content.count(tag + b" ") + content.count(tag + b">")


def scan_sheet(data: bytes, sheet: str, limits: ReadLimits) -> SheetScan:
    """The used range of a sheet's XML, its far stray cells (cut out) and its special cells."""
    begin, end, prefix = _sheet_data(data)
    content = data[begin:end]
    if not content.strip():
        return SheetScan()
    fast = _positions_fast(np.frombuffer(content, dtype=np.uint8))
    if fast is not None and len(fast[0]) == _count_cells(content, prefix):
        offsets, rows, cols, max_row_tag, errors = fast
        implicit = False
    else:
        o, r, c = _positions_general(content)
        offsets, rows, cols = np.asarray(o, np.int64), np.asarray(r, np.int64), np.asarray(c, np.int64)
        max_row_tag, errors, implicit = 0, True, True
    if not len(rows):
        return SheetScan()
    if max_row_tag > rows.max() + 1 + GAP_ROWS and not implicit:
        # <row r="1048576"> around a cell without r=: take the careful reading
        o, r, c = _positions_general(content)
        offsets, rows, cols = np.asarray(o, np.int64), np.asarray(r, np.int64), np.asarray(c, np.int64)
        implicit = True
    if rows.min() < 0 or cols.min() < 0 or rows.max() >= 1_048_576 or cols.max() >= 16_384:
        raise GuardError(f"工作表“{sheet}”有位置超出 Excel 范围的单元格", f"sheet “{sheet}” has a cell outside Excel's grid")
    scan = SheetScan(int(rows.max()) + 1, int(cols.max()) + 1)
    if scan.n_rows * scan.n_cols > min(CUT_MIN_CELLS, limits.max_cells):
        _cut_far_cells(scan, content, prefix, offsets, rows, cols, sheet, limits, implicit)
        if scan.stray:
            data = data[:begin] + _without(content, scan, prefix, offsets, rows, cols) + data[end:]
            scan.patched = _drop_dimension(data)
            content = scan.patched[begin:scan.patched.rfind(b"</" + prefix + b"sheetData")]
    _special_cells(content, prefix, scan, errors)
    return scan


def _core_extent(values: np.ndarray, gap: int) -> int:
    """The last index of the run that starts at the top/left, ended by the first gap over ``gap``."""
    uniq = np.unique(values)
    jumps = np.flatnonzero(np.diff(uniq) > gap)
    return int(uniq[jumps[0]]) if len(jumps) else int(uniq[-1])


def _cut_far_cells(scan: SheetScan, content: bytes, prefix: bytes, offsets: np.ndarray, rows: np.ndarray,
                   cols: np.ndarray, sheet: str, limits: ReadLimits, implicit: bool) -> None:
    """Cells beyond a gap of GAP_ROWS empty rows (GAP_COLS columns) are cut out of the XML and listed;
    a used range still over the cap, or too many far cells, refuses the sheet."""
    where = f"{column_letter(int(cols.max()))}{int(rows.max()) + 1}"
    too_big = GuardError(
        f"工作表“{sheet}”的数据区域过大（到 {where}，{scan.n_rows} 行 × {scan.n_cols} 列），超过 "
        f"{limits.max_cells:,} 个单元格的上限（METRICS_MAX_CELLS）；请删除远处的零散单元格或拆分表格",
        f"sheet “{sheet}” has a huge used range (up to {where}, {scan.n_rows} rows x {scan.n_cols} columns), over "
        f"the limit of {limits.max_cells:,} cells (METRICS_MAX_CELLS): delete far-away stray cells or split the table")
    last_row, last_col = _core_extent(rows, GAP_ROWS), _core_extent(cols, GAP_COLS)
    far = (rows > last_row) | (cols > last_col)
    if not far.any() or implicit:
        if scan.n_rows * scan.n_cols > limits.max_cells:
            raise too_big
        return
    if far.sum() > 20 * MAX_STRAY_CELLS:
        if scan.n_rows * scan.n_cols > limits.max_cells:
            raise too_big
        return
    strays = [(int(rows[i]), int(cols[i]), _cell_text(content, int(offsets[i]), prefix)) for i in np.flatnonzero(far)]
    valued = sum(1 for _, _, text in strays if text)
    if valued > MAX_STRAY_CELLS or (last_row + 1) * (last_col + 1) > limits.max_cells:
        if scan.n_rows * scan.n_cols > limits.max_cells or valued > MAX_STRAY_CELLS:
            raise too_big
        return
    scan.stray = strays
    near = ~far
    scan.n_rows = int(rows[near].max()) + 1 if near.any() else 0
    scan.n_cols = int(cols[near].max()) + 1 if near.any() else 0


def _cell_span(content: bytes, offset: int, prefix: bytes) -> tuple[int, int]:
    """Byte span of the <c> element whose r= attribute is at ``offset``."""
    start = content.rfind(b"<", 0, offset)
    close = content.find(b">", offset)
    if close < 0:
        return start, len(content)
    if content[close - 1:close] == b"/":
        return start, close + 1
    end_tag = b"</" + prefix + b"c>"
    end = content.find(end_tag, close)
    return start, (end + len(end_tag)) if end >= 0 else close + 1


def _cell_text(content: bytes, offset: int, prefix: bytes) -> str:
    start, end = _cell_span(content, offset, prefix)
    inner = re.sub(rb"<[^>]*>", b"", content[start:end])
    return unescape(inner.decode("utf-8", "replace")).strip()[:50]


def _without(content: bytes, scan: SheetScan, prefix: bytes, offsets: np.ndarray, rows: np.ndarray,
             cols: np.ndarray) -> bytes:
    far = {(r, c) for r, c, _ in scan.stray}
    spans = sorted(_cell_span(content, int(offsets[i]), prefix) for i in range(len(offsets))
                   if (int(rows[i]), int(cols[i])) in far)
    out, pos = [], 0
    for start, end in spans:
        out.append(content[pos:start])
        pos = end
    out.append(content[pos:])
    return b"".join(out)


def _drop_dimension(data: bytes) -> bytes:
    return re.sub(rb"<(?:\w+:)?dimension\b[^>]*/>", b"", data, count=1)


def _special_cells(content: bytes, prefix: bytes, scan: SheetScan, errors: bool) -> None:
    """Error cells (t="e") and formulas without a cached result: calamine reads both as blank.

    Only the cells around a ``t="e"`` or an ``<f`` are looked at, so a sheet without formulas costs
    two ``bytes.find`` calls."""
    f_tag = b"<" + prefix + b"f"
    marks = [m.start() for m in re.finditer(rb"""\st=["']e["']""", content)] if errors else []
    if b"</" + prefix + b"f>" in content or f_tag + b" " in content:
        marks += [m.start() for m in re.finditer(re.escape(f_tag) + rb"[\s/>]", content)]
    if not marks:
        return
    c_tag = b"<" + prefix + b"c"
    end_tag = b"</" + prefix + b"c>"
    done: set[int] = set()
    for pos in sorted(marks):
        start = max(content.rfind(c_tag + b" ", 0, pos + 1), content.rfind(c_tag + b">", 0, pos + 1))
        if start < 0 or start in done:
            continue
        done.add(start)
        m = _CELL_TAG.match(content, start)
        if m is None or m[2] == b"/":
            continue
        close = content.find(end_tag, m.end())
        inner = content[m.end():close if close >= 0 else len(content)]
        _special_cell(m[1], inner, prefix, scan)


def _special_cell(attrs: bytes, inner: bytes, prefix: bytes, scan: SheetScan) -> None:
    t = _ATTR_T.search(attrs)
    kind = (t[1] or t[2]) if t else b"n"
    ref = _ATTR_R.search(attrs)
    parsed = _REF.fullmatch(ref[1] or ref[2]) if ref else None
    if parsed is None:
        return
    where = (int(parsed[2]) - 1, column_index(parsed[1].decode('ascii')))
    value = _element_text(inner, prefix + b"v")
    if kind == b"e":
        scan.special[where] = CellError(value or "#VALUE!")
        return
    if b"<" + prefix + b"f" not in inner or value is not None:
        return
    # a text formula may have cached an empty string (<v></v>); no <v> at all is no result
    if kind in (b"str", b"inlineStr") and b"<" + prefix + b"v" in inner:
        return
    formula = _element_text(inner, prefix + b"f")
    scan.special[where] = UncachedFormula("=" + (formula or "…"))


def _element_text(inner: bytes, tag: bytes) -> str | None:
    """The text of the first <tag>…</tag> in a cell; None when absent or empty."""
    m = re.search(b"<" + re.escape(tag) + rb"(?:\s[^>]*)?>([^<]*)</" + re.escape(tag) + b">", inner)
    if m is None or not m[1].strip():
        return None
    return unescape(m[1].decode("utf-8", "replace"))


# ------------------------------------------------------------------------------------------ a patched copy


def patched_package(zf: zipfile.ZipFile, replacements: dict[str, bytes]) -> bytes:
    """The workbook with some parts replaced (far cells cut out), for calamine to read from memory."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in zf.infolist():
            data = replacements.get(info.filename)
            if data is None:
                data = zf.read(info)
            dst.writestr(info.filename, data)
    return out.getvalue()
