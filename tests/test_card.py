"""The statistics bureau's monthly card (月报卡): a whole workbook in one import, skipped sheets with
reasons, rank cross-checks, and the catalog draft. The real 邵阳 cards are read from ../shared/real
(tests skipped when absent); a synthetic card built in card_factory covers the same quirks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from card_factory import CODES, SHAOYANG_UNITS, write_card, write_shaoyang_catalog
from conftest import REAL, tree_digest

from metrics.card_catalog import draft_catalog
from metrics.importer import import_file
from metrics.messages import ImportRefused
from metrics.store import Store
from metrics.text import match_key

ROOT = Path(__file__).resolve().parents[1]
SEPTEMBER = REAL / "shaoyang" / "2025年9月月报卡.xlsx"
MARCH = REAL / "shaoyang" / "2025年3月月报卡.xlsx"
real = pytest.mark.skipif(not (SEPTEMBER.exists() and MARCH.exists()), reason="../shared/real/shaoyang is absent")


@pytest.fixture
def sy_store(tmp_path) -> Store:
    """A store holding the catalog a 邵阳 analyst would write for the card."""
    s = Store(tmp_path / "store")
    import_file(write_shaoyang_catalog(tmp_path / "邵阳目录.xlsx"), s)
    return s


@pytest.fixture
def card(tmp_path) -> Path:
    return write_card(tmp_path / "2025年9月月报卡.xlsx")


def view(store: Store):
    return store.figures().set_index(["unit_code", "indicator_code"])


def refused(path, store, **kw) -> list[str]:
    with pytest.raises(ImportRefused) as err:
        import_file(path, store, **kw)
    return [p.render() for p in err.value.problems]


def edit(path: Path, sheet: str, cell: str, value) -> Path:
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)
    return path


# -- synthetic card ------------------------------------------------------------------------------------


def test_synthetic_card_lands_as_published(sy_store, card):
    summary = import_file(card, sy_store)
    assert summary.version == 2 and summary.units == 12
    assert summary.periods == ["2025-08", "2025-09", "2025Q3"]
    assert summary.rows_per_period == {"2025-08": 24, "2025-09": 9, "2025Q3": 108}
    assert summary.rows_per_indicator["GDP"] == 12 and summary.rows_per_indicator["CKYE"] == 9
    v = view(sy_store)
    assert set(v.index.get_level_values(0)) == set(CODES.values())        # 全市 and 市辖区 are not units
    # 万元 -> 亿元 exactly, provenance of the cell
    gdp = v.loc[(CODES["双清"], "GDP")]
    assert gdp["actual"] == 148.261067 and gdp["period"] == "2025Q3"
    assert (gdp["actual_sheet"], gdp["actual_row"]) == ("23核算处1", 6)
    # the stored value, not the one-decimal display; 增速 columns as the growth indicator
    assert v.loc[(CODES["城步"], "GDPZS"), "actual"] == 5.6049
    assert v.loc[(CODES["洞口"], "GDPZS"), "actual"] == 5.0
    # title with trailing spaces, growth only
    assert v.loc[(CODES["双清"], "CY1ZS"), "actual"] == 2.2
    # 1-8月 without a year takes the workbook's year
    assert v.loc[(CODES["大祥"], "GYYS"), ["actual", "period"]].tolist() == [64.71762, "2025-08"]
    assert v.loc[(CODES["大祥"], "GYYSZS"), "actual"] == 7.75449652640474
    # sheet name with a trailing space, full-width parentheses
    assert v.loc[(CODES["大祥"], "GYZJZS"), "actual"] == 9.7
    # 9月末 with a bare (亿元) sub-header, full names, 市辖区 skipped, 比年初增减数 ignored
    assert v.loc[(CODES["邵东"], "CKYE"), ["actual", "period"]].tolist() == [850.4702693963, "2025-09"]
    assert (CODES["双清"], "CKYE") not in v.index
    # 万美元 -> 亿美元; 元 stays; 增减(%) is the growth
    assert v.loc[(CODES["邵阳县"], "WZ"), "actual"] == 0.01
    assert v.loc[(CODES["双清"], "QTSR"), "actual"] == 31796 and v.loc[(CODES["双清"], "QTSRZS"), "actual"] == 5.4
    # hidden column E and hidden rows of helper numbers are ignored
    assert v.loc[(CODES["双清"], "YBSR"), "actual"] == 1.8504
    assert summary.rows_per_indicator["YBSR"] == 12 and summary.rows_per_indicator["YBSRZS"] == 12
    notes = [p for p in summary.problems if p.level == "note"]
    assert any(p.key == "card_period_differs" and p.sheet == "工业处2" and "2025-08" in p.text() for p in notes)
    assert any(p.key == "ignored_column" and p.value == "比年初增减数" for p in notes)


def test_synthetic_skipped_sheets_and_reasons(sy_store, card):
    skipped = dict(import_file(card, sy_store).skipped)
    assert set(skipped) == {"目录", "核算5", "30工业处2", "38投资处7", "45贸外处4"}
    assert skipped["目录"][0].startswith("目录页")
    assert skipped["核算5"][0].startswith("不是分单位表格") and "第一产业" not in skipped["核算5"][0][:9]
    assert skipped["30工业处2"] == ("隐藏工作表（期间“1-2月”）", "hidden sheet (period “1-2月”)")
    assert skipped["45贸外处4"][0] == "表格只有标签、没有数值"
    zh, en = skipped["38投资处7"]
    assert "目录中没有指标“高技术产业投资增速”" in zh and "工业投资增速" in zh and "别名" in zh
    assert "closest catalog indicators:" in en and "工业投资增速" in en


def test_synthetic_rank_warnings(sy_store, card):
    summary = import_file(card, sy_store)
    # ties (5.0/5.0 in 23核算处1, 9.7/9.7 in 30工业处1) agree; only the rank on the rounded display differs
    assert [(p.sheet, f"{p.column}{p.row}") for p in summary.warnings] == [("工业处2", "D16")]
    text = summary.warnings[0].render()
    assert ("工作表 工业处2，第 16 行，D 列（排名）：大祥区 · 规模工业营业收入增速：表中排名 7，重新计算为 8"
            "（按 C 列“增速(%)”，保留4位小数）") in text
    assert ("大祥区 · 规模工业营业收入增速: the sheet's rank is 7, recomputed 8 (from column C"
            in summary.warnings[0].render("en"))
    assert summary.version is not None                                # warnings do not block


def test_unknown_county_row_is_refused_and_located(sy_store, card):
    before = tree_digest(sy_store.root)
    edit(card, "23核算处1", "A6", "双清新区")
    errors = refused(card, sy_store)
    assert len(errors) == 1, errors
    assert "工作表 23核算处1，第 6 行，A 列（地区）：“双清新区”：未知单位，是否为 双清区" in errors[0]
    assert tree_digest(sy_store.root) == before


def test_periods_without_any_year_need_the_option(sy_store, tmp_path):
    path = write_card(tmp_path / "card.xlsx", year=False)
    errors = refused(path, sy_store)
    assert any("工作表 23核算处1，第 3 行，B 列" in e and "没有年份" in e and "--period" in e for e in errors)
    summary = import_file(path, sy_store, period="2025Q3")
    assert summary.periods == ["2025-08", "2025-09", "2025Q3"]


def test_unconvertible_measure_names_both(sy_store, card):
    edit(card, "23核算处1", "B4", "绝对额(万美元)")
    errors = refused(card, sy_store)
    assert any("第 4 行，B 列" in e and "计量单位“万美元”无法换算为目录中“地区生产总值”的“亿元”" in e for e in errors)


def test_old_xls_card_takes_the_year_from_the_option(sy_store, tmp_path):
    """WPS still writes .xls; a one-table card without a year anywhere takes --period's year."""
    import xlwt
    from card_factory import GDP, SHORT

    wb = xlwt.Workbook()
    ws = wb.add_sheet("23核算处1")
    ws.write_merge(0, 0, 0, 2, "地区生产总值 ")
    ws.write_merge(2, 3, 0, 0, "地  区")
    ws.write_merge(2, 2, 1, 3, "1-9月")
    for c, text in enumerate(["绝对额(万元)", "增速(%)", "排名"], start=1):
        ws.write(3, c, text)
    ws.write(4, 0, "全市")
    ws.write(4, 1, 19746101.0)
    for r, unit in enumerate(SHORT, start=5):
        ws.write(r, 0, unit)
        for c, value in enumerate(GDP[unit], start=1):
            ws.write(r, c, value)
    wb.save(str(tmp_path / "card.xls"))
    assert any("--period" in e for e in refused(tmp_path / "card.xls", sy_store))
    summary = import_file(tmp_path / "card.xls", sy_store, period="2025-09")
    assert (summary.rows, summary.periods, summary.warnings) == (24, ["2025Q3"], [])
    assert view(sy_store).loc[(CODES["武冈"], "GDP"), "actual"] == 165.5627


