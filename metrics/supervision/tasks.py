"""The key-task list (目标任务分解清单): import, weekly progress reports, milestones done, deadline
lights, and hanging a missed milestone on the ledger.  Writes go through :func:`metrics.writes.write`.

Light of a task on day d (domain.md rulings): 已完成 when marked done; 红 when a dated milestone
before d is not done; 黄 when the next open date falls within [d, d + warn_days]; 绿 otherwise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import select

from metrics import writes
from metrics.access import Actor, check
from metrics.db.engine import session_scope
from metrics.supervision import dates
from metrics.supervision.ledger import ItemInput, Refused, Upload, _store_files, open_item
from metrics.supervision.models import Evidence, Milestone, Task, TaskReport

DONE, RED, YELLOW, GREEN = "已完成", "红", "黄", "绿"
LIGHT_EN = {DONE: "done", RED: "red", YELLOW: "yellow", GREEN: "green"}
TASK_COLUMNS = ["id", "list_name", "number", "title", "category", "lead_unit", "cooperating", "leader", "deadline",
                "done", "milestones", "milestones_done", "next_due", "next_milestone", "missed", "light", "percent",
                "last_report"]


@dataclass
class MilestoneInput:
    text: str
    due: dt.date | None
    due_text: str = ""


@dataclass
class TaskInput:
    title: str
    lead_unit: str
    number: str = ""
    category: str = ""
    cooperating: list[str] = field(default_factory=list)
    leader: str = ""
    milestones: list[MilestoneInput] = field(default_factory=list)
    source_sheet: str = ""
    source_row: int | None = None


def light(done: bool, milestones: list[tuple[dt.date | None, bool]], on: dt.date, warn_days: int) -> str:
    """The task's light on ``on`` from its milestones (due, done)."""
    if done:
        return DONE
    open_dates = sorted(d for d, ok in milestones if d is not None and not ok)
    if any(d < on for d in open_dates):
        return RED
    if open_dates and open_dates[0] <= on + dt.timedelta(days=warn_days):
        return YELLOW
    return GREEN


def import_tasks(db_url: str, actor: Actor, tasks: list[TaskInput], list_name: str, file_name: str = "") -> dict:
    """Add the tasks of a list in one transaction (a 督查员); a task already in the list (same title)
    is left as it is.  Returns counts."""
    with writes.write(db_url, actor, "tasks.manage") as w:
        have = set(w.session.scalars(select(Task.title).where(Task.list_name == list_name)))
        added = 0
        for t in tasks:
            if t.title in have:
                continue
            have.add(t.title)
            dated = [m.due for m in t.milestones if m.due is not None]
            w.session.add(Task(list_name=list_name, number=t.number, title=t.title, category=t.category,
                               lead_unit=t.lead_unit, cooperating=list(t.cooperating), leader=t.leader,
                               deadline=max(dated) if dated else None, source_file=file_name,
                               source_sheet=t.source_sheet, source_row=t.source_row,
                               milestones=[Milestone(seq=n, text=m.text, due=m.due, due_text=m.due_text)
                                           for n, m in enumerate(t.milestones, 1)]))
            added += 1
        w.audit("tasks.import", "task_list", list_name, after={"added": added, "unchanged": len(tasks) - added,
                                                                "file": file_name})
        return {"added": added, "unchanged": len(tasks) - added}


def report(db_url: str, actor: Actor, task_id: int, text: str, percent: int | None = None,
           milestone_done: int | None = None, task_done: bool = False, on: dt.date | None = None, *,
           files: Iterable[Upload] = (), store_root: Path | str | None = None, max_bytes: int = 20 << 20) -> None:
    """A progress report by the lead unit's 填报员 (or a 督查员, who manages the list); may mark one
    milestone done, or the whole task done; evidence files are kept beside the store by hash."""
    on = on or dates.today()
    if not text.strip():
        raise Refused("进展报告须写明内容", "a report needs a text")
    if percent is not None and not 0 <= percent <= 100:
        raise Refused("完成比例须在 0 到 100 之间", "the percent must be 0 to 100")
    permission = "tasks.manage" if actor.may("tasks.manage") else "tasks.report"
    with writes.write(db_url, actor, permission) as w:
        task = w.session.get(Task, task_id)
        if task is None:
            raise Refused(f"没有编号为 {task_id} 的任务", f"no task {task_id}")
        check(actor, permission, task.lead_unit)
        if milestone_done is not None:
            ms = next((m for m in task.milestones if m.seq == milestone_done), None)
            if ms is None:
                raise Refused(f"任务没有第 {milestone_done} 个节点", f"the task has no milestone {milestone_done}")
            ms.done, ms.done_on = True, on
        if task_done:
            task.done, task.done_on = True, on
        stored = _store_files(files, store_root, max_bytes)
        row = TaskReport(task_id=task.id, on_day=on, actor=actor.name, text=text.strip()[:4000], percent=percent,
                         milestone_seq=milestone_done)
        w.session.add(row)
        w.session.flush()
        for f in stored:
            w.session.add(Evidence(report_id=row.id, file_name=f.file_name, sha256=f.sha256, size=f.size))
        w.audit("tasks.report", "task", task.id, after={"percent": percent, "milestone_done": milestone_done,
                                                         "task_done": task_done, "files": len(stored)})


