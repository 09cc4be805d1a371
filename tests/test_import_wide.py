"""The wide report offices circulate: title period, merged two-row header, totals, notes, cross-checks."""

import openpyxl
import pytest
import xlwt
from factories import write_wide

from metrics.importer import import_file
from metrics.messages import ImportRefused

pytestmark = pytest.mark.usefixtures("both_xlsx_readers")

def view(store):
    return store.figures().set_index(["unit_code", "indicator_code"])


def test_basic_report(store, tmp_path):
    summary = import_file(write_wide(tmp_path / "w.xlsx"), store)
    assert summary.periods == ["2021Q3"] and summary.units == 3
    v = view(store)
    assert v.loc[("430421", "GDP"), ["target", "actual"]].tolist() == [400, 310]
    assert v.loc[("430422", "GDPZS"), "actual"] == 8.1
    assert v.loc[("430421", "GDP"), "actual_row"] == 5 and v.loc[("430421", "GDP"), "actual_sheet"] == "经济发展"
    assert summary.warnings == []                       # the sheet's 完成率 and 排名 are right
    assert any(p.key == "total_row_skipped" and p.value == "全市" for p in summary.problems)


def test_measure_conversion_from_header(store, tmp_path):
    rows = [[1, "衡阳县", 4000000, 3100000.5, "77.5%", 1, 7.5], [2, "衡南县", 3800000, 2000000, "52.6%", 2, 8.1]]
    top = ["序号", "地  区", "地区生产总值（万元）", None, None, None, "地区生产总值增速（%）"]
    import_file(write_wide(tmp_path / "w.xlsx", rows=rows, header_top=top), store)
    v = view(store)
    assert v.loc[("430421", "GDP"), ["target", "actual"]].tolist() == [400, 310.00005]


def test_sub_header_measure_and_growth_column(store, tmp_path):
    top = ["序号", "县市区", "地区生产总值", None, None, None, None]
    sub = [None, None, "目标(亿元)", "绝对额(万元)", "增速(%)", "排名", None]
    rows = [[1, "衡阳县", 400, 3100000, 7.5, 2], [2, "衡南县", 380, 3000000, 8.1, 1], [3, "衡山县", 200, 1400000, 7.5, 2]]
    summary = import_file(write_wide(tmp_path / "w.xlsx", rows=rows, header_top=top, header_sub=sub,
                                     merges=["C3:F3"]), store)
    v = view(store)
    assert v.loc[("430421", "GDP"), ["target", "actual"]].tolist() == [400, 310]
    assert v.loc[("430423", "GDPZS"), "actual"] == 7.5
    assert summary.warnings == []                      # 排名 refers to the 增速 beside it: 2, 1, 2 (a tie)


def test_completion_and_rank_warnings(store, tmp_path):
    rows = [[1, "衡阳县", 400, 310, "77.3%", 1, 7.5], [2, "衡南县", 380, 300, 0.789, 2, 8.1], [3, "衡山县", 200, 140, 70, 3, 6]]
    path = write_wide(tmp_path / "w.xlsx", rows=rows)
    wb = openpyxl.load_workbook(path)
    wb.active["E6"].number_format = "0.0%"
    wb.save(path)
    summary = import_file(path, store)
    text = "\n".join(p.render() for p in summary.warnings)
    assert len(summary.warnings) == 3, text
    assert "第 5 行，E 列（完成率）：表中完成率 77.3% 与 完成值/目标值 = 77.5% 相差超过 0.1 个百分点" in text
    assert "第 5 行，F 列（排名）：衡阳县 · 地区生产总值：表中排名 1，重新计算为 2" in text
    assert "第 6 行，F 列（排名）：衡南县 · 地区生产总值：表中排名 2，重新计算为 1" in text
    assert summary.version is not None                 # warnings do not block