def test_every_table_skipped_says_why(sy_store, tmp_path):
    wb = openpyxl.load_workbook(write_card(tmp_path / "card.xlsx"))
    for name in wb.sheetnames:
        if name not in ("目录", "38投资处7", "45贸外处4"):
            del wb[name]
    wb.save(tmp_path / "card.xlsx")
    errors = refused(tmp_path / "card.xlsx", sy_store)
    assert "没有可导入的表格" in errors[0]
    assert any("工作表 38投资处7" in e and "高技术产业投资增速" in e for e in errors)


def test_wide_report_with_a_period_header_is_still_read_as_wide(store, tmp_path):
    """A wide report names indicators in its header row: the card reader leaves it alone."""
    from factories import write_wide

    summary = import_file(write_wide(tmp_path / "w.xlsx"), store)
    assert summary.periods == ["2021Q3"] and summary.rows == 6 and summary.skipped == []


def test_draft_catalog_then_card(tmp_path, card):
    out, draft = draft_catalog(card)
    assert out == card.with_name("2025年9月月报卡_目录草稿.xlsx") and out.exists()
    units = {u.name: u for u in draft.units}
    assert units["新邵县"].aliases == ["新邵"] and units["城步县"].aliases == ["城步"] and "双清" in units
    assert len(units) == 12 and all(u.type == "县市区" for u in draft.units)
    indicators = {i.name: i for i in draft.indicators}
    assert (indicators["地区生产总值"].measure, indicators["地区生产总值"].kind) == ("亿元", "总量")
    assert indicators["地区生产总值增速"].measure == "%"
    assert indicators["外商直接投资"].measure == "亿美元" and "外商直接投资增速" not in indicators
    assert indicators["全体居民人均可支配收入"].measure == "元" and indicators["全体居民人均可支配收入"].additive == "否"
    assert indicators["金融机构本外币存款余额"].measure == "亿元"
    assert "第一产业增加值增速" in indicators and "第一产业增加值" not in indicators
    assert "进出口" in indicators and "高技术产业投资增速" in indicators
    assert not {"一、地区生产总值（GDP）", "规模工业产销率"} & set(indicators)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["单位", "指标"]

    store = Store(tmp_path / "store")
    assert import_file(out, store).kind == "catalog"
    summary = import_file(card, store)
    assert "38投资处7" not in dict(summary.skipped) and len(summary.warnings) == 1
    v = view(store)
    code = f"U{[u.name for u in draft.units].index('双清') + 1:02d}"
    assert v.loc[(code, indicators["地区生产总值"].code), "actual"] == 148.261067


