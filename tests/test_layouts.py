"""Layouts real bureaus publish: stacked tables, annotated headers, growth in words, periods from sheet
names, names as clerks align them, files that are not what their extension says, periods across the
columns. Every figure stored must equal its cell."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from attack_files import encrypted
from factories import INDICATORS, write_catalog

from metrics.importer import import_file
from metrics.messages import ImportRefused
from metrics.store import Store

EXTRA = [
    ["CK", "出口总额", "开放型经济", "亿美元", "总量", "正向", 3, "", "季度", "市商务局", "县市区", "", "", ""],
    ["CKZS", "出口总额增速", "开放型经济", "%", "比率", "正向", 2, "排名", "季度", "市商务局", "县市区", "", "", ""],
    ["GYZS", "规模工业增加值增速", "经济发展", "%", "比率", "正向", 2, "排名", "月度", "市工信局", "县市区",
     "规模以上工业增加值增速", "", ""],
]


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "store")
    import_file(write_catalog(tmp_path / "catalog.xlsx", indicators=INDICATORS + EXTRA), s)
    return s


def view(store: Store):
    return store.figures().set_index(["period", "unit_code", "indicator_code"]).sort_index()


def _sheet(ws, rows: list[list], merges: list[str] = ()) -> None:
    for row in rows:
        ws.append(row)
    for m in merges:
        ws.merge_cells(m)


def _book(path: Path, sheets: dict[str, tuple[list[list], list[str]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, (rows, merges) in sheets.items():
        _sheet(wb.create_sheet(name), rows, merges)
    wb.save(path)
    return path


# ------------------------------------------------------------------------------------------ 1. stacked tables

STACKED = [
    ["（一）2021年1-9月各县市区主要经济指标"],
    ["县市区", "地区生产总值(亿元) （季度）", None, "规模工业增加值增速"],
    [None, "绝对额", "增长(%)", "增长%"],
    ["衡阳县", 310.5, 7.2, 8.1],
    ["衡南县", 300.25, "持平", "同期为0"],
    [None],
    [None],
    ["（二）2021年1-6月各县市区主要经济指标"],
    ["县市区", "地区生产总值(亿元) （季度）", None, "规模工业增加值增速"],
    [None, "绝对额", "同比±%", "比上年增长"],
    ["衡阳县", 200.0, 6.5, 7.0],
    ["衡南县", 190.75, -1.5, "—"],
    ["注：数据来源于统计局。"],
]


def test_stacked_tables_each_with_its_own_period(store, tmp_path):
    path = _book(tmp_path / "stacked.xlsx", {"主要指标": (STACKED, ["B2:C2", "B9:C9"])})
    summary = import_file(path, store)
    v = view(store)
    assert summary.periods == ["2021Q2", "2021Q3"] and summary.rows == 12
    assert v.loc[("2021Q3", "430421", "GDP"), "actual"] == 310.5
    assert v.loc[("2021Q3", "430422", "GDP"), "actual"] == 300.25
    assert v.loc[("2021Q3", "430421", "GDPZS"), "actual"] == 7.2
    assert v.loc[("2021Q3", "430422", "GDPZS"), "actual"] == 0.0            # 持平
    assert v.loc[("2021Q3", "430421", "GYZS"), "actual"] == 8.1
    assert v.loc[("2021Q2", "430422", "GDP"), "actual"] == 190.75
    assert v.loc[("2021Q2", "430422", "GDPZS"), "actual"] == -1.5
    assert v.loc[("2021Q2", "430421", "GYZS"), "actual"] == 7.0
    # 同期为0 and — are no figure: missing, with the word kept as the note and listed
    assert ("2021Q3", "430422", "GYZS") not in v.index or v.loc[("2021Q3", "430422", "GYZS"), "actual"] != v.loc[
        ("2021Q3", "430422", "GYZS"), "actual"]
    words = [(p.value, f"{p.column}{p.row}") for p in summary.problems if p.key == "no_figure_word"]
    assert ("同期为0", "D5") in words and ("—", "D12") in words
    figures = store.figures()
    note = figures[(figures["unit_code"] == "430422") & (figures["indicator_code"] == "GYZS")
                   & (figures["period"] == "2021Q3")]["note"].tolist()
    assert note == ["同期为0"]
    # the header's note （季度） is kept with the figures of its column
    assert v.loc[("2021Q3", "430421", "GDP"), "note"] == "季度"


def test_a_stacked_table_without_a_period_takes_the_nearest_title_above(store, tmp_path):
    rows = [r[:] for r in STACKED]
    rows[7] = ["（二）各县市区规模工业"]
    path = _book(tmp_path / "s2.xlsx", {"主要指标": (rows, ["B2:C2", "B9:C9"])})
    with pytest.raises(ImportRefused) as refused:
        import_file(path, store)
    assert {p.key for p in refused.value.problems} == {"duplicate_row"}  # same period twice: refused, named


def test_level_word_in_an_amount_column_is_an_error(store, tmp_path):
    rows = [r[:] for r in STACKED[:5]]
    rows[4] = ["衡南县", "持平", 1.0, 2.0]
    path = _book(tmp_path / "s3.xlsx", {"主要指标": (rows, ["B2:C2"])})
    with pytest.raises(ImportRefused) as refused:
        import_file(path, store)
    [problem] = refused.value.problems
    assert (problem.key, f"{problem.column}{problem.row}") == ("level_word_not_growth", "B5")


def test_a_no_figure_word_keeps_the_stored_value(store, tmp_path):
    first = _book(tmp_path / "a.xlsx", {"1-9月": ([["2021年各县市区"], ["县市区", "规模工业增加值增速"],
                                                [None, "增速"], ["衡南县", 5.5], ["衡阳县", 4.0]], [])})
    import_file(first, store)
    again = _book(tmp_path / "b.xlsx", {"1-9月": ([["2021年各县市区"], ["县市区", "规模工业增加值增速"],
                                                [None, "增速"], ["衡南县", "去年同期为0"], ["衡阳县", 4.0]], [])})
    summary = import_file(again, store)
    assert view(store).loc[("2021Q3", "430422", "GYZS"), "actual"] == 5.5
    assert [p.key for p in summary.warnings] == ["no_figure_kept_stored"]


# ------------------------------------------------------------------------------------------ 4. sheet names

def test_periods_from_sheet_names_with_the_title_year(store, tmp_path):
    head = [["县市区", "地区生产总值（亿元）", "出口总额 (万美元)"], [None, "指标值", "本期"]]
    path = _book(tmp_path / "months.xlsx", {
        "1-3月 ": ([["2021年县（市、区）主要经济指标"], *head, ["衡阳县", 90.5, 1234.5]], []),
        "1-12月": ([["2021年县（市、区）主要经济指标"], *head, ["衡阳县", 410.0, 20000]], []),
        "1-6月": ([["县（市、区）主要经济指标（模板）"], *head, ["衡阳县", None, None]], []),
    })
    summary = import_file(path, store)
    v = view(store)
    assert v.loc[("2021Q1", "430421", "GDP"), "actual"] == 90.5
    assert v.loc[("2021Q1", "430421", "CK"), "actual"] == 0.123450             # 1234.5 万美元 in 亿美元
    assert v.loc[("2021Q4", "430421", "GDP"), "actual"] == 410.0               # no month range: the full year
    assert v.loc[("2021Q4", "430421", "CK"), "actual"] == 2.0
    assert dict(summary.skipped)["1-6月"][0].startswith("表格只有标签、没有数值")


def test_a_title_period_disagreeing_with_the_sheet_name_is_refused(store, tmp_path):
    path = _book(tmp_path / "c.xlsx", {"1-9月": ([["2021年1-6月各县市区"], ["县市区", "地区生产总值"],
                                                [None, "完成"], ["衡阳县", 1.0]], [])})
    with pytest.raises(ImportRefused) as refused:
        import_file(path, store)
    [problem] = refused.value.problems
    assert problem.key == "period_title_sheet_conflict"
    assert "1-9月" in problem.render() and "2021年1-6月" in problem.render()


def test_a_title_with_rank_and_no_rank_column_is_fine(store, tmp_path):
    path = _book(tmp_path / "r.xlsx", {"s": ([["2021年1-9月各县市区生产总值及排名"], ["县市区", "地区生产总值"],
                                            [None, "完成"], ["衡阳县", 12.0]], [])})
    assert import_file(path, store).rows == 1


# ------------------------------------------------------------------------------------------ 5. names

def test_names_as_clerks_align_them(store, tmp_path):
    rows = [["2021年1-9月"], ["县市区", "地区生产总值"], [None, "完成"], ["衡  阳县", 1.0], ["衡南县*", 2.0],
            ["衡山县（注1）", 3.0], ["珠晖", 4.0], ["雁峰区①", 5.0]]
    path = _book(tmp_path / "n.xlsx", {"s": (rows, [])})
    import_file(path, store)
    v = view(store)
    assert [v.loc[("2021Q3", code, "GDP"), "actual"] for code in ("430421", "430422", "430423", "430405", "430406")] \
        == [1.0, 2.0, 3.0, 4.0, 5.0]


# ------------------------------------------------------------------------------------------ 6. disguised files

def test_html_table_saved_as_xls(store, tmp_path):
    html = """<html><head><meta charset="utf-8"></head><body><table>
      <tr><td colspan="3">2021年1-9月各县市区主要指标</td></tr>
      <tr><th rowspan="2">县市区</th><th colspan="2">地区生产总值（亿元）</th></tr>
      <tr><th>目标</th><th>完成</th></tr>
      <tr><td>衡阳县</td><td>400</td><td>1,234.5</td></tr>
      <tr><td>衡南县</td><td>380</td><td>—</td></tr></table></body></html>"""
    path = tmp_path / "网页导出.xls"
    path.write_bytes(html.encode("gb18030").replace(b'charset="utf-8"', b'charset="gb18030"'))
    import_file(path, store)
    v = view(store)
    assert v.loc[("2021Q3", "430421", "GDP"), ["target", "actual"]].tolist() == [400.0, 1234.5]


def test_xml_spreadsheet_2003_saved_as_xls(store, tmp_path):
    xml = """<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:x="urn:schemas-microsoft-com:office:excel">
 <Styles><Style ss:ID="p"><NumberFormat ss:Format="Percent"/></Style></Styles>
 <Worksheet ss:Name="主要指标"><Table>
  <Row><Cell ss:MergeAcross="3"><Data ss:Type="String">2021年1-9月各县市区主要指标</Data></Cell></Row>
  <Row><Cell ss:MergeDown="1"><Data ss:Type="String">县市区</Data></Cell>
       <Cell ss:MergeAcross="1"><Data ss:Type="String">地区生产总值（亿元）</Data></Cell>
       <Cell><Data ss:Type="String">地区生产总值增速</Data></Cell></Row>
  <Row><Cell ss:Index="2"><Data ss:Type="String">目标</Data></Cell><Cell><Data ss:Type="String">完成</Data></Cell>
       <Cell><Data ss:Type="String">增速</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">衡阳县</Data></Cell><Cell><Data ss:Type="Number">400</Data></Cell>
       <Cell><Data ss:Type="Number">310.25</Data></Cell><Cell ss:StyleID="p"><Data ss:Type="Number">0.072</Data></Cell></Row>
  <Row ss:Hidden="1"><Cell><Data ss:Type="String">衡南县</Data></Cell><Cell><Data ss:Type="Number">1</Data></Cell></Row>
 </Table></Worksheet>
 <Worksheet ss:Name="旧表"><Table><Row><Cell><Data ss:Type="String">过期</Data></Cell></Row></Table>
  <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Visible>SheetHidden</Visible></WorksheetOptions>
 </Worksheet></Workbook>"""
    path = tmp_path / "xml2003.xls"
    path.write_text(xml, encoding="utf-8")
    summary = import_file(path, store)
    v = view(store)
    assert v.loc[("2021Q3", "430421", "GDP"), ["target", "actual"]].tolist() == [400.0, 310.25]
    assert v.loc[("2021Q3", "430421", "GDPZS"), "actual"] == 7.2                 # shown as 7.2%
    assert summary.rows == 2 and ("旧表", ("隐藏工作表", "hidden sheet")) in summary.skipped


def test_workbook_under_excels_default_encryption_imports(store, tmp_path):
    path = _book(tmp_path / "加密.xlsx", {"s": ([["2021年1-9月"], ["县市区", "地区生产总值"], [None, "完成"],
                                             ["衡阳县", 77.125]], [])})
    encrypted(path, "VelvetSweatshop")
    import_file(path, store)
    assert view(store).loc[("2021Q3", "430421", "GDP"), "actual"] == 77.125


# ------------------------------------------------------------------------------------------ 7. periods across

def test_units_down_periods_across(store, tmp_path):
    rows = [["地区生产总值（亿元）"], ["指标：地区生产总值"], ["地区", "2021年1-9月", "2021年9月", "2021年", "2020年1-9月"],
            ["衡阳县", 310.5, 30.0, 420.0, 290.0], ["衡南县", 300.0, 28.0, 405.5, "—"], ["全市", 1000, 90, 1300, 950],
            ["注：2021年为快报数。"], ["数据来源：市统计局"]]
    summary = import_file(_book(tmp_path / "across.xlsx", {"s": (rows, [])}), store)
    v = view(store)
    assert v.loc[("2021Q3", "430421", "GDP"), "actual"] == 310.5                 # 1-9月 wins over 9月
    assert v.loc[("2021Q4", "430422", "GDP"), "actual"] == 405.5
    assert v.loc[("2020Q3", "430421", "GDP"), "actual"] == 290.0
    assert ("2020Q3", "430422", "GDP") not in v.index
    assert summary.rows == 5
    assert [p.value for p in summary.problems if p.key == "single_period_ignored"] == ["2021年9月"]


def test_indicators_down_periods_across(store, tmp_path):
    rows = [["衡阳县主要经济指标"], ["指标", "单位", "2022年第一季度", "2021年", "2021年1-9月"],
            ["地区生产总值", "亿元", 100.5, 420.0, 310.5], ["出口总额", "万美元", 500, 2000, 1500],
            ["第一产业", "亿元", 10, 40, 30], ["地区生产总值增速", "%", 5.5, 7.8, 7.2]]
    summary = import_file(_book(tmp_path / "ind.xlsx", {"s": (rows, [])}), store)
    v = view(store)
    assert v.loc[("2022Q1", "430421", "GDP"), "actual"] == 100.5
    assert v.loc[("2021Q4", "430421", "CK"), "actual"] == 0.2
    assert v.loc[("2021Q3", "430421", "GDPZS"), "actual"] == 7.2
    assert [p.value for p in summary.problems if p.key == "row_not_in_catalog"] == ["第一产业"]


def test_metadata_naming_a_unit_outside_the_catalog_skips_the_table(store, tmp_path):
    rows = [["主要经济指标"], ["地区：湖南省"], ["指标", "2021年", "2020年"], ["地区生产总值", 46063.1, 41781.5]]
    sheets = {"省": (rows, []), "县": ([["2021年1-9月"], ["县市区", "地区生产总值"], [None, "完成"], ["衡阳县", 1.0]], [])}
    summary = import_file(_book(tmp_path / "meta.xlsx", sheets), store)
    zh, en = dict(summary.skipped)["省"]
    assert "湖南省" in zh and "不在目录中" in zh and "skipped" in en
    assert summary.rows == 1
