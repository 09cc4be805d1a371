"""调度会: a meeting for a date whose agenda is computed once at creation (stored with the store
version it used), decisions recorded as ledger items (source 会议) or task changes, and every
unfinished item of the previous meeting of the same kind carried forward with "第N次调度"
(N = the meetings of that kind it has appeared on, this one included)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import insert, select

from metrics import writes
from metrics.access import Actor
from metrics.db.engine import session_scope
from metrics.supervision import queries
from metrics.supervision import tasks as task_service
from metrics.supervision.agenda import FigureSections
from metrics.supervision.ledger import ItemInput, Refused, _new_item
from metrics.supervision.models import Decision, LedgerItem, Meeting, MeetingEntry, RedExplanation, Task
from metrics.supervision.states import OPEN_STATES

KINDS = ("周调度", "旬通报", "季度讲评")
KIND_EN = {"周调度": "weekly dispatch", "旬通报": "ten-day review", "季度讲评": "quarterly review"}
SECTIONS = ("carried", "behind", "unledgered", "overdue_items", "overdue_tasks", "applying", "last_decisions")

FigureSource = Callable[[dt.date, object, set], FigureSections]


def explained_reds(db_url: str) -> set[tuple[str, str, str]]:
    with session_scope(db_url) as s:
        return {(u, i, p) for u, i, p in s.execute(select(RedExplanation.unit_code, RedExplanation.indicator_code,
                                                          RedExplanation.period))}


def _item_line(row, times: int = 1) -> dict:
    return {"ref": f"item:{row['code']}", "code": row["code"], "unit_code": row["unit_code"],
            "responsible_unit": row["responsible_unit"], "problem": row["problem"], "leader": row["leader"],
            "deadline": str(row["deadline"]), "status": row["status"], "overdue": bool(row["overdue"]),
            "times": times}


def _task_line(row, times: int = 1) -> dict:
    return {"ref": f"task:{row['id']}", "task_id": int(row["id"]), "title": row["title"],
            "lead_unit": row["lead_unit"], "leader": row["leader"], "light": row["light"],
            "next_due": str(row["next_due"]) if row["next_due"] else None, "missed": list(row["missed"]),
            "times": times}


def _previous(session, kind: str, held_on: dt.date):
    """(id, held_on, title) of the last meeting of ``kind`` before ``held_on`` — columns only: the
    stored agenda (thousands of lines on a big ledger) is not loaded to read its entries."""
    return session.execute(select(Meeting.id, Meeting.held_on, Meeting.title)
                           .where(Meeting.kind == kind, Meeting.held_on < held_on)
                           .order_by(Meeting.held_on.desc(), Meeting.id.desc())).first()


def _times_before(session, kind: str, held_on: dt.date) -> dict[str, int]:
    """ref → the meetings of ``kind`` before ``held_on`` it appeared on."""
    rows = session.execute(select(MeetingEntry.ref).join(Meeting, Meeting.id == MeetingEntry.meeting_id)
                           .where(Meeting.kind == kind, Meeting.held_on < held_on)).all()
    out: dict[str, int] = {}
    for (ref,) in rows:
        out[ref] = out.get(ref, 0) + 1
    return out


def build_agenda(db_url: str, kind: str, held_on: dt.date, figures: FigureSections | None = None,
                 every_days: int = 7, warn_days: int = 7) -> dict:
    """The agenda as of ``held_on`` (pure read): every section, each line with its 第N次 count."""
    items = queries.items(db_url, on=held_on, every_days=every_days)
    task_frame = task_service.tasks(db_url, on=held_on, warn_days=warn_days)
    figures = figures or FigureSections()
    by_task = {int(r["id"]): r for r in task_frame.to_dict("records")} if len(task_frame) else {}
    with session_scope(db_url) as s:
        prev = _previous(s, kind, held_on)
        before = _times_before(s, kind, held_on)
        prev_refs = list(s.scalars(select(MeetingEntry.ref).where(MeetingEntry.meeting_id == prev.id)
                                   .order_by(MeetingEntry.id))) if prev else []
        decisions = s.scalars(select(Decision).where(Decision.meeting_id == prev.id).order_by(Decision.seq)).all() \
            if prev else []
        decided = {d.item_id: s.get(LedgerItem, d.item_id).code for d in decisions if d.item_id}
        # records only for the items an agenda can name (carried, overdue, applying): a dict per item
        # of a 10,000-item ledger costs more than the rest of the agenda
        named = {r.split(":", 1)[1] for r in prev_refs if r.startswith("item:")} | set(decided.values())
        keep = items["code"].isin(named) | items["overdue"] | (items["status"] == "申请销号") if len(items) else None
        by_code = {r["code"]: r for r in items[keep].to_dict("records")} if len(items) else {}
        prev_decisions = []
        if prev:
            for d in decisions:
                code = decided.get(d.item_id) if d.item_id else None
                prev_decisions.append({"seq": d.seq, "text": d.text, "code": code,
                                       "status": by_code[code]["status"] if code in by_code else None,
                                       "task_id": d.task_id})
                if code and f"item:{code}" not in prev_refs:
                    prev_refs.append(f"item:{code}")
    times = lambda ref: before.get(ref, 0) + 1  # noqa: E731
    carried, shown = [], set()
    for ref in prev_refs:
        kind_, key = ref.split(":", 1)
        if kind_ == "item" and key in by_code and by_code[key]["status"] in OPEN_STATES:
            carried.append(_item_line(by_code[key], times(ref)))
            shown.add(ref)
        elif kind_ == "task" and int(key) in by_task and by_task[int(key)]["light"] != task_service.DONE:
            carried.append(_task_line(by_task[int(key)], times(ref)))
            shown.add(ref)
    overdue_items = [_item_line(r, times(f"item:{r['code']}")) for r in by_code.values()
                     if r["overdue"] and f"item:{r['code']}" not in shown]
    applying = [_item_line(r, times(f"item:{r['code']}")) for r in by_code.values()
                if r["status"] == "申请销号" and f"item:{r['code']}" not in shown]
    overdue_tasks = [_task_line(r, times(f"task:{r['id']}")) for r in by_task.values()
                     if r["light"] == task_service.RED and f"task:{r['id']}" not in shown]
    return {"kind": kind, "held_on": str(held_on), "store_version": figures.store_version,
            "previous": {"id": prev.id, "held_on": str(prev.held_on), "title": prev.title} if prev else None,
            "carried": carried, "behind": figures.behind, "unledgered": figures.unledgered,
            "overdue_items": overdue_items, "overdue_tasks": overdue_tasks, "applying": applying,
            "last_decisions": prev_decisions}


def _entries(agenda: dict) -> list[dict]:
    """The agenda's lines as meeting_entries rows (one per ref, first section wins)."""
    out, seen = [], set()
    for section in ("carried", "overdue_items", "overdue_tasks", "applying"):
        for line in agenda[section]:
            if line["ref"] not in seen:
                seen.add(line["ref"])
                out.append({"ref": line["ref"], "section": section, "times": line["times"]})
    return out


