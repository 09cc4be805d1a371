"""调度会: agenda sections as of the meeting date, carry-forward across three meetings with 第N次调度,
decisions as ledger items, minutes as .docx (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from factories import write_xlsx
from supervision_factories import actor

from metrics.access import Forbidden
from metrics.importer import import_file
from metrics.supervision import agenda, ledger, meetings, minutes, queries
from metrics.supervision.ledger import ItemInput

INSPECTOR = actor("duchayuan", "inspector")
REPORTER = actor("tianbao", "reporter", ["430421"])
D = dt.date


def item(**kw) -> ItemInput:
    base = dict(source="督查", unit_code="430421", problem="项目进度滞后", responsible_unit="430421", leader="张三",
                deadline=D(2021, 5, 31), requirements=[("加快进度", None)])
    base.update(kw)
    return ItemInput(**base)


def test_carry_forward_across_three_meetings(db_url):
    a, b, c = ledger.open_items(db_url, INSPECTOR, [item(), item(deadline=D(2021, 4, 10)), item()], on=D(2021, 4, 1))
    m1 = meetings.create(db_url, INSPECTOR, "周调度", D(2021, 4, 12))
    first = meetings.meeting(db_url, m1)["agenda"]
    assert [line["code"] for line in first["overdue_items"]] == [b] and first["carried"] == []
    d = meetings.decide(db_url, INSPECTOR, m1, "衡阳县限期补齐台账", item=item(problem="台账不全"))
    assert d == "DC-2021-0004" and queries.detail(db_url, d)["source"] == "会议"
    ledger.transition(db_url, REPORTER, a, "start", on=D(2021, 4, 13))
    m2 = meetings.create(db_url, INSPECTOR, "周调度", D(2021, 4, 19))
    second = meetings.meeting(db_url, m2)["agenda"]
    assert {(line["code"], line["times"]) for line in second["carried"]} == {(b, 2), (d, 2)}
    assert [x["text"] for x in second["last_decisions"]] == ["衡阳县限期补齐台账"]
    assert meetings.times_label(2) == "第2次调度" and meetings.times_label(1) == ""
    ledger.transition(db_url, INSPECTOR, d, "withdraw", reason="已并入其他事项", on=D(2021, 4, 20))
    m3 = meetings.create(db_url, INSPECTOR, "周调度", D(2021, 4, 26))
    third = meetings.meeting(db_url, m3)["agenda"]
    assert [(line["code"], line["times"]) for line in third["carried"]] == [(b, 3)]   # d closed: not carried
    other = meetings.create(db_url, INSPECTOR, "旬通报", D(2021, 4, 27))                # another kind counts apart
    assert [(x["code"], x["times"]) for x in meetings.meeting(db_url, other)["agenda"]["overdue_items"]] == [(b, 1)]
    assert c not in [x["code"] for x in third["carried"] + third["overdue_items"]]
    with pytest.raises(ledger.Refused, match="已有"):
        meetings.create(db_url, INSPECTOR, "周调度", D(2021, 4, 26))
    with pytest.raises(Forbidden):
        meetings.create(db_url, REPORTER, "周调度", D(2021, 5, 3))
    data = minutes.render(meetings.meeting(db_url, m3), {"430421": "衡阳县"})
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "第3次调度" in text and b in text and "衡阳县" in text and "2021年4月26日" in text


def test_agenda_figures_as_of_the_meeting_date(store, tmp_path, db_url):
    rows = [["2021Q1", "衡阳县", "地区生产总值", 100, None, 15, None], ["2021Q1", "衡南县", "地区生产总值", 100, None, 30, None],
            ["2021Q1", "衡山县", "地区生产总值", 100, None, 10, "受疫情影响"]]
    import_file(write_xlsx(tmp_path / "q1.xlsx", rows), store)
    on = D(2030, 1, 1)
    items = queries.items(db_url, on=on)
    sections = agenda.figure_sections(store, on, items, set())
    reds = {(r["unit_code"], r["indicator_code"]) for r in sections.behind if r["status"] == "red"}
    assert ("430421", "GDP") in reds and ("430423", "GDP") in reds
    unl = {(r["unit_code"], r["indicator_code"]) for r in sections.unledgered}
    assert ("430421", "GDP") in unl and ("430423", "GDP") not in unl          # 衡山县 has a 备注
    ledger.open_item(db_url, INSPECTOR, item(source="指标", indicator_code="GDP", period="2021Q1"), on=D(2021, 4, 20))
    sections = agenda.figure_sections(store, on, queries.items(db_url, on=on), set())
    assert ("430421", "GDP") not in {(r["unit_code"], r["indicator_code"]) for r in sections.unledgered}
    assert agenda.figure_sections(store, D(2000, 1, 1), items, set()).store_version == 0
    mid = meetings.create(db_url, INSPECTOR, "季度讲评", on, figures=sections)
    assert meetings.meeting(db_url, mid)["store_version"] == sections.store_version > 0
