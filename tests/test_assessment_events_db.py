"""加扣分事项 in the database (SQLite and PostgreSQL): entry, correction, withdrawal, re-import, as-of
reads, the permission and the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from metrics.access import PERMISSIONS, Actor, Forbidden
from metrics.assessment import service
from metrics.assessment.events import Event, EventRejected
from metrics.assessment.models import AssessmentEvent, EventRevision
from metrics.db import session_scope
from metrics.db.models import AuditEntry

ADMIN = Actor(name="admin1", role="admin", permissions=frozenset(PERMISSIONS))
ANALYST = Actor(name="ana", role="analyst", permissions=frozenset({"read", "export"}))


def event(unit="430421", kind="bonus", item="获评全省先进", points="2", basis="衡督查〔2021〕12号", **kw) -> Event:
    return Event(unit_code=unit, year=kw.pop("year", 2021), kind=kind, item=item,
                 points=None if points is None else Decimal(points), basis=basis,
                 date=kw.pop("date", dt.date(2021, 5, 10)), **kw)


def audit(url: str) -> list[AuditEntry]:
    with session_scope(url) as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def counts(url: str) -> tuple[int, int]:
    with session_scope(url) as s:
        return (s.scalar(select(func.count()).select_from(AssessmentEvent)),
                s.scalar(select(func.count()).select_from(EventRevision)))


def test_entry_is_stored_audited_and_read_back(db_url):
    eid = service.enter(db_url, ADMIN, event(evidence="通报原件", note="示例"))
    (e,) = service.events_as_of(db_url, year=2021)
    assert (e.id, e.unit_code, e.kind, e.item, e.points, e.basis, e.date) == (
        eid, "430421", "bonus", "获评全省先进", Decimal("2"), "衡督查〔2021〕12号", dt.date(2021, 5, 10))
    assert (e.evidence, e.note, e.source["action"], e.source["actor"]) == ("通报原件", "示例", "entry", "admin1")
    (entry,) = audit(db_url)
    assert (entry.action, entry.actor, entry.target_id) == ("events.enter", "admin1", str(eid))
    assert entry.summary["after"]["points"] == "2"
    assert service.events_as_of(db_url, year=2020) == []


def test_only_an_administrator_may_write_and_a_refusal_changes_nothing(db_url):
    with pytest.raises(Forbidden):
        service.enter(db_url, ANALYST, event())
    with pytest.raises(Forbidden):
        service.enter(db_url, Actor.anonymous(), event())
    with pytest.raises(Forbidden):
        service.import_events(db_url, ANALYST, [event()], "x.xlsx")
    assert counts(db_url) == (0, 0) and audit(db_url) == []


def test_an_invalid_event_is_refused_with_every_reason(db_url):
    bad = event(kind="veto", points="3", item="", basis="", date=dt.date(2019, 1, 1))
    with pytest.raises(EventRejected) as err:
        service.enter(db_url, ADMIN, bad)
    assert {p.field for p in err.value.problems} == {"item", "basis", "points", "date"}
    with pytest.raises(EventRejected, match="positive"):
        service.enter(db_url, ADMIN, event(points="-2", kind="deduction"))
    assert counts(db_url) == (0, 0)


def test_the_same_event_twice_is_refused(db_url):
    service.enter(db_url, ADMIN, event())
    with pytest.raises(service.DuplicateEvent):
        service.enter(db_url, ADMIN, event(item=" 获评全省先进 ", points="3"))   # same key: spacing aside
    service.enter(db_url, ADMIN, event(basis="衡督查〔2021〕13号"))              # another document: another event
    assert counts(db_url) == (2, 2)


def test_correction_appends_a_revision_and_as_of_reads_the_old_state(db_url):
    eid = service.enter(db_url, ADMIN, event())
    (first,) = service.events_as_of(db_url)
    service.correct(db_url, ADMIN, eid, "文件分值为 3 分", points=Decimal(3), date=dt.date(2021, 5, 12))
    (now,) = service.events_as_of(db_url)
    assert (now.points, now.date, now.source["action"], now.source["reason"]) == (
        Decimal(3), dt.date(2021, 5, 12), "correction", "文件分值为 3 分")
    (then,) = service.events_as_of(db_url, at=first.source["at"])
    assert then.points == Decimal(2)
    assert [h.points for h in service.history(db_url, eid)] == [Decimal(2), Decimal(3)]
    assert service.events_as_of(db_url, at=first.source["at"] - dt.timedelta(seconds=1)) == []
    with pytest.raises(EventRejected, match="reason"):
        service.correct(db_url, ADMIN, eid, "", points=Decimal(4))
    with pytest.raises(EventRejected):
        service.correct(db_url, ADMIN, eid, "再改", points=Decimal(-1))
    assert audit(db_url)[-1].action == "events.correct" and audit(db_url)[-1].summary["before"]["points"] == "2"


def test_a_correction_may_not_take_another_events_key(db_url):
    service.enter(db_url, ADMIN, event(item="甲"))
    b = service.enter(db_url, ADMIN, event(item="乙"))
    with pytest.raises(service.DuplicateEvent):
        service.correct(db_url, ADMIN, b, "改名", item="甲")
    service.correct(db_url, ADMIN, b, "改名", item="丙")
    assert sorted(e.item for e in service.events_as_of(db_url)) == ["丙", "甲"]


def test_withdrawal_stops_counting_but_history_stays(db_url):
    eid = service.enter(db_url, ADMIN, event())
    (before,) = service.events_as_of(db_url)
    with pytest.raises(EventRejected):
        service.withdraw(db_url, ADMIN, eid, " ")
    service.withdraw(db_url, ADMIN, eid, "文件已撤销")
    assert service.events_as_of(db_url) == []
    assert [e.id for e in service.events_as_of(db_url, at=before.source["at"])] == [eid]
    (gone,) = service.events_as_of(db_url, withdrawn=True)
    assert gone.source["withdrawn"] and gone.source["reason"] == "文件已撤销"
    with pytest.raises(EventRejected):
        service.correct(db_url, ADMIN, eid, "x", points=Decimal(1))
    again = service.enter(db_url, ADMIN, event())     # the same key may be entered anew
    assert again != eid and counts(db_url) == (2, 3)
    with pytest.raises(service.EventNotFound):
        service.withdraw(db_url, ADMIN, 999, "x")


def test_reimport_matches_on_the_key_and_never_withdraws_absent_rows(db_url):
    rows = [event(item="甲", source={"sheet": "S", "row": 3}), event(item="乙", source={"sheet": "S", "row": 4}),
            event(kind="veto", item="丙", points=None, source={"sheet": "S", "row": 5})]
    first = service.import_events(db_url, ADMIN, rows, "a.xlsx")
    assert (len(first.added), first.corrected, first.unchanged) == (3, [], 0)
    same = service.import_events(db_url, ADMIN, rows, "a.xlsx")
    assert (same.added, same.corrected, same.unchanged) == ([], [], 3)
    assert counts(db_url) == (3, 3)
    changed = [event(item="甲", points="2.5", source={"sheet": "S", "row": 3})]     # 乙 and 丙 absent
    later = service.import_events(db_url, ADMIN, changed, "b.xlsx")
    assert (later.added, later.corrected, later.unchanged) == ([], [first.added[0]], 0)
    now = {e.item: e for e in service.events_as_of(db_url)}
    assert set(now) == {"甲", "乙", "丙"} and now["甲"].points == Decimal("2.5")
    assert (now["甲"].source["file"], now["甲"].source["row"], now["甲"].source["action"]) == ("b.xlsx", 3, "import")
    actions = [a.action for a in audit(db_url)]
    assert actions.count("events.import.add") == 3 and actions.count("events.import.correct") == 1
    assert actions.count("events.import") == 3


def test_reimport_does_not_restore_a_withdrawn_event(db_url):
    out = service.import_events(db_url, ADMIN, [event(source={"row": 2})], "a.xlsx")
    service.withdraw(db_url, ADMIN, out.added[0], "误报")
    again = service.import_events(db_url, ADMIN, [event(source={"row": 2})], "a.xlsx")
    assert again.added == [] and [eid for _, eid in again.withdrawn_rows] == out.added
    assert service.events_as_of(db_url) == []
    preview = service.preview_import(db_url, [event(), event(item="新")])
    assert (len(preview.added), len(preview.withdrawn_rows)) == (1, 1) and counts(db_url) == (1, 2)


def test_an_import_is_one_transaction(db_url, monkeypatch):
    good, boom = event(item="甲"), event(item="乙")
    real = service._append

    def failing(w, ev, e, *a, **kw):
        if e.item == "乙":
            raise RuntimeError("disk full")
        return real(w, ev, e, *a, **kw)

    monkeypatch.setattr(service, "_append", failing)
    with pytest.raises(RuntimeError):
        service.import_events(db_url, ADMIN, [good, boom], "a.xlsx")
    assert counts(db_url) == (0, 0) and audit(db_url) == []


def test_an_account_actor_from_the_database(db_url):
    from metrics import accounts
    from metrics.db.models import User

    with session_scope(db_url) as s:
        s.add(User(name="王管理", role="admin", display_name="王管理"))
        s.add(User(name="李分析", role="analyst", display_name="李分析"))
    service.enter(db_url, accounts.actor_for(db_url, "王管理"), event())
    with pytest.raises(Forbidden):
        service.enter(db_url, accounts.actor_for(db_url, "李分析"), event(item="另一"))
    assert service.last_change(db_url).startswith("1@")