def create(db_url: str, actor: Actor, kind: str, held_on: dt.date, *, title: str = "", attendees: list[str] = (),
           figures: FigureSections | None = None, every_days: int = 7, warn_days: int = 7) -> int:
    """A meeting with its agenda computed now, as of ``held_on``; returns its id."""
    if kind not in KINDS:
        raise Refused(f"会议类型须为{'、'.join(KINDS)}之一", f"the kind must be one of {', '.join(KINDS)}")
    agenda = build_agenda(db_url, kind, held_on, figures, every_days, warn_days)
    with writes.write(db_url, actor, "meetings.manage") as w:
        if w.session.scalar(select(Meeting.id).where(Meeting.kind == kind, Meeting.held_on == held_on)):
            raise Refused(f"{held_on:%Y-%m-%d} 已有一次{kind}", f"there is already a {KIND_EN[kind]} on {held_on}")
        number = 1 + len(w.session.scalars(select(Meeting.id).where(Meeting.kind == kind,
                                                                     Meeting.held_on < held_on)).all())
        meeting = Meeting(kind=kind, held_on=held_on, title=title or f"{held_on.year}年第{number}次{kind}会",
                          attendees=[a.strip() for a in attendees if a.strip()], agenda=agenda,
                          store_version=agenda["store_version"], created_by=actor.name)
        w.session.add(meeting)
        w.session.flush()
        entries = [{**e, "meeting_id": meeting.id} for e in _entries(agenda)]
        if entries:  # one executemany: thousands of carried lines on a big ledger
            w.session.execute(insert(MeetingEntry), entries)
        w.audit("meeting.create", "meeting", meeting.id,
                after={"kind": kind, "held_on": held_on, "store_version": agenda["store_version"],
                       "lines": sum(len(agenda[s]) for s in SECTIONS)})
        return meeting.id