def tasks(db_url: str, on: dt.date | None = None, warn_days: int = 7) -> pd.DataFrame:
    """Every task with its light, next due milestone and missed milestones as of ``on``."""
    on = on or dates.today()
    out = []
    with session_scope(db_url) as s:
        for t in s.scalars(select(Task).order_by(Task.id)):
            ms = [(m.due, m.done and (m.done_on is None or m.done_on <= on)) for m in t.milestones]
            upcoming = sorted((m for m in t.milestones if m.due is not None and not m.done), key=lambda m: m.due)
            missed = [m.seq for m in upcoming if m.due < on]
            nxt = next((m for m in upcoming if m.due >= on), None)
            reports = [r for r in t.reports if r.on_day <= on]
            pct = next((r.percent for r in reversed(reports) if r.percent is not None), None)
            out.append({"id": t.id, "list_name": t.list_name, "number": t.number, "title": t.title,
                        "category": t.category, "lead_unit": t.lead_unit, "cooperating": list(t.cooperating),
                        "leader": t.leader, "deadline": t.deadline, "done": t.done,
                        "milestones": len(ms), "milestones_done": sum(1 for _, ok in ms if ok),
                        "next_due": nxt.due if nxt else None, "next_milestone": nxt.text if nxt else "",
                        "missed": missed, "light": light(t.done, ms, on, warn_days), "percent": pct,
                        "last_report": reports[-1].on_day if reports else None})
    return pd.DataFrame(out, columns=TASK_COLUMNS)


def task_detail(db_url: str, task_id: int) -> dict | None:
    with session_scope(db_url) as s:
        t = s.get(Task, task_id)
        if t is None:
            return None
        files: dict[int, list[str]] = {}
        ids = [r.id for r in t.reports]
        for e in s.scalars(select(Evidence).where(Evidence.report_id.in_(ids)).order_by(Evidence.id)) if ids else []:
            files.setdefault(e.report_id, []).append(e.file_name)
        return {"id": t.id, "title": t.title, "lead_unit": t.lead_unit, "leader": t.leader,
                "milestones": [{"seq": m.seq, "text": m.text, "due": m.due, "due_text": m.due_text, "done": m.done,
                                "done_on": m.done_on} for m in t.milestones],
                "reports": [{"on": r.on_day, "actor": r.actor, "text": r.text, "percent": r.percent,
                             "milestone": r.milestone_seq, "files": files.get(r.id, [])} for r in t.reports]}


def hang_missed(db_url: str, actor: Actor, task_id: int, on: dt.date | None = None, leader: str = "") -> str:
    """挂账 a task's missed milestone in one click (source 任务): returns the item's code."""
    on = on or dates.today()
    d = task_detail(db_url, task_id)
    if d is None:
        raise Refused(f"没有编号为 {task_id} 的任务", f"no task {task_id}")
    missed = [m for m in d["milestones"] if m["due"] is not None and not m["done"] and m["due"] < on]
    if not missed:
        raise Refused("该任务没有逾期未完成的节点", "the task has no missed milestone")
    m = missed[0]
    item = ItemInput(source="任务", unit_code=d["lead_unit"], task_id=task_id, responsible_unit=d["lead_unit"],
                     problem=f"重点任务“{d['title']}”节点目标“{m['text']}”（时限 {m['due']:%Y-%m-%d}）未按期完成",
                     leader=leader or d["leader"], deadline=max(on + dt.timedelta(days=30), m["due"]),
                     requirements=[(f"完成节点目标：{m['text']}", None)])
    return open_item(db_url, actor, item, on)
