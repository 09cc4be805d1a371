"""考核结果 in AppTest: the graded tables, a unit's result with its events and the what-if, the events
tab for readers and for an administrator (entry, correction, withdrawal, import), a year without Q4."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pytest

from metrics import users
from metrics.access import Actor
from metrics.assessment import annual, service, whatif
from metrics.assessment import views as av
from metrics.assessment.rules import rules_from
from metrics.db import database_url
from metrics.importer import import_file
from metrics.scheme import load_scheme
from tests.conftest_ui import assert_clean, open_app
from tests.factories import write_xlsx
from ui import assessment as ui
from ui.i18n import EN, ZH, translator

PAGE = "pages/assessment.py"


@pytest.fixture(scope="module")
def result(demo_events):
    return annual.annual_result(demo_events, database_url(demo_events.root), 2021)


def cell_styles(df, col: int) -> dict[int, str]:
    """Row -> the CSS a styled dataframe gives column ``col`` (as the browser receives it)."""
    out = {}
    for selectors, css in re.findall(r"([^{}]+)\{\s*([^}]*?)\s*\}", df.proto.arrow_data.styler.styles):
        for row, c in re.findall(r"_row(\d+)_col(\d+)", selectors):
            if int(c) == col:
                out[int(row)] = css.strip().rstrip(";")
    return out


def _table_with(at, column: str, n: int | None = None):
    for d in at.dataframe:
        if column in d.value.columns and (n is None or len(d.value) == n):
            return d
    raise AssertionError(f"no table with {column!r}")


def test_groups_show_the_graded_tables_with_grade_as_color_and_word(demo_events, result):
    at = open_app(demo_events.root, PAGE)
    assert_clean(at)
    assert at.title[0].value == ZH["as.title"].format(year=2021)
    groups = av.groups(result.table, rules_from(load_scheme(2021)), "县市区")
    assert [s.value for s in at.subheader][:2] == ["县市区 · 城区", "县市区 · 县市"]
    t = translator("zh")
    for g in groups:
        show, _, css = ui.group_frames(g.rows, t, "zh")
        shown = _table_with(at, ZH["as.col.grade"], len(show))
        assert shown.value.reset_index(drop=True).equals(show)
        col = list(show.columns).index(ZH["as.col.grade"])
        assert cell_styles(shown, col) == {k: ui.GRADE_CSS[gr] for k, gr in enumerate(g.rows["grade"]) if gr}
        caption = ZH["as.group_caption"].format(n=g.n, quota=g.quota, excellent=g.excellent)
        assert caption in [c.value for c in at.caption]
    xianshi = _table_with(at, ZH["as.col.grade"], 7).value
    assert xianshi[ZH["as.col.unit"]].iloc[0] == "耒阳市" and xianshi[ZH["as.col.grade"]].iloc[0] == "优秀"
    chengqu = _table_with(at, ZH["as.col.grade"], 5).value
    assert chengqu[ZH["as.col.next"]].iloc[0] == "降档，不能评为优秀"


def test_towns_by_url(demo_events, result):
    at = open_app(demo_events.root, PAGE, atype="乡镇")
    assert_clean(at)
    towns = av.groups(result.table, rules_from(load_scheme(2021)), "乡镇")
    assert len(towns) == 12 and [s.value for s in at.subheader][:12] == [f"乡镇 · {g.group}" for g in towns]
    k = [g.group for g in towns].index("衡南县")
    hengnan = at.dataframe[k].value
    assert hengnan[ZH["as.col.unit"]].tolist() == towns[k].rows["unit_name"].tolist()
    songjiang = hengnan[hengnan[ZH["as.col.unit"]] == "松江镇"].iloc[0]
    assert (songjiang[ZH["as.col.grade"]], songjiang[ZH["as.col.flags"]]) == ("较差", "一票否决")


def test_a_units_result_events_and_what_if(demo_events, result):
    at = open_app(demo_events.root, PAGE, atab=ZH["as.tab_unit"], unit="衡东县")
    assert_clean(at)
    row = result.table[result.table["unit_code"] == "430424"].iloc[0].to_dict()
    cards = {m.label: m.value for m in at.metric}
    assert cards == {ZH["as.card.final"]: "89.75", ZH["as.card.rank"]: f"{row['rank']}/{row['rank_of']}",
                     ZH["as.card.grade"]: row["grade"], ZH["as.card.composite"]: "88.75"}
    assert f"{row['final']:.2f}" == "89.75"
    bodies = {h.proto.body for h in at.get("html")}
    assert any(av.distance_text(row, "zh") in b and "yjx-distance" in b for b in bodies)
    units, indicators = demo_events.catalog()
    w = whatif.close_reds(units, indicators, demo_events.figures(), result.events, 2021, "430424")
    sentence = av.whatif_text(w, "zh")
    assert sentence.startswith("若衡东县补齐 2 项红灯指标（")
    assert any(sentence in b and "yjx-whatif" in b for b in bodies)
    events = _table_with(at, ZH["as.col.basis"]).value
    assert events[ZH["as.col.item"]].tolist() == ["农村人居环境整治获省级表彰"]


def test_events_tab_for_a_reader(demo_events, result):
    at = open_app(demo_events.root, PAGE, atab=ZH["as.tab_events"])
    assert_clean(at)
    table = _table_with(at, ZH["as.col.basis"]).value
    assert len(table) == len(result.events) == 41
    assert ZH["as.need_admin"].format(who="anonymous") in [c.value for c in at.caption]
    assert not [b for b in at.button if b.label == ZH["as.save"]]


def test_english(demo_events):
    at = open_app(demo_events.root, PAGE, lang="English")
    at.run()  # after AppTest's switch_page the language control takes the URL's value on the next run
    assert_clean(at)
    assert at.title[0].value == EN["as.title"].format(year=2021)
    grades = set(_table_with(at, EN["as.col.grade"], 7).value[EN["as.col.grade"]])
    assert grades <= {"excellent", "good", "fair", "poor"}


# ---- an administrator on a small store of its own ---------------------------------------------------

PASSWORD = "衡阳-correct-horse"


@pytest.fixture
def small(store, tmp_path):
    """A store with 2021Q4 figures, an administrator ``admin1`` and a 填报员 ``wang`` (衡南县)."""
    write_xlsx(tmp_path / "q4.xlsx", [["2021Q4", "衡阳县", "GDP", 400, None, 410, None],
                                      ["2021Q4", "衡南县", "GDP", 400, None, 300, None],
                                      ["2021Q4", "衡山县", "GDP", 400, None, 390, None]])
    import_file(tmp_path / "q4.xlsx", store)
    url = database_url(store.root)
    users.add_user(url, Actor.cli_operator(), "admin1", "admin", password=PASSWORD, display_name="管理员甲")
    users.add_user(url, Actor.cli_operator(), "wang", "reporter", units=["430422"], password=PASSWORD)
    return store


def admin_app(root, page=PAGE, account="admin1", **params):
    """The page signed in as ``account`` (as the sign-in form does), on the events tab by default."""
    return open_app(root, page, login=(account, PASSWORD) if account else None,
                    **{"atab": ZH["as.tab_events"], **params})


def _form_button(at, label):
    return next(b for b in at.button if b.label == label)


def test_an_administrator_enters_corrects_and_withdraws(small):
    url = database_url(small.root)
    at = admin_app(small.root)
    assert_clean(at)
    unit = next(s for s in at.selectbox if s.label == ZH["as.col.unit"])
    unit.set_value("430422")
    next(s for s in at.selectbox if s.label == ZH["as.col.kind"]).set_value("bonus")
    inputs = {w.label: w for w in at.text_input}
    inputs[ZH["as.col.item"]].input("获评全省先进")
    inputs[ZH["as.col.points"]].input("2")
    inputs[ZH["as.col.basis"]].input("衡督查〔2021〕5号")
    _form_button(at, ZH["as.save"]).click()
    at.run()
    assert_clean(at)
    (e,) = service.events_as_of(url)
    assert (e.unit_code, e.kind, e.points, e.source["actor"]) == ("430422", "bonus", Decimal(2), "admin1")
    assert any(ZH["as.saved"].format(id=e.id) == s.value for s in at.success)
    # a bonus without points is refused with the reason, nothing stored
    inputs = {w.label: w for w in at.text_input}
    inputs[ZH["as.col.item"]].input("另一项")
    inputs[ZH["as.col.basis"]].input("文2")
    _form_button(at, ZH["as.save"]).click()
    at.run()
    assert at.error and "分值" in at.error[0].value and len(service.events_as_of(url)) == 1
    # correction: the points, with a reason
    at = admin_app(small.root)
    boxes = [w for w in at.text_input if w.label == ZH["as.col.points"]]
    boxes[-1].input("3")
    next(w for w in at.text_input if w.label == ZH["as.reason"]).input("文件为 3 分")
    [b for b in at.button if b.label == ZH["as.save"]][-1].click()
    at.run()
    assert_clean(at)
    assert service.events_as_of(url)[0].points == Decimal(3)
    # withdrawal
    at = admin_app(small.root)
    [w for w in at.text_input if w.label == ZH["as.reason"]][-1].input("误报")
    _form_button(at, ZH["as.withdraw"]).click()
    at.run()
    assert_clean(at)
    assert service.events_as_of(url) == []
    at = admin_app(small.root)
    assert any(e.label == ZH["as.withdrawn"].format(n=1) for e in at.expander)


def test_an_administrator_imports_a_workbook_and_a_bad_one_is_refused(small):
    wb = openpyxl.Workbook()
    wb.active.append(["单位", "年度", "类型", "事项", "分值", "依据", "日期"])
    wb.active.append(["衡阳县", 2021, "加分", "获评先进", 1, "文1", "2021-05-01"])
    wb.active.append(["衡山县", 2021, "一票否决", "事故", None, "文2", "2021-06-01"])
    buf = io.BytesIO()
    wb.save(buf)
    at = admin_app(small.root)
    at.file_uploader[0].set_value(("事项.xlsx", buf.getvalue(),
                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    _form_button(at, ZH["as.import_button"]).click()
    at.run()
    assert_clean(at)
    assert any("新增 2 条" in s.value for s in at.success)
    assert len(service.events_as_of(database_url(small.root))) == 2
    at = admin_app(small.root, atab=ZH["as.tab_groups"])
    table = _table_with(at, ZH["as.col.grade"], 3).value
    assert table.set_index(ZH["as.col.unit"]).at["衡山县", ZH["as.col.grade"]] == "较差"
    # a figures sheet is not taken here
    figures = io.BytesIO()
    write_xlsx(figures, [["2021Q4", "衡阳县", "GDP", 400, None, 420, None]])
    before = small.latest_version()
    at = admin_app(small.root)
    at.file_uploader[0].set_value(("q4.xlsx", figures.getvalue(),
                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    _form_button(at, ZH["as.import_button"]).click()
    at.run()
    assert at.error and small.latest_version() == before


def test_the_data_page_takes_an_events_workbook_from_an_administrator_only(small):
    wb = openpyxl.Workbook()
    wb.active.append(["单位", "年度", "类型", "事项", "分值", "依据", "日期"])
    wb.active.append(["衡阳县", 2021, "加分", "获评先进", 1, "文1", "2021-05-01"])
    buf = io.BytesIO()
    wb.save(buf)
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert not admin_app(small.root, "pages/data.py", None).file_uploader   # anonymous: no upload at all
    for account, stored in (("wang", 0), ("admin1", 1)):                   # a 填报员 may upload figures only
        at = admin_app(small.root, "pages/data.py", account)
        at.file_uploader[0].set_value(("事项.xlsx", buf.getvalue(), mime))
        at.button[0].click().run()
        if stored:                                                        # previewed, then 确认导入
            at.button(key="upl_confirm").click().run()
        assert len(service.events_as_of(database_url(small.root))) == stored
        if stored:
            assert any("新增 1 条" in s.value for s in at.success)
        else:
            assert at.error and "管理员" in at.error[0].value


def test_a_year_without_q4_has_no_result(store, tmp_path):
    write_xlsx(tmp_path / "q3.xlsx", [["2021Q3", "衡阳县", "GDP", 400, None, 310, None]])
    import_file(tmp_path / "q3.xlsx", store)
    at = open_app(store.root, PAGE)
    assert_clean(at)
    assert any("2021 年还没有第四季度" in i.value for i in at.info)
    assert not at.dataframe or all(ZH["as.col.grade"] not in d.value.columns for d in at.dataframe)
