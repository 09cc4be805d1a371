"""Hostile and broken files, built on demand: the attack set the importer must refuse within bounds.

Each builder writes one file into a folder and returns its path; ``ATTACKS`` maps a short name to
(builder, what must happen). Used by tests/test_attacks.py and bench/bench_attacks.py.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl

CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
      'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
      '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
      'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
      'spreadsheetml.sharedStrings+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
      'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="数据" '
      'sheetId="1" r:id="rId1"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
           '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
           'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
           'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
           '</Relationships>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              'spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = "</sheetData></worksheet>"
SST_EMPTY = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
             '2006/main" count="0" uniqueCount="0"></sst>')


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


LONG_ROWS = ('<row r="1">' + _inline("A1", "期间") + _inline("B1", "单位") + _inline("C1", "指标")
             + _inline("D1", "完成值") + '</row><row r="2">' + _inline("A2", "2021Q3") + _inline("B2", "衡阳县")
             + _inline("C2", "地区生产总值") + '<c r="D2"><v>12.5</v></c></row>')


def package(path: Path, sheet: str | bytes, shared: str | bytes = SST_EMPTY, workbook: str = WB,
            extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr("xl/sharedStrings.xml", shared)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def stray_far_cell(folder: Path) -> Path:
    """A valid long template plus one cell at XFD1048576 (calamine alone would ask for 512 GB)."""
    sheet = SHEET_HEAD + LONG_ROWS + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>' + SHEET_TAIL
    return package(folder / "stray_XFD1048576.xlsx", sheet)


def stray_in_figure_column(folder: Path) -> Path:
    """A far cell in the 完成值 column: its value would be stored, so the file is refused."""
    sheet = SHEET_HEAD + LONG_ROWS + '<row r="1048576"><c r="D1048576"><v>99</v></c></row>' + SHEET_TAIL
    return package(folder / "stray_D1048576.xlsx", sheet)


def lying_dimension(folder: Path) -> Path:
    sheet = SHEET_HEAD.replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>') + LONG_ROWS + SHEET_TAIL
    return package(folder / "dimension_XFD1048576.xlsx", sheet)


def _repeated_deflate(head: bytes, block: bytes, times: int, tail: bytes) -> tuple[bytes, int, int]:
    """(deflate stream, size, crc) of head + block * times + tail, built in milliseconds: after a full
    flush the compressor starts afresh, so every copy of the block compresses to the same bytes."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH)
    packed = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    last = comp.compress(tail) + comp.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    return first + packed * times + last, len(head) + len(block) * times + len(tail), crc


def _raw_member_zip(path: Path, members: list[tuple[str, bytes, int, int, int]]) -> Path:
    """A zip written by hand: (name, deflated data, declared uncompressed size, crc, real size)."""
    local, central = bytearray(), bytearray()
    for name, data, declared, crc, _ in members:
        raw_name = name.encode()
        offset = len(local)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), declared, len(raw_name), 0)
        local += raw_name + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), declared,
                               len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0)
    path.write_bytes(bytes(local + central + end))
    return path


def _small(name: str, text: str) -> tuple[str, bytes, int, int, int]:
    raw = text.encode()
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    data = comp.compress(raw) + comp.flush()
    return name, data, len(raw), zlib.crc32(raw), len(raw)


_ROWS_BLOCK = b'<row r="3"><c r="E3"><v>1</v></c></row>' * 25_000      # ~1 MB