def regenerate(db_url: str, actor: Actor, meeting_id: int, figures: FigureSections | None = None,
               every_days: int = 7, warn_days: int = 7, reason: str = "") -> None:
    """Compute the agenda again (an explicit, audited action: the stored one is replaced)."""
    if not reason.strip():
        raise Refused("重新生成议程须写明理由", "regenerating an agenda needs a reason")
    with session_scope(db_url) as s:
        m = s.get(Meeting, meeting_id)
        if m is None:
            raise Refused(f"没有编号为 {meeting_id} 的会议", f"no meeting {meeting_id}")
        kind, held_on = m.kind, m.held_on
    agenda = build_agenda(db_url, kind, held_on, figures, every_days, warn_days)
    with writes.write(db_url, actor, "meetings.manage") as w:
        m = w.session.get(Meeting, meeting_id)
        decided = {e.ref: e for e in m.entries if e.section == "decision"}
        for e in list(m.entries):
            if e.section != "decision":
                w.session.delete(e)
        w.session.flush()
        m.entries = [*decided.values(), *[MeetingEntry(**e) for e in _entries(agenda) if e["ref"] not in decided]]
        m.agenda, m.store_version = agenda, agenda["store_version"]
        w.audit("meeting.regenerate", "meeting", meeting_id, reason=reason,
                after={"store_version": agenda["store_version"]})


def decide(db_url: str, actor: Actor, meeting_id: int, text: str, item: ItemInput | None = None,
           task_id: int | None = None, *, deadline: dt.date | None = None, lead_unit: str | None = None) -> str | None:
    """Record a decision; with ``item`` it becomes a ledger item (source 会议) — returns its code; with
    ``task_id`` and a new ``deadline`` / ``lead_unit`` the task is changed in the same transaction."""
    if not text.strip():
        raise Refused("决定事项须写明内容", "a decision needs a text")
    with writes.write(db_url, actor, "meetings.manage") as w:
        m = w.session.get(Meeting, meeting_id)
        if m is None:
            raise Refused(f"没有编号为 {meeting_id} 的会议", f"no meeting {meeting_id}")
        code = None
        item_id = None
        if item is not None:
            from sqlalchemy import func

            from metrics.access import check
            from metrics.supervision.ledger import _refuse_input

            check(actor, "ledger.manage")
            item.source, item.meeting_id = "会议", meeting_id
            _refuse_input(item)
            year = m.held_on.year
            seq = (w.session.scalar(select(func.max(LedgerItem.seq)).where(LedgerItem.year == year)) or 0) + 1
            row = _new_item(w.session, item, actor, m.held_on, year, seq)
            w.session.flush()
            code, item_id = row.code, row.id
            w.audit("ledger.open", "ledger_item", code, after={"meeting": meeting_id, "source": "会议"})
        task = w.session.get(Task, task_id) if task_id is not None else None
        if task_id is not None and task is None:
            raise Refused(f"没有编号为 {task_id} 的任务", f"no task {task_id}")
        if task is not None and (deadline is not None or lead_unit):
            from metrics.access import check

            check(actor, "tasks.manage")
            before = {"deadline": task.deadline, "lead_unit": task.lead_unit}
            if deadline is not None:
                task.deadline = deadline
            if lead_unit:
                task.lead_unit = lead_unit.strip()[:32]
            w.audit("tasks.change", "task", task.id, before=before,
                    after={"deadline": task.deadline, "lead_unit": task.lead_unit, "meeting": meeting_id})
        seq = 1 + len(m.decisions)
        w.session.add(Decision(meeting_id=meeting_id, seq=seq, text=text.strip()[:4000], item_id=item_id,
                               task_id=task_id, actor=actor.name))
        if code:
            before = _times_before(w.session, m.kind, m.held_on)
            w.session.add(MeetingEntry(meeting_id=meeting_id, ref=f"item:{code}", section="decision",
                                       times=before.get(f"item:{code}", 0) + 1))
        w.audit("meeting.decide", "meeting", meeting_id, after={"seq": seq, "item": code, "task": task_id})
        return code


def meetings(db_url: str) -> list[dict]:
    with session_scope(db_url) as s:
        return [{"id": m.id, "kind": m.kind, "held_on": m.held_on, "title": m.title, "attendees": list(m.attendees),
                 "store_version": m.store_version, "decisions": len(m.decisions),
                 "carried": len(m.agenda.get("carried", []))}
                for m in s.scalars(select(Meeting).order_by(Meeting.held_on, Meeting.id))]


def meeting(db_url: str, meeting_id: int) -> dict | None:
    with session_scope(db_url) as s:
        m = s.get(Meeting, meeting_id)
        if m is None:
            return None
        decisions = []
        for d in m.decisions:
            code = s.get(LedgerItem, d.item_id).code if d.item_id else None
            decisions.append({"seq": d.seq, "text": d.text, "code": code, "task_id": d.task_id, "actor": d.actor})
        return {"id": m.id, "kind": m.kind, "held_on": m.held_on, "title": m.title, "attendees": list(m.attendees),
                "agenda": m.agenda, "store_version": m.store_version, "created_by": m.created_by,
                "decisions": decisions}


def times_label(times: int, lang: str = "zh") -> str:
    """第N次调度, shown from the second appearance on."""
    if times < 2:
        return ""
    return f"carried: meeting {times}" if lang == "en" else f"第{times}次调度"