def run(*args):
    return subprocess.run([sys.executable, "-m", "metrics", *args], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ), timeout=120)


def test_cli_catalog_from_card_and_json_summary(tmp_path, card):
    store = str(tmp_path / "s")
    done = run("catalog-from-card", str(card))
    assert done.returncode == 0, done.stdout + done.stderr
    draft = card.with_name("2025年9月月报卡_目录草稿.xlsx")
    assert draft.exists() and "单位 12 个" in done.stdout
    other = run("catalog-from-card", str(card), "--out", str(tmp_path / "草稿.xlsx"), "--lang", "en")
    assert other.returncode == 0 and (tmp_path / "草稿.xlsx").exists() and "12 units" in other.stdout
    assert run("import", str(draft), "--store", store).returncode == 0
    out = run("import", str(card), "--store", store, "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    data = json.loads(out.stdout)["files"][0]
    assert data["status"] == "imported" and data["version"] == 2
    assert data["rows_per_period"] == {"2025-08": 24, "2025-09": 9, "2025Q3": 120}
    assert data["rows_per_indicator"]["ZB01"] == 12
    assert data["rows_per_period_indicator"]["2025-08"] == {"ZB04": 12, "ZB04ZS": 12}   # 规模工业营业收入, 1-8月
    skipped = {s["sheet"]: s["reason"] for s in data["skipped_sheets"]}
    assert set(skipped) == {"目录", "核算5", "30工业处2", "45贸外处4"}
    [warning] = data["warnings"]
    assert (warning["sheet"], warning["cell"], warning["value"]) == ("工业处2", "D16", "7")
    assert "大祥 · 规模工业营业收入增速：表中排名 7，重新计算为 8" in warning["message"]
    text = run("import", str(card), "--store", store)
    assert "未新增版本" in text.stdout


# -- the real cards ------------------------------------------------------------------------------------

# What each county table holds, as an analyst reads it: sheet -> [(column, indicator, power of ten)].
TABLES = {
    "23核算处1": [("B", "GDP", -4), ("C", "GDPZS", 0)],
    "24核算处2": [("B", "CY1ZS", 0)], "25核算处3": [("B", "CY2ZS", 0)], "26核算处": [("B", "CY3ZS", 0)],
    "30工业处1 ": [("B", "GYZJZS", 0)],
    "工业处2": [("B", "GYYS", 0), ("C", "GYYSZS", 0)],
    "31工业处3": [("B", "GYLR", -4), ("C", "GYLRZS", 0)],
    "33投资处1": [("B", "GDZCZS", 0)], "35投资处4": [("B", "JCSSZS", 0)], "36投资处5": [("B", "GYTZZS", 0)],
    "37投资处6": [("B", "FDCZS", 0)],
    "42贸外处1": [("B", "SXL", -4), ("C", "SXLZS", 0)],
    "43贸外处2": [("B", "WZ", -4)],
    "45贸外处4": [("B", "JCK", -4), ("C", "JCKZS", 0)], "46贸外处5": [("B", "CKE", -4), ("C", "CKEZS", 0)],
    "全体收入49": [("B", "QTSR", 0), ("C", "QTSRZS", 0)], "城镇收入50": [("B", "CZSR", 0), ("C", "CZSRZS", 0)],
    "农村收入51": [("B", "NCSR", 0), ("C", "NCSRZS", 0)],
    "52综研室1": [("B", "CKYE", 0)], "53综研室2": [("B", "DKYE", 0)],
    "54综研室3": [("B", "YBSR", -4), ("C", "YBSRZS", 0)], "55综研室4": [("B", "YBZC", -4), ("C", "YBZCZS", 0)],
}
UNIT_OF = {match_key(label): row[0] for row in SHAOYANG_UNITS for label in (row[1], *row[5].split("、")) if label}
EXPECTED = {  # file -> rows, periods, skipped sheets, rank warnings (sheet, cell, card's rank, recomputed)
    SEPTEMBER: (342, ["2025-08", "2025-09", "2025Q3"],
                {"目录", "核算5", "工业7", "工业8", "交邮10", "投资11", "投资12", "贸易13", "外贸和房地产15", "财政19",
                 "财政20", "金融21", "城乡收支22", "30工业处2", "34投资处2", "38投资处7", "45贸外处4", "46贸外处5",
                 "81图5公共财政收入"},
                [("30工业处1 ", "C7", "3", "4"), ("工业处2", "D7", "7", "8")]),
    MARCH: (391, ["2025-02", "2025-03", "2025Q1"],
            {"目录", "核算5", "工业7", "工业8", "交邮10", "投资11", "投资12", "贸易13", "外贸和房地产15", "财政19",
             "财政20", "金融21", "城乡收支22", "30工业处2", "34投资处2", "38投资处7", "81图5公共财政收入"},
            [("42贸外处1", "D6", "9", "10"), ("42贸外处1", "D12", "3", "4")]),
}


def published_cells(path: Path) -> dict[tuple[str, str], tuple[float, str, int]]:
    """Every county figure of the card the catalog covers, read with openpyxl: (unit, indicator) ->
    (value converted to the catalog's measure, sheet, row)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    cells = {}
    for sheet, columns in TABLES.items():
        ws = wb[sheet]
        for r in range(5, ws.max_row + 1):
            label = ws.cell(r, 1).value
            if ws.row_dimensions[r].hidden or label is None or match_key(label) in ("全市", "市辖区"):
                continue
            unit = UNIT_OF[match_key(label)]
            for letter, indicator, power in columns:
                value = ws[f"{letter}{r}"].value
                if value is not None:
                    cells[unit, indicator] = (float(Decimal(repr(float(value))).scaleb(power)), sheet, r)
    return cells


@real
@pytest.mark.real
@pytest.mark.parametrize("path", [SEPTEMBER, MARCH], ids=["september", "march"])
def test_real_card_imports_every_figure_as_published(sy_store, path):
    rows, expected_periods, expected_skipped, expected_warnings = EXPECTED[path]
    summary = import_file(path, sy_store)
    assert (summary.rows, summary.periods) == (rows, expected_periods)
    assert set(dict(summary.skipped)) == expected_skipped
    warnings = [(p.sheet, f"{p.column}{p.row}", p.params["sheet_value"], p.params["computed"])
                for p in summary.warnings]
    assert warnings == expected_warnings
    cells = published_cells(path)
    stored = sy_store.figures()
    assert len(stored) == len(cells) == rows
    for row in stored.itertuples():
        value, sheet, r = cells[row.unit_code, row.indicator_code]
        assert (row.actual, row.actual_sheet, row.actual_row) == (value, sheet, r), (row.unit_code, row.indicator_code)


@real
@pytest.mark.real
def test_real_spot_values_and_periods(sy_store):
    import_file(SEPTEMBER, sy_store)
    v = view(sy_store)
    assert v.loc[("430502", "GDP"), ["actual", "period"]].tolist() == [148.261067, "2025Q3"]   # 1482610.67 万元
    assert v.loc[("430582", "GDPZS"), "actual"] == 4.6
    assert v.loc[("430503", "GYYS"), ["actual", "period"]].tolist() == [64.71762, "2025-08"]   # 1-8月, no year
    assert v.loc[("430529", "CKYE"), ["actual", "period"]].tolist() == [138.2171982601, "2025-09"]  # 9月末, 城步县
    assert v.loc[("430523", "WZ"), "actual"] == 0.01                                               # 100 万美元
    assert v.loc[("430502", "QTSR"), "actual"] == 31796 and v.loc[("430502", "QTSRZS"), "actual"] == 5.4
    assert v.loc[("430511", "YBSRZS"), "actual"] == 41.5522388059701                              # full precision
    assert ("430502", "CKYE") not in v.index                                                        # only 市辖区


@real
@pytest.mark.real
def test_real_skip_reasons(sy_store):
    skipped = dict(import_file(SEPTEMBER, sy_store).skipped)
    assert skipped["目录"][0] == "目录页，不是数据表"
    assert skipped["核算5"][0].startswith("不是分单位表格：行标签不是目录中的单位")
    assert skipped["30工业处2"][0] == "隐藏工作表（期间“1-2月”）"
    assert skipped["81图5公共财政收入"][0] == "隐藏工作表"
    assert skipped["金融21"][0] == "不是分单位表格：没有一行是目录中的单位"
    assert skipped["45贸外处4"][0] == skipped["46贸外处5"][0] == "表格只有标签、没有数值"
    assert "目录中没有指标“施工项目个数增速”" in skipped["34投资处2"][0]
    assert "最接近的目录指标：工业投资增速" in skipped["38投资处7"][0]


@real
@pytest.mark.real
def test_real_card_with_a_renamed_county_row_is_refused(sy_store, tmp_path):
    path = tmp_path / "card.xlsx"
    shutil.copyfile(SEPTEMBER, path)
    os.chmod(path, 0o644)
    edit(path, "23核算处1", "A11", "隆回新区")
    errors = refused(path, sy_store)
    assert errors == ["文件 card.xlsx，工作表 23核算处1，第 11 行，A 列（地区）：“隆回新区”：未知单位，是否为 隆回县？"]
    assert sy_store.latest_version() == 1


@real
@pytest.mark.real
@pytest.mark.parametrize("path", [SEPTEMBER, MARCH], ids=["september", "march"])
def test_real_card_imports_with_its_drafted_catalog(tmp_path, path):
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    out, draft = draft_catalog(copy)
    units = {u.name: u for u in draft.units}
    assert units["城步县"].aliases == ["城步"] and units["邵东市"].aliases == ["邵东"]
    if path == MARCH:
        assert units["邵阳经开区"].type == "园区"
        assert next(i for i in draft.indicators if i.name == "外商直接投资").applies == ["县市区", "园区"]
    store = Store(tmp_path / "store")
    import_file(out, store)
    summary = import_file(copy, store)
    rows, periods, skipped, warnings = EXPECTED[path]
    assert summary.periods == periods and len(summary.warnings) == len(warnings)
    assert not {"34投资处2", "38投资处7"} & {s for s, _ in summary.skipped}
    assert summary.rows == rows + 24          # 施工项目个数增速 and 高技术产业投资增速 are drafted too
