"""The 云督查 pages in AppTest: what the ledger, task list, meeting and to-do pages show, an action
taken on the page, the panel on a county page and the overview's counts."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics import users
from metrics.access import Actor
from metrics.supervision import ledger, meetings, queries, tasks
from metrics.supervision.ledger import ItemInput
from tests.conftest_ui import assert_clean, open_app

PASSWORD = "衡阳-督查-销号"
D = dt.date


@pytest.fixture
def sv_db(tmp_path, monkeypatch):
    """The pages' database for this test only, with an inspector, a reporter for 衡南县 and three items."""
    from ui import identity

    url = f"sqlite:///{tmp_path / 'sv.sqlite3'}"
    monkeypatch.setenv("METRICS_DB", url)
    identity.db_url.clear()
    op = Actor.cli_operator()
    users.add_user(url, op, "duban", "inspector", password=PASSWORD, display_name="督查员")
    users.add_user(url, op, "tianbao", "reporter", units=["430422"], password=PASSWORD, display_name="填报员")
    insp = Actor(name="duban", role="inspector", operator=True)
    base = dict(source="督查", requirements=[("制定方案", None)], leader="王五（副县长）")
    codes = ledger.open_items(url, insp, [
        ItemInput(unit_code="430422", responsible_unit="430422", problem="防返贫监测台账不全", deadline=D(2021, 5, 31), **base),
        ItemInput(unit_code="430421", responsible_unit="430421", problem="招商引资进度滞后", deadline=D(2099, 12, 31), **base),
        ItemInput(unit_code="430422", responsible_unit="430422", problem="高标准农田建设滞后", deadline=D(2099, 12, 31), **base),
    ], on=D(2021, 4, 1))
    ledger.urge(url, insp, codes[0], "请抓紧", on=D(2021, 4, 20))
    meetings.create(url, insp, "周调度", D(2021, 6, 7))
    meetings.create(url, insp, "周调度", D(2021, 6, 14))
    yield url, codes
    identity.db_url.clear()


def _texts(at) -> str:
    return "\n".join([*(x.value for x in at.text), *(x.value for x in at.caption), *(x.value for x in at.subheader),
                      *(x.value for x in at.markdown)])


def test_ledger_page_lists_filters_and_moves_an_item(demo_store, sv_db):
    url, codes = sv_db
    at = open_app(demo_store.root, "pages/ledger.py", login=("duban", PASSWORD))
    assert_clean(at)
    frame = at.dataframe[0].value
    assert list(frame["编号"]) == codes
    assert list(frame["状态"]) == ["挂账", "挂账", "挂账"]
    assert list(frame["逾期"]) == ["逾期", "", ""]
    assert list(frame["单位"]) == ["衡南县", "衡阳县", "衡南县"]
    assert frame["催办"].iloc[0] == "一次催办"
    assert [m.value for m in at.metric][:3] == ["3", "1", "0"]
    at.checkbox(key="sv_overdue").check().run()
    assert list(at.dataframe[0].value["编号"]) == [codes[0]]
    at.checkbox(key="sv_overdue").uncheck().run()
    assert "王五（副县长）" in _texts(at) and "防返贫监测台账不全" in _texts(at)
    form_buttons = [b for b in at.button if b.proto.form_id.startswith("sv_act_")]
    at.radio[0].set_value("withdraw")
    at.text_area[0].set_value("重复挂账")
    form_buttons[0].click().run()
    assert_clean(at)
    assert queries.detail(url, codes[0])["status"] == "撤销"


def test_reporter_sees_his_todo_and_cannot_urge(demo_store, sv_db):
    url, codes = sv_db
    at = open_app(demo_store.root, "pages/todo.py", login=("tianbao", PASSWORD))
    assert_clean(at)
    heads = [s.value for s in at.subheader]
    assert "待整改事项（2）" in heads and "待验收（申请销号）（0）" not in heads   # a reporter accepts nothing
    assert set(at.dataframe[0].value["编号"]) == {codes[0], codes[2]}
    with pytest.raises(Exception, match="无权"):
        ledger.urge(url, Actor(name="tianbao", role="reporter", permissions=frozenset({"ledger.feedback"}),
                               units=frozenset({"430422"}), unit_scoped=True), codes[0], "x")


def test_meeting_page_shows_the_agenda_with_carried_count(demo_store, sv_db):
    url, codes = sv_db
    at = open_app(demo_store.root, "pages/meetings.py", login=("duban", PASSWORD))
    assert_clean(at)
    heads = [s.value for s in at.subheader]
    assert "上次未完成事项（结转）（1）" in heads
    carried = at.dataframe[0].value
    assert list(carried["编号"]) == [codes[0]] and list(carried["调度次数"]) == ["第2次调度"]
    assert list(carried["责任单位"]) == ["衡南县"]


