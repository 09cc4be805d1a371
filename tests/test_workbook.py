"""Raw grids: values, Excel row/column mapping, merged cells, hidden rows/cols/sheets, % formats, CSV."""

from __future__ import annotations

import datetime as dt
import gc
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwt

from metrics.sheets import xlsx as wbmod
from metrics.sheets.limits import ReadLimits
from metrics.sheets.workbook import Grid, WorkbookError, column_index, column_letter, read_file
from metrics.text import UncachedFormula

REAL = Path(__file__).resolve().parents[2] / "shared" / "real" / "shaoyang"
CARD_9 = REAL / "2025年9月月报卡.xlsx"
CARD_3 = REAL / "2025年3月月报卡.xlsx"


# ---------------------------------------------------------------------------------------------- fixtures


@pytest.fixture
def xlsx(tmp_path: Path) -> Path:
    """A table starting at C3, plus every formatting fact the readers rely on."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws["C3"], ws["D3"], ws["E3"], ws["F3"] = "期间", "完成值", "增速", "备注"
    ws["C4"] = dt.datetime(2022, 6, 30)
    ws["C4"].number_format = "yyyy年m月"
    ws["D4"] = 42
    ws["E4"] = 0.075
    ws["E4"].number_format = "0.00%"  # builtin 10
    ws["C5"] = dt.datetime(2022, 6, 1, 8, 30)
    ws["D5"] = 1234.5
    ws["E5"] = 0.0525
    ws["E5"].number_format = "0.0%"  # custom format
    ws["F5"] = "=1/0"  # a formula without a cached value
    ws["C6"] = "2022Q3"
    ws["D6"] = True
    ws["E6"] = "n/a"
    ws["E6"].number_format = "0%"  # percent style on text: not a percent cell
    ws["F6"] = "  带空格  "
    ws["D7"] = 7.5
    ws["D7"].number_format = '0.0"%"'  # a literal percent sign: shown 7.5%, stored 7.5
    ws["E7"] = 0.5
    ws["E7"].number_format = "0.0\\%"  # escaped: literal too
    ws.merge_cells("C9:F9")
    ws["C9"] = "注：数据来源统计局"
    ws.merge_cells("H3:H5")
    ws["H3"] = "纵向合并"
    ws.row_dimensions[6].hidden = True
    ws.column_dimensions["F"].hidden = True

    hidden = wb.create_sheet("旧表")
    hidden["A1"] = "过期"
    hidden.sheet_state = "hidden"
    very = wb.create_sheet("辅助")
    very["B2"] = 1
    very.sheet_state = "veryHidden"
    wb.create_sheet("空表")
    path = tmp_path / "报表.xlsx"
    wb.save(path)
    return path


@pytest.fixture
def xls(tmp_path: Path) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("表1")
    ws.write(0, 0, "2021年1-9月各县市区主要指标完成情况")
    ws.write_merge(1, 1, 1, 3, "地区生产总值")
    ws.write(2, 0, "单位")
    ws.write(2, 1, "目标")
    ws.write(2, 2, "完成")
    ws.write(2, 3, "增速")
    ws.write(3, 0, "衡阳县")
    ws.write(3, 1, 42)
    ws.write(3, 2, 38.5)
    ws.write(3, 3, 0.075, xlwt.easyxf(num_format_str="0.0%"))
    ws.write(4, 0, "衡南县")
    ws.write(4, 1, 40)
    ws.write(4, 2, 41.25)
    ws.write(4, 3, 0.1, xlwt.easyxf(num_format_str="0%"))  # builtin 9
    ws.write(5, 0, "辅助")
    ws.write(5, 2, 999)
    ws.write(6, 0, dt.datetime(2022, 6, 30), xlwt.easyxf(num_format_str="yyyy-mm-dd"))
    ws.write(6, 1, 7.5, xlwt.easyxf(num_format_str='0.0"%"'))
    ws.row(5).hidden = True
    ws.col(4).hidden = True
    ws.write(3, 4, "隐藏列")
    old = book.add_sheet("旧表")
    old.write(0, 0, "过期")
    old.visibility = 1
    path = tmp_path / "报表.xls"
    book.save(str(path))
    return path


def _one(path: Path, **kw: object) -> Grid:
    grids = read_file(path, **kw)
    assert len(grids) == 1
    return grids[0]


# ---------------------------------------------------------------------------------------------- columns


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (2, "C"), (25, "Z"), (26, "AA"), (27, "AB"),
                                                 (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA"),
                                                 (16383, "XFD")])
def test_column_letter_and_back(index: int, letters: str) -> None:
    assert column_letter(index) == letters
    assert column_index(letters) == index
    assert column_index(letters.lower()) == index


def test_column_letter_rejects_negative() -> None:
    with pytest.raises(ValueError):
        column_letter(-1)
    with pytest.raises(ValueError):
        column_index("A1")


def test_location_is_excel_notation() -> None:
    g = Grid(file="f.xlsx", sheet="s", rows=[[None] * 30 for _ in range(12)])
    assert g.location(11, 2) == "C12"
    assert g.location(0, 0) == "A1"
    assert g.location(0, 26) == "AA1"


# ---------------------------------------------------------------------------------------------- xlsx


def test_xlsx_sheets_in_order_with_visibility(xlsx: Path) -> None:
    grids = read_file(xlsx)
    assert [(g.sheet, g.visible) for g in grids] == [("数据", True), ("旧表", False), ("辅助", False), ("空表", True)]
    assert all(g.file == "报表.xlsx" for g in grids)
    empty = grids[3]
    assert empty.rows == [] and empty.n_rows == 0 and empty.n_cols == 0


def test_xlsx_indices_are_excel_rows_and_columns(xlsx: Path) -> None:
    g = read_file(xlsx)[0]
    # leading empty rows and columns are kept: C3 is rows[2][2]
    assert g.rows[0] == [None] * g.n_cols
    assert g.rows[2][2] == "期间" and g.location(2, 2) == "C3"
    assert g.rows[3][3] == 42.0 and g.location(3, 3) == "D4"
    assert all(len(row) == g.n_cols for row in g.rows)  # rectangle
    assert g.n_rows == 9 and g.n_cols == 8  # up to C9 (merged note) and H (merged column)
    # the hidden sheet with a value at B2 keeps its offset too
    assert read_file(xlsx)[2].rows == [[None, None], [None, 1.0]]


def test_xlsx_cell_types(xlsx: Path) -> None:
    g = read_file(xlsx)[0]
    assert g.rows[3][2] == dt.date(2022, 6, 30) and type(g.rows[3][2]) is dt.date  # midnight -> date
    assert g.rows[4][2] == dt.datetime(2022, 6, 1, 8, 30)
    assert g.rows[3][3] == 42.0 and type(g.rows[3][3]) is float  # xlsx numbers are floats
    assert g.rows[5][3] is True
    assert g.rows[5][5] == "  带空格  "  # text untouched
    assert isinstance(g.rows[4][5], UncachedFormula) and g.rows[4][5] == "=1/0"  # formula without cached value
    assert g.rows[3][5] is None  # never written
    assert g.rows[6][2] is None


def test_xlsx_merged_ranges_and_cell(xlsx: Path) -> None:
    g = read_file(xlsx)[0]
    assert sorted(g.merged) == [(2, 7, 4, 7), (8, 2, 8, 5)]
    assert g.cell(8, 4) == "注：数据来源统计局"  # covered cell -> top-left value
    assert g.rows[8][4] is None  # the raw grid keeps it empty
    assert g.cell(4, 7) == "纵向合并"
    assert g.cell(3, 3) == 42.0
    assert g.cell(100, 100) is None and g.cell(-1, 0) is None


def test_xlsx_hidden_rows_and_columns(xlsx: Path) -> None:
    g = read_file(xlsx)[0]
    assert g.hidden_rows == frozenset({5})  # Excel row 6
    assert g.hidden_cols == frozenset({5})  # column F


def test_xlsx_percent_cells(xlsx: Path) -> None:
    g = read_file(xlsx)[0]
    # 0.075 as 0.00% (builtin 10) and 0.0525 as 0.0% (custom); not the text, not literal "%" formats
    assert g.percent_cells == frozenset({(3, 4), (4, 4)})
    assert g.is_percent(3, 4) and not g.is_percent(6, 3)
    assert g.rows[3][4] == 0.075


def test_display_name_names_grids_and_picks_extension(xlsx: Path, tmp_path: Path) -> None:
    upload = tmp_path / "upload_7f3a.bin"
    upload.write_bytes(xlsx.read_bytes())
    g = read_file(upload, display_name="C:\\Users\\科员\\衡阳 报表.xlsx")[0]
    assert g.file == "C:\\Users\\科员\\衡阳 报表.xlsx"  # shown as given; the extension from its last part
    assert g.rows[2][2] == "期间"


def test_xlsx_bytes_named_xls_are_read(xlsx: Path, tmp_path: Path) -> None:
    wps = tmp_path / "WPS导出.xls"
    wps.write_bytes(xlsx.read_bytes())
    g = read_file(wps)[0]
    assert g.file == "WPS导出.xls"
    assert g.rows[3][4] == 0.075 and g.percent_cells == frozenset({(3, 4), (4, 4)})
    assert g.hidden_rows == frozenset({5})


def test_gc_state_is_restored(xlsx: Path) -> None:
    assert gc.isenabled()
    read_file(xlsx)
    assert gc.isenabled()
    gc.disable()
    try:
        read_file(xlsx)
        assert not gc.isenabled()
    finally:
        gc.enable()


# a hand-written package: namespace prefixes, single quotes, rows and cells without r=, s= before r=,
# an absolute relationship target, a literal "%" format and a colour-prefixed percent format
_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
       'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
       'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
       'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="'
       'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/'
       'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
       '<x:sheets><x:sheet name="手写" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship '
            'Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/></Relationships>')
_STYLES = ('<?xml version="1.0" encoding="UTF-8"?><x:styleSheet xmlns:x="http://schemas.openxmlformats.org/'
           'spreadsheetml/2006/main"><x:numFmts count="2"><x:numFmt numFmtId="164" formatCode="0.0&quot;%&quot;"/>'
           '<x:numFmt numFmtId="165" formatCode="[Red]0.00%;\\-0.00%"/></x:numFmts><x:cellXfs count="4">'
           '<x:xf numFmtId="0"/><x:xf numFmtId="9"/><x:xf numFmtId="164"/><x:xf numFmtId="165"><x:alignment/>'
           '</x:xf></x:cellXfs></x:styleSheet>')


def _hand_sheet(sheet_format: str = "") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/'
            f"spreadsheetml/2006/main\"><x:sheetFormatPr defaultRowHeight='15' {sheet_format}/><x:cols>"
            "<x:col min='2' max='3' hidden='true'/><x:col min='4' max='16384' hidden='1'/></x:cols><x:sheetData>\n"
            "<x:row><x:c t='inlineStr'><x:is><x:t>a</x:t></x:is></x:c><x:c s='1'><x:v>0.5</x:v></x:c></x:row>\n"
            "<x:row hidden='1'><x:c s='2'><x:v>7</x:v></x:c><x:c s='3'><x:v>0.25</x:v></x:c></x:row>\n"
            "<x:row spans='1:3' r='5'><x:c s='3' r='C5'><x:v>0.125</x:v></x:c></x:row>\n"
            "</x:sheetData></x:worksheet>")


def _write_package(path: Path, sheet_xml: str, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/styles.xml", _STYLES)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_unusual_xml_takes_the_general_path(tmp_path: Path, compression: int) -> None:
    g = _one(_write_package(tmp_path / "hand.xlsx", _hand_sheet(), compression))
    assert g.sheet == "手写"
    assert g.rows == [["a", 0.5, None], [7.0, 0.25, None], [None] * 3, [None] * 3, [None, None, 0.125]]
    assert g.hidden_rows == frozenset({1})
    assert g.hidden_cols == frozenset({1, 2})  # D..XFD are clipped to the grid's 3 columns
    # builtin 9 at B1, [Red]0.00% at B2 and C5; 0.0"%" at A2 is a literal sign
    assert g.percent_cells == frozenset({(0, 1), (1, 1), (4, 2)})


def test_zero_height_hides_rows_not_listed(tmp_path: Path) -> None:
    g = _one(_write_package(tmp_path / "zh.xlsx", _hand_sheet("zeroHeight='1'")))
    # rows 1 and 5 are written and not hidden; 2 is hidden; 3 and 4 take the default (zero height)
    assert g.hidden_rows == frozenset({1, 2, 3})


def test_fast_and_general_scans_agree(tmp_path: Path) -> None:
    """The byte scan must find exactly what the tag-by-tag scan finds on ordinary writer output."""
    wb = openpyxl.Workbook()
    ws = wb.active
    rnd = random.Random(7)
    for r in range(1, 400):
        for c in range(1, 7):
            cell = ws.cell(r, c, rnd.choice([rnd.random(), "文本", None, 3]))
            if rnd.random() < 0.2:
                cell.number_format = rnd.choice(["0%", "0.00%", "0.0%", '0.0"%"', "#,##0.00"])
        if rnd.random() < 0.05:
            ws.row_dimensions[r].hidden = True
    ws.column_dimensions["D"].hidden = True
    path = tmp_path / "mix.xlsx"
    wb.save(path)
    parts = wbmod._XlsxParts(path, ReadLimits())
    try:
        data = parts.sheet_bytes("Sheet")
        fast = wbmod._scan_sheet_fast(data, 399, 6, parts.percent_styles)
        general = wbmod._scan_sheet_general(data, 399, 6, parts.percent_styles)
    finally:
        parts.close()
    assert fast.hidden_rows == general.hidden_rows and fast.hidden_rows
    assert fast.hidden_cols == general.hidden_cols == frozenset({3})
    assert sorted(fast.percent_cells) == sorted(general.percent_cells) and fast.percent_cells

    g = _one(path)
    reference = openpyxl.load_workbook(path).active
    expected = {(c.row - 1, c.column - 1) for row in reference.iter_rows() for c in row
                if type(c.value) in (int, float) and wbmod._is_percent_format(c.number_format)}
    assert g.percent_cells == expected


@pytest.mark.parametrize(("code", "percent"), [
    ("0%", True), ("0.00%", True), ("0.0%;[Red]-0.0%", True), ("[Red]0.00%", True), ("#,##0.0%", True),
    ('0.0"%"', False), ("0.0\\%", False), ("0.0_%", False), ("0*%", False), ("General", False),
    ("[$-804]yyyy年m月", False), ('"增长"0.0"%"', False), ("", False),
])
def test_percent_format_codes(code: str, percent: bool) -> None:
    assert wbmod._is_percent_format(code) is percent


def test_stray_far_cell_is_cut_out_and_listed(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = 1
    wb.active["B2"] = "表"
    wb.active["Z5000"] = 2
    path = tmp_path / "stray.xlsx"
    wb.save(path)
    g = _one(path, limits=ReadLimits(max_cells=10_000))
    assert g.rows == [[1.0, None], [None, "表"]]
    assert g.stray_cells == [(4999, 25, "2")]


def test_a_table_over_the_cell_cap_is_refused_before_reading(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    for r in range(1, 200):
        wb.active.cell(r, 1, r)
        wb.active.cell(r, 60, r)
    path = tmp_path / "big.xlsx"
    wb.save(path)
    with pytest.raises(WorkbookError) as e:
        read_file(path, limits=ReadLimits(max_cells=10_000))
    assert "BH199" in e.value.message_zh and "METRICS_MAX_CELLS" in e.value.message_en


# ---------------------------------------------------------------------------------------------- xls


def test_xls_values_and_types(xls: Path) -> None:
    grids = read_file(xls)
    assert [(g.sheet, g.visible) for g in grids] == [("表1", True), ("旧表", False)]
    g = grids[0]
    assert g.file == "报表.xls"
    assert g.rows[0][0] == "2021年1-9月各县市区主要指标完成情况"
    assert g.rows[3][:4] == ["衡阳县", 42, 38.5, 0.075]
    assert type(g.rows[3][1]) is int  # xls integers stay int (xlsx gives 42.0)
    assert g.rows[6][0] == dt.date(2022, 6, 30)
    assert g.rows[5][1] is None
    assert all(len(row) == g.n_cols == 5 for row in g.rows)


def test_xls_merged_hidden_percent(xls: Path) -> None:
    g = read_file(xls)[0]
    assert g.merged == [(1, 1, 1, 3)]
    assert g.cell(1, 3) == "地区生产总值"
    assert g.hidden_rows == frozenset({5})
    assert g.hidden_cols == frozenset({4})
    assert g.percent_cells == frozenset({(3, 3), (4, 3)})  # 0.0% and builtin 0%; not 0.0"%"


def test_xls_bytes_named_xlsx_are_read(xls: Path, tmp_path: Path) -> None:
    odd = tmp_path / "改了扩展名.xlsx"
    odd.write_bytes(xls.read_bytes())
    g = read_file(odd)[0]
    assert g.rows[3][1] == 42 and g.hidden_rows == frozenset({5})


def test_html_saved_as_xls(tmp_path: Path) -> None:
    html = """<html><head><meta charset="utf-8"></head><body>
    <table border=1>
      <tr><th rowspan="2">单位</th><th colspan="2">地区生产总值</th></tr>
      <tr><th>目标</th><th>完成</th></tr>
      <tr><td>衡阳县</td><td>1,234.5</td><td>85.3%</td></tr>
      <tr><td>衡南&nbsp;县</td><td></td><td>90<br>备注</td></tr>
    </table></body></html>"""
    path = tmp_path / "系统导出.xls"
    path.write_bytes(html.encode("gb18030"))
    g = _one(path)
    assert g.sheet == "系统导出"
    assert g.rows == [["单位", "地区生产总值", None], [None, "目标", "完成"], ["衡阳县", "1,234.5", "85.3%"],
                      ["衡南 县", None, "90\n备注"]]  # whitespace collapsed as a browser shows it
    assert sorted(g.merged) == [(0, 0, 1, 0), (0, 1, 0, 2)]
    assert g.cell(1, 0) == "单位"


# ---------------------------------------------------------------------------------------------- csv

_CSV_TEXT = '期间,单位,指标,目标值,完成值,备注\r\n2021Q3,衡阳县,地区生产总值,"1,234.5",85.3%,\r\n2021Q3,衡南县,GDP增速,7.5,,"两行\r\n备注"\r\n'


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(_CSV_TEXT.encode(encoding))
    g = _one(path)
    assert g.sheet == "" and g.file == f"{encoding}.csv" and g.visible
    assert g.rows == [
        ["期间", "单位", "指标", "目标值", "完成值", "备注"],
        ["2021Q3", "衡阳县", "地区生产总值", "1,234.5", "85.3%", None],
        ["2021Q3", "衡南县", "GDP增速", "7.5", None, "两行\r\n备注"],
    ]
    assert g.merged == [] and not g.hidden_rows and not g.percent_cells


def test_csv_gb18030_beyond_gbk(tmp_path: Path) -> None:
    path = tmp_path / "ext.csv"
    path.write_bytes("单位,备注\n衡阳县,𠀀字\n".encode("gb18030"))
    assert _one(path).rows == [["单位", "备注"], ["衡阳县", "𠀀字"]]


def test_csv_ragged_rows_padded_blank_lines_kept(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,c\n1\n\n2,3\n\n\n", encoding="utf-8")
    g = _one(path)
    assert g.rows == [["a", "b", "c"], ["1", None, None], [None] * 3, ["2", "3", None]]
    assert g.location(3, 1) == "B4"


def test_csv_utf16_tab_separated(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("单位\t完成值\n衡阳县\t12.5\n".encode("utf-16"))
    assert _one(path).rows == [["单位", "完成值"], ["衡阳县", "12.5"]]


def test_csv_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert _one(path).rows == []


# ---------------------------------------------------------------------------------------------- errors


def _garbage(seed: int = 3, n: int = 4096) -> bytes:
    rnd = random.Random(seed)
    return bytes(rnd.randrange(256) for _ in range(n))


@pytest.mark.parametrize("name", ["乱码.csv", "乱码.xlsx", "乱码.xls", "乱码.pdf"])
def test_garbage_is_a_workbook_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(_garbage())
    with pytest.raises(WorkbookError) as e:
        read_file(path)
    err = e.value
    assert err.file == name
    assert err.message_zh and err.message_en
    assert name in str(err)
    if name.endswith(".csv"):
        assert "gb18030" in err.message_en and "utf-8" in err.message_zh


def test_undecodable_csv_names_encodings(tmp_path: Path) -> None:
    path = tmp_path / "坏.csv"
    path.write_bytes(b"\xe5\x8d\x95,abc\xff\n")  # no BOM; invalid UTF-8 and GB18030 (0xFF)
    with pytest.raises(WorkbookError) as e:
        read_file(path)
    assert "utf-8-sig, utf-8, gb18030" in e.value.message_en
    assert e.value.message("zh").startswith("坏.csv：")
    assert e.value.message("en").startswith("坏.csv: ")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError) as e:
        read_file(tmp_path / "不存在.xlsx")
    assert e.value.file == "不存在.xlsx"


def test_empty_xlsx_file(tmp_path: Path) -> None:
    path = tmp_path / "空.xlsx"
    path.write_bytes(b"")
    with pytest.raises(WorkbookError, match="empty"):
        read_file(path)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "文档.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(WorkbookError, match="not an Excel workbook"):
        read_file(path)


def test_truncated_xlsx(xlsx: Path, tmp_path: Path) -> None:
    path = tmp_path / "截断.xlsx"
    path.write_bytes(xlsx.read_bytes()[:1500])
    with pytest.raises(WorkbookError):
        read_file(path)


# ---------------------------------------------------------------------------------------------- real cards


def _card(path: Path) -> dict[str, Grid]:
    if not path.exists():
        pytest.skip(f"{path} absent (real workbooks live in ../shared/real)")
    grids = read_file(path)
    assert len(grids) == 39
    return {g.sheet: g for g in grids}


@pytest.mark.real
def test_real_card_sheets_and_visibility() -> None:
    sheets = _card(CARD_9)
    assert list(sheets)[:3] == ["目录", "核算5", "工业7"]
    assert "30工业处1 " in sheets  # trailing space kept: the name as Excel shows it
    assert {name for name, g in sheets.items() if not g.visible} == {"30工业处2", "81图5公共财政收入"}
    stale = sheets["30工业处2"]  # the hidden stale 1-2月 table, labels but no figures
    assert stale.cell(2, 2) == "1-2月"
    assert stale.rows[5] == ["双清", None, None, None]


@pytest.mark.real
def test_real_card_hidden_column_and_rows() -> None:
    g = _card(CARD_9)["54综研室3"]
    assert g.rows[0][0] == "地方一般公共预算收入"
    assert g.rows[2][0] == "地  区"  # double space as written
    assert g.rows[3][1:4] == ["绝对额(万元)", "增速（%）", "排名"]
    assert g.hidden_cols == frozenset({4})  # column E: helper numbers without header
    assert g.rows[4][4] == pytest.approx(3361.51393762183)
    assert g.hidden_rows == frozenset({20, 21, 22, 23})  # Excel rows 21-24 (25-26 are empty)
    assert g.rows[21][1] == pytest.approx(12.6777) and g.location(21, 1) == "B22"
    assert g.rows[4][:3] == ["全市", 861488.0, pytest.approx(-6.2490273813242)]
    assert g.rows[5][3] == 10.0  # 双清's 排名
    assert g.percent_cells == frozenset()
    sheets = _card(CARD_9)
    assert sheets["43贸外处2"].hidden_rows == frozenset(range(17, 22))
    assert sheets["投资12"].hidden_rows == frozenset({23})
    assert not sheets["核算5"].hidden_rows and not sheets["核算5"].hidden_cols


@pytest.mark.real
def test_real_card_merged_headers() -> None:
    g = _card(CARD_9)["54综研室3"]
    assert (2, 1, 2, 4) in g.merged  # the period across the sub-columns
    assert (2, 0, 3, 0) in g.merged  # 地区 over two header rows
    assert (0, 0, 0, 2) in g.merged  # the title
    assert [g.cell(2, c) for c in range(1, 5)] == ["1-9月"] * 4
    assert g.cell(3, 0) == "地  区"
    assert g.cell(3, 4) == "排名"  # 排名 merged over D4:E4


@pytest.mark.real
def test_real_march_card() -> None:
    sheets = _card(CARD_3)
    g = sheets["54综研室3"]
    assert g.cell(2, 2) == "1-3月"
    assert g.rows[4][1] == 321298.0
    assert sheets["43贸外处2"].hidden_rows == frozenset(range(18, 23))
    assert all(not g.percent_cells for g in sheets.values())
