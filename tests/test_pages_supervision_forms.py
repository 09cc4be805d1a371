"""The 云督查 pages' forms in AppTest: a meeting's decisions recorded on the 调度会 page (a new item
pre-filled from an agenda row, a task's deadline and lead unit changed), a progress report with an
evidence file on the 任务清单 page, and an explanation that takes a red off 未挂账红灯."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.access import Actor, Forbidden
from metrics.supervision import meetings, queries, tasks
from metrics.supervision.tasks import MilestoneInput, TaskInput
from tests.conftest_ui import assert_clean, open_app
from tests.test_pages_supervision import PASSWORD, sv_db  # noqa: F401  (the fixture)

D = dt.date
INSP = Actor(name="duban", role="inspector", operator=True)


def _task(url: str) -> int:
    tasks.import_tasks(url, INSP, [
        TaskInput(title="高标准农田建设", lead_unit="430422", leader="王五",
                  milestones=[MilestoneInput("完成规划", D(2021, 3, 31)), MilestoneInput("完工验收", D(2099, 12, 31))])],
        "2021年乡村振兴重点任务")
    return int(tasks.tasks(url)["id"].iloc[0])


def _form_button(at, prefix: str):
    return next(b for b in at.button if b.proto.form_id.startswith(prefix))


def test_meeting_decision_opens_an_item_from_an_agenda_row(demo_store, sv_db):  # noqa: F811
    url, codes = sv_db
    at = open_app(demo_store.root, "pages/meetings.py", login=("duban", PASSWORD))
    assert_clean(at)
    assert "本次会议决定事项（0）" in [s.value for s in at.subheader]
    row = at.selectbox(key="sv_dec_row")
    carried = next(i for i in row.options if codes[0] in i)   # the carried item's row
    row.select(carried).run()
    area = next(a for a in at.text_area if a.label == "决定内容")
    assert area.value == "防返贫监测台账不全"
    area.set_value("衡南县三日内补齐监测台账")
    _form_button(at, "sv_decide_").click().run()
    assert_clean(at)
    frame = queries.items(url)
    new = frame[frame["source"] == "会议"]
    assert len(new) == 1 and new["problem"].iloc[0] == "衡南县三日内补齐监测台账"
    assert new["responsible_unit"].iloc[0] == "430422"
    assert "本次会议决定事项（1）" in [s.value for s in at.subheader]
    shown = at.dataframe[-1].value
    assert list(shown["内容"]) == ["衡南县三日内补齐监测台账"] and list(shown["事项编号"]) == [new["code"].iloc[0]]


def test_meeting_decision_changes_a_task(demo_store, sv_db):  # noqa: F811
    url, _ = sv_db
    tid = _task(url)
    at = open_app(demo_store.root, "pages/meetings.py", login=("duban", PASSWORD))
    at.radio(key="sv_dec_kind").set_value("task").run()
    next(a for a in at.text_area if a.label == "决定内容").set_value("高标准农田改由衡阳县牵头，延至年底")
    next(c for c in at.checkbox if c.label == "调整时限").check()
    next(d for d in at.date_input if d.label == "新时限").set_value(D(2027, 6, 30))
    new_lead = next(s for s in at.selectbox if s.label == "新牵头单位")
    new_lead.set_value("430421")
    _form_button(at, "sv_decide_").click().run()
    assert_clean(at)
    row = tasks.tasks(url).set_index("id").loc[tid]
    assert row["deadline"] == D(2027, 6, 30) and row["lead_unit"] == "430421"
    m = meetings.meeting(url, meetings.meetings(url)[-1]["id"])
    assert [(d["text"], d["task_id"]) for d in m["decisions"]] == [("高标准农田改由衡阳县牵头，延至年底", tid)]


def test_a_reporter_may_not_record_decisions(sv_db):  # noqa: F811
    url, _ = sv_db
    reporter = Actor(name="tianbao", role="reporter", permissions=frozenset({"tasks.report"}),
                     units=frozenset({"430422"}), unit_scoped=True)
    with pytest.raises(Forbidden):
        meetings.decide(url, reporter, meetings.meetings(url)[-1]["id"], "越权")


def test_lead_unit_reporter_reports_progress_on_the_task_page(demo_store, sv_db):  # noqa: F811
    url, _ = sv_db
    tid = _task(url)
    at = open_app(demo_store.root, "pages/tasks.py", login=("tianbao", PASSWORD))
    assert_clean(at)
    assert "报告进展" in [s.value for s in at.subheader]
    next(a for a in at.text_area if a.label == "本周进展").set_value("规划已报县政府常务会审定")
    next(n for n in at.number_input if n.label == "完成比例（%）").set_value(40)
    next(s for s in at.selectbox if s.label == "完成的节点").set_value(1)
    _form_button(at, "sv_report").click().run()
    assert_clean(at)
    d = tasks.task_detail(url, tid)
    assert [(r["actor"], r["text"], r["percent"], r["milestone"]) for r in d["reports"]] == [
        ("tianbao", "规划已报县政府常务会审定", 40, 1)]
    assert d["milestones"][0]["done"] is True
    frame = at.dataframe[0].value
    assert list(frame["完成比例（%）"]) == [40] and list(frame["完成"]) == ["1/2"]
    assert list(at.dataframe[-1].value["内容"]) == ["规划已报县政府常务会审定"]


def test_task_report_keeps_evidence_and_checks_the_unit(tmp_path, sv_db):  # noqa: F811
    url, _ = sv_db
    tid = _task(url)
    other = Actor(name="x", role="reporter", permissions=frozenset({"tasks.report"}), units=frozenset({"430421"}),
                  unit_scoped=True)
    with pytest.raises(Forbidden):
        tasks.report(url, other, tid, "不是牵头单位")
    store = tmp_path / "store"
    tasks.report(url, INSP, tid, "督查员代报", 10, files=[("现场照片.jpg", b"\xff\xd8jpeg")], store_root=store)
    assert tasks.task_detail(url, tid)["reports"][-1]["files"] == ["现场照片.jpg"]
    assert len(list((tmp_path / "store.evidence").rglob("*"))) == 2       # one folder, one file


def _reds(store):
    """The demo's reds of each indicator's latest period (as the pages compute them)."""
    from metrics.compute import Engine
    from metrics.store import Store
    from metrics.supervision import watch

    s = Store(store.root)
    units, indicators = s.catalog()
    engine = Engine(units, indicators, s.figures(codes=True, cache=False))
    latest = watch.latest_rows(engine, engine.fig.frame)
    return latest[latest["status"] == "red"].reset_index(drop=True)


def test_ledger_list_shows_the_indicators_latest_figure_and_light(demo_store, sv_db):  # noqa: F811
    from metrics.supervision import ledger
    from metrics.supervision.ledger import ItemInput

    url, codes = sv_db
    red = _reds(demo_store).iloc[0]
    code = ledger.open_item(url, INSP, ItemInput(
        source="指标", unit_code=red["unit_code"], indicator_code=red["indicator_code"], period=red["period"],
        responsible_unit=red["unit_code"], problem="指标滞后", leader="李四", deadline=D(2099, 1, 1),
        requirements=[("补齐进度", None)]), on=D(2021, 7, 1))
    at = open_app(demo_store.root, "pages/ledger.py", login=("duban", PASSWORD))
    assert_clean(at)
    frame = at.dataframe[0].value.set_index("编号")
    assert {"状态", "单位", "指标", "责任单位", "时限"} <= set(frame.columns)
    assert frame.loc[code, "指标最新灯"] == "滞后"
    assert frame.loc[code, "指标最新实绩"].startswith(f"{red['period']} ")
    assert frame.loc[codes[0], "指标最新实绩"] == "" and frame.loc[codes[0], "指标最新灯"] == ""
    assert not [c for c in frame.columns if c.isascii() and c.isidentifier()]     # no raw column names


def test_explaining_a_red_takes_it_off_the_unledgered_list(demo_store, sv_db):  # noqa: F811
    url, _ = sv_db
    at = open_app(demo_store.root, "pages/ledger.py", login=("duban", PASSWORD))
    assert_clean(at)
    before = int(next(m for m in at.metric if m.label == "未挂账红灯").value)
    assert before > 0
    pick = next(s for s in at.selectbox if s.label == "红灯")
    first = pick.options[0]
    next(a for a in at.text_area if a.label == "说明（为何不挂账）").set_value("数据口径调整，省里已认可")
    _form_button(at, "sv_explain").click().run()
    assert_clean(at)
    assert int(next(m for m in at.metric if m.label == "未挂账红灯").value) == before - 1
    assert first not in next(s for s in at.selectbox if s.label == "红灯").options
    assert len(meetings.explained_reds(url)) == 1
