"""Every CSV and Excel export shows text as text: nothing from data can become a live formula."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from metrics import export
from metrics.report import render
from ui import tables

HOSTILE = ["=HYPERLINK(\"http://x.invalid\",\"点我\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tTAB", "\rCR",
           "正常文字"]


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"单位": HOSTILE, "完成值": [-3.2, 1.0, -1e-3, 0.0, 2.5, 7.0, None],
                         "分组": pd.Categorical(["=A1"] * 7)})


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("writer", [export.csv_bytes, tables.csv_bytes, lambda df: render(df, "csv")])
def test_csv_text_cells_get_a_leading_quote_numbers_stay_numbers(writer):
    rows = _csv_rows(writer(_frame()))
    assert [r[0] for r in rows[1:]] == ["'" + h if h[0] in "=+-@\t\r" else h for h in HOSTILE]
    assert [r[1] for r in rows[1:]] == ["-3.2", "1.0", "-0.001", "0.0", "2.5", "7.0", ""]
    assert {r[2] for r in rows[1:]} == {"'=A1"}


def _cells(data: bytes) -> list[list[openpyxl.cell.Cell]]:
    return [list(r) for r in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows()]


@pytest.mark.parametrize("writer", [export.xlsx_bytes, tables.xlsx_bytes, lambda df: render(df, "xlsx")])
def test_xlsx_text_is_a_string_cell_never_a_formula(writer):
    data = writer(_frame())
    sheet_xml = next(zipfile.ZipFile(io.BytesIO(data)).read(n) for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
                     if n.startswith("xl/worksheets/sheet"))
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    rows = _cells(data)
    assert [c.value for c in (r[0] for r in rows[1:])] == [h.replace("\r", "\n") for h in HOSTILE]  # XML keeps no CR
    assert all(r[0].data_type == "s" for r in rows[1:])
    assert [r[1].value for r in rows[1:7]] == [-3.2, 1.0, -0.001, 0.0, 2.5, 7.0]
    assert all(r[1].data_type == "n" for r in rows[1:7])


def test_catalog_draft_writes_names_as_strings(tmp_path):
    from metrics.card_catalog import Draft, DraftUnit, write_draft

    draft = Draft(units=[DraftUnit("=1+1", type="县市区")], indicators=[], tables=[], skipped=[])
    path = write_draft(draft, tmp_path / "d.xlsx", "卡.xlsx")
    cell = openpyxl.load_workbook(path)["单位"]["B2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")
