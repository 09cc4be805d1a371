"""Cells that are not figures: Excel error values, formulas without a result, infinities, absurd
magnitudes and periods outside the years a store holds — each refused at its cell, never stored."""

from __future__ import annotations

import json

import openpyxl
import pytest
import xlwt
from conftest import tree_digest
from factories import LONG_HEADER, write_csv, write_wide, write_xlsx

from metrics.importer import import_file
from metrics.messages import ImportRefused
from metrics.report import records, render

ERRORS = ["#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]


def refusal(path, store, **kw):
    before = tree_digest(store.root)
    with pytest.raises(ImportRefused) as err:
        import_file(path, store, **kw)
    assert tree_digest(store.root) == before
    return err.value.problems


@pytest.mark.usefixtures("both_xlsx_readers")
@pytest.mark.parametrize("error", ERRORS)
def test_xlsx_error_value_in_a_figure_is_refused_at_its_cell(store, tmp_path, error):
    path = write_xlsx(tmp_path / "e.xlsx", [["2021Q3", "衡阳县", "地区生产总值", 400, None, 300, None],
                                            ["2021Q3", "衡南县", "地区生产总值", 380, None, error, None]])
    assert openpyxl.load_workbook(path).active["F3"].data_type == "e"   # a real error cell, not text
    [problem] = refusal(path, store)
    assert (problem.key, problem.row, problem.column, problem.value) == ("excel_error", 3, "F", error)
    assert f"Excel 错误值“{error}”" in problem.render()


@pytest.mark.usefixtures("both_xlsx_readers")
def test_error_in_a_target_and_a_formula_without_result(store, tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", [["2021Q3", "衡阳县", "地区生产总值", "#REF!", None, 300, None],
                                            ["2021Q3", "衡南县", "地区生产总值", 380, None, "=D3*0.8", None]])
    problems = {(p.key, f"{p.column}{p.row}") for p in refusal(path, store)}
    assert problems == {("excel_error", "D2"), ("formula_no_value", "F3")}
    text = "\n".join(p.render() for p in refusal(path, store))
    assert "请在 Excel/WPS 中打开并保存后再导入" in text and "=D3*0.8" in text


def test_an_error_outside_the_figures_changes_nothing(store, tmp_path):
    path = write_xlsx(tmp_path / "n.xlsx", [["2021Q3", "衡阳县", "地区生产总值", 400, None, 300, "#N/A"]])
    assert import_file(path, store).rows == 1


def test_xls_error_value_is_refused(store, tmp_path):
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("数据")
    for c, text in enumerate(LONG_HEADER):
        ws.write(0, c, text)
    for c, value in enumerate(["2021Q3", "衡阳县", "地区生产总值", 400]):
        ws.write(1, c, value)
    ws.row(1).set_cell_error(5, "#DIV/0!")
    path = tmp_path / "e.xls"
    book.save(str(path))
    [problem] = refusal(path, store)
    assert (problem.key, f"{problem.column}{problem.row}", problem.value) == ("excel_error", "F2", "#DIV/0!")


@pytest.mark.parametrize("error", ["#DIV/0!", "#N/A", "＃REF!"])
def test_csv_error_text_is_refused(store, tmp_path, error):
    path = write_csv(tmp_path / "e.csv", [["2021Q3", "衡阳县", "地区生产总值", 400, "", error, ""]])
    [problem] = refusal(path, store)
    assert (problem.key, problem.row, problem.column) == ("excel_error", 2, "F")


def test_error_in_a_cross_check_cell_skips_that_check(store, tmp_path):
    rows = [[1, "衡阳县", 400, 310, "#DIV/0!", 2, 7.5], [2, "衡南县", 380, 300, "78.9%", "#N/A", 8.1],
            [3, "衡山县", 200, 140, "70.0%", 3, 6.0]]
    summary = import_file(write_wide(tmp_path / "w.xlsx", rows=rows), store)
    skipped = [(p.key, f"{p.column}{p.row}") for p in summary.warnings if p.key == "check_skipped"]
    assert skipped == [("check_skipped", "E5"), ("check_skipped", "F6")]
    assert summary.version is not None


@pytest.mark.parametrize(("text", "key"), [
    ("inf", "number_not_finite"), ("-inf", "number_not_finite"), ("Infinity", "number_not_finite"),
    ("NaN", "number_not_finite"), ("1e400", "number_not_finite"), ("2e15", "number_too_large"),
    ("-1e16", "number_too_large"),
])
def test_non_finite_and_absurd_numbers_are_refused(store, tmp_path, text, key):
    path = write_csv(tmp_path / "n.csv", [["2021Q3", "衡阳县", "地区生产总值", text, "", 1, ""]])
    [problem] = refusal(path, store)
    assert (problem.key, f"{problem.column}{problem.row}", problem.value) == (key, "D2", text)


def test_a_huge_number_cell_in_xlsx_is_refused(store, tmp_path):
    path = write_xlsx(tmp_path / "h.xlsx", [["2021Q3", "衡阳县", "地区生产总值", 400, None, 1e300, None]])
    [problem] = refusal(path, store)
    assert (problem.key, f"{problem.column}{problem.row}") == ("number_too_large", "F2")


def test_negative_numbers_and_large_real_figures_pass(store, tmp_path):
    path = write_csv(tmp_path / "ok.csv", [["2021Q3", "衡阳县", "GDP增速", "", "", "-3.2", ""],
                                           ["2021Q3", "衡南县", "地区生产总值", "999999999999999", "", "1e14", ""]])
    assert import_file(path, store).rows == 2


@pytest.mark.parametrize("period", ["2300-01", "9999-12", "1600-01", "0000-01", "1899年1-3月", "2101Q1"])
def test_periods_outside_1900_2100_are_refused(store, tmp_path, period):
    path = write_csv(tmp_path / "p.csv", [[period, "衡阳县", "地区生产总值", 400, "", 300, ""]])
    [problem] = refusal(path, store)
    assert (problem.key, f"{problem.column}{problem.row}") == ("bad_period", "A2")
    assert "1900–2100" in problem.render()


@pytest.mark.parametrize("period", ["1985Q1", "2099Q4"])
def test_unlikely_years_are_imported_with_a_warning(store, tmp_path, period):
    path = write_csv(tmp_path / "p.csv", [[period, "衡阳县", "地区生产总值", 400, "", 300, ""]])
    summary = import_file(path, store)
    [warning] = [p for p in summary.warnings if p.key == "period_year_unusual"]
    assert (warning.row, warning.column, warning.value) == (2, "A", period)


def test_json_output_is_strict():
    import pandas as pd

    table = pd.DataFrame({"a": [1.0, float("nan"), float("inf")], "b": ["x", None, "y"]})
    assert records(table)[1:] == [{"a": None, "b": None}, {"a": None, "b": "y"}]

    def refuse(name):
        raise ValueError(name)

    data = json.loads(render(table, "json"), parse_constant=refuse)
    assert [row["a"] for row in data] == [1.0, None, None]
