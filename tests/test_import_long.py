"""The long template in every shape it arrives in, and the errors a clerk can act on."""

import datetime as dt

import openpyxl
import pytest
import xlwt
from conftest import tree_digest
from factories import LONG_HEADER, write_csv, write_xlsx

from metrics.importer import import_file
from metrics.messages import ImportRefused

pytestmark = pytest.mark.usefixtures("both_xlsx_readers")

def view(store):
    return store.figures().set_index(["unit_code", "indicator_code"])


def refused(path, store, **kw) -> list[str]:
    with pytest.raises(ImportRefused) as err:
        import_file(path, store, **kw)
    return [p.render() for p in err.value.problems]


def test_names_codes_aliases_and_fullwidth(store, tmp_path):
    rows = [
        ["2021年1-9月", "衡阳县", "地区生产总值", 400, None, 310, "备注一"],
        ["2021Q3", "衡南", "GDP", "380", "", "300", None],         # alias, text numbers
        ["2021年前三季度", "４３０４２３", "生产总值", "２００", None, "１,４０.５", None],  # full-width code and digits
        ["2021年第三季度", "衡南县/白沙镇", "防返贫监测户帮扶率", "95%", None, "96.5%", None],
        ["2021Q3", " 衡阳县 / 白沙镇 ", "FFP", 94, None, "—", None],
    ]
    summary = import_file(write_xlsx(tmp_path / "a.xlsx", rows), store)
    assert summary.version == 2 and summary.rows == 5 and summary.periods == ["2021Q3"]
    v = view(store)
    assert v.loc[("430421", "GDP"), ["target", "actual", "note"]].tolist() == [400.0, 310.0, "备注一"]
    assert v.loc[("430422", "GDP"), "actual"] == 300.0
    assert v.loc[("430423", "GDP"), ["target", "actual"]].tolist() == [200.0, 140.5]
    assert v.loc[("430422101", "FFP"), ["target", "actual"]].tolist() == [95.0, 96.5]
    assert v.loc[("430421101", "FFP"), "target"] == 94.0
    assert str(v.loc[("430421101", "FFP"), "actual"]) == "nan"   # — means not supplied, never 0


def test_english_headers_and_milestone(store, tmp_path):
    header = ["period", "unit", "indicator", "target", "milestone", "actual", "note"]
    import_file(write_xlsx(tmp_path / "en.xlsx", [["2021Q2", "珠晖区", "GDP", 300, 140, 150, None]], header=header), store)
    row = view(store).loc[("430405", "GDP")]
    assert (row["target"], row["milestone"], row["actual"], row["period"]) == (300, 140, 150, "2021Q2")


def test_milestone_column_optional(store, tmp_path):
    header = ["期间", "单位", "指标", "目标值", "完成值"]
    import_file(write_xlsx(tmp_path / "n.xlsx", [["2021Q1", "珠晖区", "GDP", 300, 70]], header=header), store)
    assert view(store).loc[("430405", "GDP"), "actual"] == 70


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(store, tmp_path, encoding):
    rows = [["2021年1-6月", "衡阳县", "地区生产总值", 400, "", 190, "衡阳县上报"]]
    import_file(write_csv(tmp_path / "a.csv", rows, encoding), store)
    row = view(store).loc[("430421", "GDP")]
    assert (row["period"], row["actual"], row["note"]) == ("2021Q2", 190, "衡阳县上报")


def test_old_xls(store, tmp_path):
    wb = xlwt.Workbook()
    ws = wb.add_sheet("填报")
    for c, h in enumerate(LONG_HEADER):
        ws.write(0, c, h)
    for c, v in enumerate(["2021年1-3月", "衡阳县", "GDP", 400, "", 95.5, ""]):
        ws.write(1, c, v)
    wb.save(str(tmp_path / "old.xls"))
    summary = import_file(tmp_path / "old.xls", store)
    assert summary.periods == ["2021Q1"]
    assert view(store).loc[("430421", "GDP"), "actual"] == 95.5


def test_excel_date_period_and_percent_format(store, tmp_path):
    path = write_xlsx(tmp_path / "d.xlsx", [[dt.datetime(2021, 6, 30), "衡南县/三塘镇", "防返贫监测户帮扶率", 0.95, None, 0.9625, None]])
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["A2"].number_format = "yyyy年m月"
    ws["D2"].number_format = "0%"
    ws["F2"].number_format = "0.00%"
    wb.save(path)
    summary = import_file(path, store)
    assert summary.periods == ["2021-06"]
    row = view(store).loc[("430422102", "FFP")]
    assert (row["target"], row["actual"]) == (95.0, 96.25)


def test_month_and_quarter_are_the_same_moment(store, tmp_path):
    import_file(write_xlsx(tmp_path / "q.xlsx", [["2021Q3", "衡阳县", "GDP", 400, None, 310, None]]), store)
    again = import_file(write_xlsx(tmp_path / "m.xlsx", [["2021年9月", "衡阳县", "GDP", 400, None, 310, None]]), store)
    assert again.version is None


def test_hidden_rows_and_total_rows_ignored(store, tmp_path):
    path = write_xlsx(tmp_path / "h.xlsx", [["2021Q3", "衡阳县", "GDP", 400, None, 310, None],
                                            ["2021Q3", "衡南县", "GDP", 380, None, 999, None],
                                            ["2021Q3", "合计", "GDP", 780, None, 1309, None]])
    wb = openpyxl.load_workbook(path)
    wb.active.row_dimensions[3].hidden = True
    wb.save(path)
    summary = import_file(path, store)
    assert summary.rows == 1
    assert "430422" not in store.figures()["unit_code"].tolist()
    assert any(p.key == "total_row_skipped" for p in summary.problems)


