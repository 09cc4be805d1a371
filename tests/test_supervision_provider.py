"""The bulletin's 督查事项 section comes from the ledger: open, overdue, struck off in the period and
carried items with their 第N次调度 (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from supervision_factories import actor

from metrics.bulletin import providers
from metrics.supervision import ledger, meetings
from metrics.supervision.ledger import ItemInput

INSPECTOR = actor("duchayuan", "inspector")
D = dt.date


def item(unit="430421", **kw) -> ItemInput:
    return ItemInput(source="督查", unit_code=unit, problem="进度滞后", responsible_unit=unit, leader="张三",
                     deadline=kw.pop("deadline", D(2021, 8, 31)), requirements=[("加快", None)], **kw)


def test_supervision_provider_reads_the_ledger(db_url):
    assert isinstance(providers.supervision(None, "2021Q3", ["430421"], D(2021, 10, 8)), providers.Unavailable)
    a, b, c, d = ledger.open_items(db_url, INSPECTOR, [item(), item(deadline=D(2021, 12, 31)), item(), item("430422")],
                                   on=D(2021, 7, 1))
    for code in (c,):
        ledger.transition(db_url, INSPECTOR, code, "start", on=D(2021, 7, 2))
        ledger.transition(db_url, INSPECTOR, code, "apply", reason="完成", on=D(2021, 8, 1))
        ledger.transition(db_url, INSPECTOR, code, "accept", reason="到位", on=D(2021, 8, 5))
    meetings.create(db_url, INSPECTOR, "周调度", D(2021, 9, 6))
    meetings.create(db_url, INSPECTOR, "周调度", D(2021, 9, 13))
    got = providers.supervision(db_url, "2021Q3", ["430421"], D(2021, 10, 8))
    assert (got.open, got.overdue, got.closed) == (2, 1, 1)
    assert [(x["code"], x["times"]) for x in got.carried] == [(a, 2)]
    assert {x["code"] for x in got.items} == {a, b} and d not in {x["code"] for x in got.items}