def _bomb_rows(megabytes: int) -> tuple[bytes, int, int]:
    return _repeated_deflate(SHEET_HEAD.encode() + LONG_ROWS.encode(), _ROWS_BLOCK,
                             megabytes * (1 << 20) // len(_ROWS_BLOCK), SHEET_TAIL.encode())


def zip_bomb(folder: Path) -> Path:
    """A sheet that inflates to 1 GB from about 1 MB, declared honestly in the zip directory."""
    data, size, crc = _bomb_rows(1024)
    members = [_small("[Content_Types].xml", CT), _small("_rels/.rels", RELS), _small("xl/workbook.xml", WB),
               _small("xl/_rels/workbook.xml.rels", WB_RELS), _small("xl/sharedStrings.xml", SST_EMPTY),
               ("xl/worksheets/sheet1.xml", data, size, crc, size)]
    return _raw_member_zip(folder / "zip_bomb_1GB.xlsx", members)


def zip_bomb_lying(folder: Path) -> Path:
    """The same kind of sheet (300 MB inflated) declaring 10 KB in the zip directory."""
    data, size, crc = _bomb_rows(300)
    members = [_small("[Content_Types].xml", CT), _small("_rels/.rels", RELS), _small("xl/workbook.xml", WB),
               _small("xl/_rels/workbook.xml.rels", WB_RELS), _small("xl/sharedStrings.xml", SST_EMPTY),
               ("xl/worksheets/sheet1.xml", data, 10_240, crc, size)]
    return _raw_member_zip(folder / "zip_bomb_lying_size.xlsx", members)


def overlapping_bomb(folder: Path) -> Path:
    """Many directory entries sharing one compressed kernel (Fifield's non-recursive zip bomb)."""
    data, size, crc = _bomb_rows(20)
    head = [_small("[Content_Types].xml", CT), _small("_rels/.rels", RELS), _small("xl/workbook.xml", WB),
            _small("xl/_rels/workbook.xml.rels", WB_RELS), _small("xl/sharedStrings.xml", SST_EMPTY)]
    members = head + [(f"xl/worksheets/sheet{i}.xml", data, size, crc, size) for i in range(1, 40)]
    return _raw_member_zip(folder / "zip_overlapping_kernel.xlsx", members)


def huge_shared_strings(folder: Path) -> Path:
    """Six million shared strings (about 110 MB inflated): each would be a string in memory."""
    data, size, crc = _repeated_deflate(SST_EMPTY.replace("</sst>", "").encode(), b"<si><t>a</t></si>" * 100_000,
                                        60, b"</sst>")
    members = [_small("[Content_Types].xml", CT), _small("_rels/.rels", RELS), _small("xl/workbook.xml", WB),
               _small("xl/_rels/workbook.xml.rels", WB_RELS), ("xl/sharedStrings.xml", data, size, crc, size),
               _small("xl/worksheets/sheet1.xml", SHEET_HEAD + LONG_ROWS + SHEET_TAIL)]
    return _raw_member_zip(folder / "shared_strings_6M.xlsx", members)


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + "]>")


def billion_laughs_xlsx(folder: Path) -> Path:
    shared = LAUGHS + SST_EMPTY.split("?>", 1)[1].replace("</sst>", "<si><t>&lol9;</t></si></sst>")
    return package(folder / "billion_laughs.xlsx", SHEET_HEAD + LONG_ROWS + SHEET_TAIL, shared=shared)


def billion_laughs_xml2003(folder: Path) -> Path:
    text = (LAUGHS + '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-'
            'microsoft-com:office:spreadsheet"><Worksheet ss:Name="s"><Table><Row><Cell><Data ss:Type="String">'
            "&lol9;</Data></Cell></Row></Table></Worksheet></Workbook>")
    path = folder / "billion_laughs_2003.xls"
    path.write_text(text, encoding="utf-8")
    return path


def deep_nesting(folder: Path) -> Path:
    """A sheet whose one cell holds 200,000 nested elements."""
    depth = 200_000
    sheet = (SHEET_HEAD + LONG_ROWS + '<row r="3"><c r="A3" t="inlineStr"><is>' + "<r>" * depth + "</r>" * depth
             + "</is></c></row>" + SHEET_TAIL)
    return package(folder / "deep_nesting.xlsx", sheet)


def deep_nesting_workbook(folder: Path) -> Path:
    depth = 200_000
    workbook = WB.replace("<sheets>", "<x>" * depth + "</x>" * depth + "<sheets>")
    return package(folder / "deep_nesting_workbook.xlsx", SHEET_HEAD + LONG_ROWS + SHEET_TAIL, workbook=workbook)