def test_period_option_fills_missing_period(store, tmp_path):
    header = ["单位", "指标", "目标值", "完成值"]
    path = write_xlsx(tmp_path / "p.xlsx", [["衡阳县", "GDP", 400, 100]], header=header)
    assert any("期间" in m for m in refused(path, store))
    assert import_file(path, store, period="2021Q1").periods == ["2021Q1"]


# -- errors -----------------------------------------------------------------------------------

def test_unknown_names_suggest_closest(store, tmp_path):
    messages = refused(write_xlsx(tmp_path / "u.xlsx", [["2021Q3", "衡阳新区", "固投资", 1, None, 1, None]]), store)
    assert any("u.xlsx" in m and "第 2 行" in m and "B 列" in m and "衡阳新区" in m and "衡阳县" in m for m in messages)
    assert any("C 列" in m and "未知指标" in m and "固定资产投资" in m for m in messages)


def test_ambiguous_town_needs_county(store, tmp_path):
    messages = refused(write_xlsx(tmp_path / "t.xlsx", [["2021Q3", "白沙镇", "FFP", 90, None, 91, None]]), store)
    assert any("白沙镇" in m and "衡阳县/白沙镇" in m and "衡南县/白沙镇" in m for m in messages)


def test_data_errors_located(store, tmp_path):
    rows = [
        ["2021Q3", "衡阳县", "GDP", -5, None, 310, None],                 # negative amount target
        ["2021Q3", "衡阳县", "地区生产总值增速", 8, 2, 7, None],             # milestone on a rate
        ["2021Q3", "市发改委", "GDP", 8, None, 7, None],                   # type not applicable
        ["2021Q3", "衡南县", "GDP", 400, None, 300, None],
        ["2021年9月", "衡南", "地区生产总值", 400, None, 301, None],          # same unit+indicator+moment twice
        ["2021年7-9月", "珠晖区", "GDP", 1, None, 1, None],                 # not year-to-date
        ["2021Q3", "珠晖区", "GDPZS", None, None, "七", None],              # not a number
        ["2021Q3", "雁峰区", "GDP", 100, None, "5%", None],                # percent on an amount
    ]
    messages = refused(write_xlsx(tmp_path / "e.xlsx", rows), store)
    text = "\n".join(messages)
    assert "第 2 行，D 列（目标值）：总量指标“地区生产总值”的目标值不能为负数：-5" in text
    assert "第 3 行，E 列（节点目标）：比率指标“地区生产总值增速”不能设节点目标" in text
    assert "第 4 行，B 列（单位）：指标“地区生产总值”不适用于市直部门“市发展改革委”" in text
    assert "第 6 行" in text and "出现两次，另见第 5 行" in text
    assert "第 7 行，A 列（期间）" in text and "年初至今" in text
    assert "第 8 行，F 列（完成值）：“七”不是数值" in text
    assert "第 9 行，F 列（完成值）：“5%”带百分号" in text


def test_refused_file_leaves_store_byte_identical(store, tmp_path):
    before = tree_digest(store.root)
    refused(write_xlsx(tmp_path / "bad.xlsx", [["2021Q3", "衡阳县", "GDP", 1, None, 1, None],
                                               ["2021Q3", "无此县", "GDP", 1, None, 1, None]]), store)
    assert tree_digest(store.root) == before


def test_english_messages(store, tmp_path):
    with pytest.raises(ImportRefused) as err:
        import_file(write_xlsx(tmp_path / "x.xlsx", [["2021Q3", "衡阳新区", "GDP", 1, None, 1, None]]), store)
    assert err.value.problems[0].render("en").startswith("x.xlsx, sheet Sheet1, row 2, column B (单位): “衡阳新区”: unknown unit; did you mean")


def test_no_catalog(tmp_path):
    from metrics.store import Store

    with pytest.raises(ImportRefused) as err:
        import_file(write_xlsx(tmp_path / "x.xlsx", [["2021Q3", "衡阳县", "GDP", 1, None, 1, None]]), Store(tmp_path / "s"))
    assert "目录" in err.value.problems[0].render()


def test_garbage_file(store, tmp_path):
    path = tmp_path / "junk.xlsx"
    path.write_bytes(b"not a workbook at all")
    assert any("junk.xlsx" in m and "无法读取" in m for m in refused(path, store))


def test_noop_reimport_and_versions(store, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["2021Q3", "衡阳县", "GDP", 400, None, 310, None]])
    assert import_file(path, store).version == 2
    before = tree_digest(store.root)
    assert import_file(path, store).version is None
    assert tree_digest(store.root) == before
    fixed = write_xlsx(tmp_path / "b.xlsx", [["2021Q3", "衡阳县", "GDP", None, None, 312, None]])
    assert import_file(fixed, store).version == 3
    assert store.figures(as_of=2).set_index("unit_code").loc["430421", "actual"] == 310
    now = store.figures().set_index("unit_code").loc["430421"]
    assert (now["target"], now["actual"]) == (400, 312)      # the blank target did not erase 400
    assert store.versions()["version"].tolist() == [1, 2, 3]


def test_dry_run_writes_nothing(store, tmp_path):
    before = tree_digest(store.root)
    summary = import_file(write_xlsx(tmp_path / "a.xlsx", [["2021Q3", "衡阳县", "GDP", 400, None, 310, None]]), store,
                          dry_run=True)
    assert summary.rows == 1 and summary.version is None
    assert tree_digest(store.root) == before