def test_unknown_indicator_header_is_located(store, tmp_path):
    top = ["序号", "县市区", "地区生产总量（亿元）", None, None, None, "地区生产总值增速（%）"]
    with pytest.raises(ImportRefused) as err:
        import_file(write_wide(tmp_path / "w.xlsx", header_top=top), store)
    text = err.value.problems[0].render()
    assert "第 3 行，C 列" in text and "地区生产总量" in text and "地区生产总值" in text


def test_unconvertible_measure(store, tmp_path):
    top = ["序号", "县市区", "地区生产总值（万美元）", None, None, None, "地区生产总值增速（%）"]
    with pytest.raises(ImportRefused) as err:
        import_file(write_wide(tmp_path / "w.xlsx", header_top=top), store)
    assert "计量单位“万美元”无法换算为目录中“地区生产总值”的“亿元”" in err.value.problems[0].render()


def test_title_not_year_to_date(store, tmp_path):
    with pytest.raises(ImportRefused) as err:
        import_file(write_wide(tmp_path / "w.xlsx", period_title="2021年7-9月各县市区主要指标"), store)
    assert "年初至今" in err.value.problems[0].render()


def test_no_period_needs_option(store, tmp_path):
    path = write_wide(tmp_path / "w.xlsx", period_title="各县市区主要指标完成情况")
    with pytest.raises(ImportRefused) as err:
        import_file(path, store)
    assert "--period" in err.value.problems[0].render()
    assert import_file(path, store, period="2021Q2").periods == ["2021Q2"]


def test_unknown_unit_row_is_an_error(store, tmp_path):
    rows = [[1, "衡阳县", 400, 310, "77.5%", 1, 7.5], [2, "衡阳新区", 380, 300, "78.9%", 2, 8.1]]
    with pytest.raises(ImportRefused) as err:
        import_file(write_wide(tmp_path / "w.xlsx", rows=rows), store)
    assert "第 6 行，B 列（单位）：“衡阳新区”：未知单位" in err.value.problems[0].render()


def test_hidden_column_and_several_sheets(store, tmp_path):
    path = write_wide(tmp_path / "w.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active.column_dimensions["G"].hidden = True      # the 增速 column is hidden: ignored
    ws = wb.create_sheet("民生")
    ws.append(["2021年1-9月各县市区民生指标"])
    ws.append(["县市区", "安全生产事故死亡人数（人）", None])
    ws.append([None, "目标", "完成"])
    ws.merge_cells("B2:C2")
    ws.append(["衡阳县", 0, 1])
    ws.append(["衡南县", 3, "—"])
    wb.save(path)
    summary = import_file(path, store)
    v = view(store)
    assert ("430421", "GDPZS") not in v.index
    assert v.loc[("430421", "SWRS"), ["target", "actual"]].tolist() == [0, 1]
    assert str(v.loc[("430422", "SWRS"), "actual"]) == "nan"
    assert summary.indicators == 2


def test_old_xls_report(store, tmp_path):
    wb = xlwt.Workbook()
    ws = wb.add_sheet("县市区")
    ws.write_merge(0, 0, 0, 4, "2021年上半年各县市区主要指标（合成）")
    ws.write_merge(1, 2, 0, 0, "县市区")
    ws.write_merge(1, 1, 1, 2, "地区生产总值（亿元）")
    ws.write_merge(1, 1, 3, 4, "固定资产投资（亿元）")
    for c, text in enumerate(["目标", "完成", "目标", "完成"], start=1):
        ws.write(2, c, text)
    for r, row in enumerate([["衡阳县", 400, 190, 200, "1,05.5"], ["衡南县", 380, 185, 190, "９０"]], start=3):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    wb.save(str(tmp_path / "r.xls"))
    summary = import_file(tmp_path / "r.xls", store)
    v = view(store)
    assert summary.periods == ["2021Q2"]
    assert v.loc[("430422", "GDZC"), "actual"] == 90 and v.loc[("430421", "GDZC"), "actual"] == 105.5