def test_task_page_shows_lights(demo_store, sv_db):
    url, _ = sv_db
    from metrics.supervision.tasks import MilestoneInput, TaskInput

    tasks.import_tasks(url, Actor(name="duban", role="inspector", operator=True), [
        TaskInput(title="高标准农田建设", lead_unit="430422", leader="王五",
                  milestones=[MilestoneInput("完成规划", D(2021, 3, 31)), MilestoneInput("完工验收", D(2099, 12, 31))])],
        "2021年乡村振兴重点任务")
    at = open_app(demo_store.root, "pages/tasks.py", login=("duban", PASSWORD))
    assert_clean(at)
    frame = at.dataframe[0].value
    assert list(frame["任务"]) == ["高标准农田建设"] and list(frame["灯"]) == ["红"]
    assert list(frame["牵头单位"]) == ["衡南县"] and list(frame["完成"]) == ["0/2"]


def test_county_page_panel_and_overview_counts(demo_store, sv_db):
    at = open_app(demo_store.root, "pages/counties.py", unit="衡南县")
    assert_clean(at)
    assert any(e.label.startswith("督查事项（2）") for e in at.expander)
    at = open_app(demo_store.root, "pages/overview.py")
    assert_clean(at)
    labels = [m.label for m in at.metric]
    assert "开放事项" in labels and "未挂账红灯" in labels


def _ledger_links(at, column: str = "挂账") -> list[str]:
    """The 挂账 links of every table on the page (None cells left out)."""
    links = []
    for df in at.dataframe:
        frame = df.value.data if hasattr(df.value, "data") else df.value
        if column in frame.columns:
            links += [x for x in frame[column] if isinstance(x, str) and x]
    return links


def test_red_rows_anywhere_link_to_a_prefilled_ledger_form(demo_store, sv_db):
    """挂账 from the overview's shortfalls and a county's own table: one link per red / behind row,
    for those who may 挂账; the link's period is the page's period, not only the latest."""
    from urllib.parse import parse_qs, urlsplit

    at = open_app(demo_store.root, "pages/overview.py", login=("duban", PASSWORD), tab="短板", period="2021年第二季度")
    assert_clean(at)
    links = _ledger_links(at)
    assert links, "the overview's shortfalls list has no 挂账 link"
    for link in links:
        parts = urlsplit(link)
        assert parts.path == "ledger" and not parts.scheme and not parts.netloc
        q = parse_qs(parts.query)
        assert q["red_period"] == ["2021Q2"] and q["red_unit"][0] and q["red_ind"][0]
    at = open_app(demo_store.root, "pages/counties.py", login=("duban", PASSWORD), unit="衡南县",
                  period="2021年第二季度")
    assert_clean(at)
    own = [parse_qs(urlsplit(x).query) for x in _ledger_links(at)]
    assert own and any(q["red_unit"] == ["430422"] for q in own)
    # anonymous readers and reporters see the figures without the column
    at = open_app(demo_store.root, "pages/overview.py", tab="短板", period="2021年第二季度")
    assert_clean(at)
    assert not _ledger_links(at) and all("挂账" not in (d.value.data if hasattr(d.value, "data") else d.value).columns
                                         for d in at.dataframe)


def test_ledger_form_prefilled_from_a_red_cell_of_an_earlier_period(demo_store, sv_db):
    from metrics.compute import Engine

    store = demo_store
    units, indicators = store.catalog()
    table = Engine(units, indicators, store.figures()).indicator_table(["2021Q2"])
    red = table[table["status"].astype(str) == "red"].iloc[0]
    at = open_app(demo_store.root, "pages/ledger.py", login=("duban", PASSWORD), red_unit=str(red["unit_code"]),
                  red_ind=str(red["indicator_code"]), red_period="2021Q2")
    assert_clean(at)
    notes = [a.value for a in at.info]
    assert any(str(red["unit_name"]) in n and str(red["indicator_name"]) in n and "2021年第二季度" in n for n in notes), notes
    period_box = [w for w in at.text_input if w.label == "发现期间"]
    assert period_box and period_box[0].value == "2021Q2"
    # a link to a green pair or a made-up period pre-fills nothing
    at = open_app(demo_store.root, "pages/ledger.py", login=("duban", PASSWORD), red_unit=str(red["unit_code"]),
                  red_ind=str(red["indicator_code"]), red_period="../../etc")
    assert_clean(at)
    assert not any("已根据红灯" in a.value for a in at.info)