def malformed_zip(folder: Path) -> Path:
    good = package(folder / "_good.xlsx", SHEET_HEAD + LONG_ROWS + SHEET_TAIL).read_bytes()
    path = folder / "malformed_zip.xlsx"
    path.write_bytes(good[: len(good) // 2] + b"\x00" * 64 + good[-22:])  # cut in the middle, directory kept
    (folder / "_good.xlsx").unlink()
    return path


def truncated_zip(folder: Path) -> Path:
    good = package(folder / "_good2.xlsx", SHEET_HEAD + LONG_ROWS + SHEET_TAIL).read_bytes()
    path = folder / "truncated_zip.xlsx"
    path.write_bytes(good[:300])
    (folder / "_good2.xlsx").unlink()
    return path


def many_parts(folder: Path) -> Path:
    return package(folder / "parts_20000.xlsx", SHEET_HEAD + LONG_ROWS + SHEET_TAIL,
                   extra={f"xl/media/p{i}.bin": b"" for i in range(20_000)})


def html_span_bomb(folder: Path) -> Path:
    cells = '<td rowspan="1000" colspan="1000">x</td>' * 50
    path = folder / "html_span_bomb.xls"
    path.write_text(f"<html><body><table><tr>{cells}</tr></table></body></html>", encoding="utf-8")
    return path


def csv_wide(folder: Path) -> Path:
    path = folder / "csv_6M_columns.csv"
    path.write_bytes(b"\xe6\x9c\x9f\xe9\x97\xb4," * 10 + b"," * 6_000_000 + b"\n")
    return path


def xls_stray(folder: Path) -> Path:
    """An .xls with a cell at IV65536 (calamine and xlrd both build 16.7M cells)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("数据")
    for c, text in enumerate(["期间", "单位", "指标", "完成值"]):
        ws.write(0, c, text)
    ws.write(65535, 255, 1)
    path = folder / "xls_stray_IV65536.xls"
    book.save(str(path))
    return path


def encrypted(path: Path, password: str) -> Path:
    """An .xlsx encrypted the way Excel does (ECMA-376 agile encryption) with ``password``."""
    import io

    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with path.open("rb") as fh:
        OOXMLFile(fh).encrypt(password, out)
    path.write_bytes(out.getvalue())
    return path


def password_protected(folder: Path) -> Path:
    """Encrypted with a real password (not Excel's default): refused, saying so."""
    path = folder / "password.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    wb.save(path)
    return encrypted(path, "s3cret")


def not_a_workbook(folder: Path) -> Path:
    path = folder / "random.xlsx"
    path.write_bytes(bytes(range(256)) * 64)
    return path


#: name -> (builder, expected): "refused" (a located refusal, the store unchanged) or "read" (read within
#: bounds and imported: a stray cell is cut out and listed, deep nesting is parsed without recursion)
ATTACKS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "stray cell at XFD1048576": (stray_far_cell, "read"),
    "stray cell in a figure column": (stray_in_figure_column, "refused"),
    "dimension claiming XFD1048576": (lying_dimension, "read"),
    "zip bomb (1 GB sheet)": (zip_bomb, "refused"),
    "zip bomb lying about its size": (zip_bomb_lying, "refused"),
    "overlapping-kernel zip bomb": (overlapping_bomb, "refused"),
    "6M shared strings": (huge_shared_strings, "refused"),
    "billion laughs (xlsx)": (billion_laughs_xlsx, "refused"),
    "billion laughs (XML 2003)": (billion_laughs_xml2003, "refused"),
    "deep nesting in a cell": (deep_nesting, "read"),
    "deep nesting in workbook.xml": (deep_nesting_workbook, "read"),
    "malformed zip": (malformed_zip, "refused"),
    "truncated zip": (truncated_zip, "refused"),
    "20,000 parts": (many_parts, "refused"),
    "HTML rowspan/colspan bomb": (html_span_bomb, "refused"),
    "CSV of 6M columns": (csv_wide, "refused"),
    ".xls stray cell at IV65536": (xls_stray, "refused"),
    "password-protected workbook": (password_protected, "refused"),
    "random bytes named .xlsx": (not_a_workbook, "refused"),
}
