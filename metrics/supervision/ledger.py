"""Every write on a ledger item (挂账, the moves of the state machine, feedback, 催办, requirements
done, red explanations), each through :func:`metrics.writes.write`: the role is checked on the server
and an audit row is written in the same transaction.  Nothing is ever deleted or overwritten but
``status`` and a requirement's done flag; the history is the event rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from metrics import writes
from metrics.access import Actor, Forbidden, check
from metrics.supervision import codes, dates
from metrics.supervision import evidence as ev
from metrics.supervision.models import Evidence, LedgerEvent, LedgerItem, RedExplanation, Requirement
from metrics.supervision.states import (
    DUTY_STATES,
    MOVES,
    OPENED,
    SEVERITIES,
    SOURCES,
    STATE_EN,
    Refused,
    move,
)

MAX_TEXT = 4000
MAX_REQUIREMENTS = 30

Upload = tuple[str, bytes | BinaryIO]


@dataclass
class ItemInput:
    """What a person (or a 问题清单 row, or a red row) gives to open an item."""

    source: str
    unit_code: str
    problem: str
    responsible_unit: str
    leader: str
    deadline: dt.date
    requirements: list[tuple[str, dt.date | None]] = field(default_factory=list)
    indicator_code: str | None = None
    task_id: int | None = None
    meeting_id: int | None = None
    period: str | None = None
    cooperating: list[str] = field(default_factory=list)
    leader_post: str = ""
    contact: str = ""
    severity: str = "一般"
    gap: str = ""
    figure_source: str = ""
    source_file: str = ""
    source_row: int | None = None


def check_input(item: ItemInput) -> list[tuple[str, str, str]]:
    """Problems with an item before it is written: (field, zh, en); empty when it may be opened."""
    out: list[tuple[str, str, str]] = []
    if item.source not in SOURCES:
        out.append(("source", f"来源须为{'、'.join(SOURCES)}之一", f"source must be one of {', '.join(SOURCES)}"))
    if not item.unit_code:
        out.append(("unit", "须填写单位", "a unit is required"))
    if not item.problem.strip():
        out.append(("problem", "须写明问题（点穴式）", "the problem must be stated"))
    if len(item.problem) > MAX_TEXT:
        out.append(("problem", f"问题超过 {MAX_TEXT} 字", f"the problem is over {MAX_TEXT} characters"))
    if not item.responsible_unit:
        out.append(("responsible_unit", "须填写责任单位", "a responsible unit is required"))
    if not item.leader.strip():
        out.append(("leader", "须填写责任领导姓名（实名制）", "the responsible leader's name is required"))
    if item.severity not in SEVERITIES:
        out.append(("severity", f"严重程度须为{'、'.join(SEVERITIES)}之一", f"severity must be one of {', '.join(SEVERITIES)}"))
    if len(item.requirements) > MAX_REQUIREMENTS:
        out.append(("requirements", f"整改要求超过 {MAX_REQUIREMENTS} 条", f"more than {MAX_REQUIREMENTS} requirements"))
    if not item.requirements:
        out.append(("requirements", "须列出至少一条整改要求（清单式）", "at least one rectification requirement is required"))
    for n, (text, due) in enumerate(item.requirements, 1):
        if not text.strip():
            out.append(("requirements", f"第 {n} 条整改要求为空", f"requirement {n} is empty"))
        if due is not None and due > item.deadline:
            out.append(("requirements", f"第 {n} 条整改要求的时限 {due:%Y-%m-%d} 晚于整改时限 {item.deadline:%Y-%m-%d}",
                        f"requirement {n} is due {due:%Y-%m-%d}, after the overall deadline {item.deadline:%Y-%m-%d}"))
    return out


def _refuse_input(item: ItemInput) -> None:
    problems = check_input(item)
    if problems:
        raise Refused("；".join(p[1] for p in problems), "; ".join(p[2] for p in problems))


def _new_item(session, item: ItemInput, actor: Actor, on: dt.date, year: int, seq: int) -> LedgerItem:
    row = LedgerItem(
        code=codes.format_code(year, seq), year=year, seq=seq, source=item.source, unit_code=item.unit_code,
        indicator_code=item.indicator_code or None, task_id=item.task_id, meeting_id=item.meeting_id,
        period=item.period or None, problem=item.problem.strip(), responsible_unit=item.responsible_unit,
        cooperating=list(item.cooperating), leader=item.leader.strip(), leader_post=item.leader_post.strip(),
        contact=item.contact.strip(), deadline=item.deadline, severity=item.severity, status=OPENED,
        opened_on=on, opened_by=actor.name, gap=item.gap, figure_source=item.figure_source,
        source_file=item.source_file, source_row=item.source_row,
        requirements=[Requirement(seq=n, text=text.strip(), deadline=due or item.deadline)
                      for n, (text, due) in enumerate(item.requirements, 1)],
        events=[LedgerEvent(kind="open", to_status=OPENED, on_day=on, actor=actor.name, text=item.problem.strip())])
    session.add(row)
    return row


def open_items(db_url: str, actor: Actor, items: Sequence[ItemInput], on: dt.date | None = None,
               permission: str = "ledger.manage") -> list[str]:
    """Open every item in one transaction (all or none); returns their codes in order."""
    on = on or dates.today()
    for item in items:
        _refuse_input(item)
    for attempt in range(3):
        try:
            with writes.write(db_url, actor, permission) as w:
                year = on.year
                seq = w.session.scalar(select(func.max(LedgerItem.seq)).where(LedgerItem.year == year)) or 0
                rows = [_new_item(w.session, item, actor, on, year, seq + n) for n, item in enumerate(items, 1)]
                w.session.flush()
                for row in rows:
                    w.audit("ledger.open", "ledger_item", row.code,
                            after={"unit": row.unit_code, "indicator": row.indicator_code, "period": row.period,
                                   "leader": row.leader, "deadline": row.deadline, "source": row.source})
                return [r.code for r in rows]
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def open_item(db_url: str, actor: Actor, item: ItemInput, on: dt.date | None = None) -> str:
    """挂账 one item (a 督查员); returns its code."""
    return open_items(db_url, actor, [item], on)[0]


def _item(session, code: str) -> LedgerItem:
    row = session.scalar(select(LedgerItem).where(LedgerItem.code == code))
    if row is None:
        raise Refused(f"没有编号为 {code} 的督查事项", f"no ledger item {code}")
    return row


def _feedback_unit(actor: Actor, row: LedgerItem) -> str:
    """The unit on whose behalf a feedback is sent: the responsible unit, else a 协办单位 the actor has."""
    if actor.may("ledger.feedback", row.responsible_unit):
        return row.responsible_unit
    return next((u for u in row.cooperating if actor.may("ledger.feedback", u)), row.responsible_unit)


def _store_files(files: Iterable[Upload], store_root: Path | str | None, max_bytes: int) -> list[ev.Stored]:
    files = list(files)
    if not files:
        return []
    if store_root is None:
        raise ValueError("evidence files need the store folder")
    folder = ev.evidence_dir(store_root)
    return [ev.save(folder, name, data, max_bytes) for name, data in files]


def transition(db_url: str, actor: Actor, code: str, name: str, *, reason: str = "", files: Iterable[Upload] = (),
               store_root: Path | str | None = None, max_bytes: int = 20 << 20, on: dt.date | None = None) -> str:
    """Move an item (start, apply, accept, reject, withdraw); returns the new state.

    The check on the person comes first: a 填报员 may only move items of his own units, and only the
    moves of the responsible unit; files are kept only once the move is allowed."""
    on = on or dates.today()
    spec = MOVES.get(name)
    if spec is None:
        raise Refused(f"未知操作：{name}", f"unknown move: {name}")
    if len(reason) > MAX_TEXT:
        raise Refused(f"说明超过 {MAX_TEXT} 字", f"the text is over {MAX_TEXT} characters")
    files = list(files)
    with writes.write(db_url, actor, spec.permission) as w:
        row = _item(w.session, code)
        if spec.permission == "ledger.feedback":
            check(actor, spec.permission, row.responsible_unit)
        after = move(name, row.status, reason=reason, evidence=bool(reason.strip() or files))
        stored = _store_files(files, store_root, max_bytes)
        before = row.status
        event = LedgerEvent(item_id=row.id, kind=name, from_status=before, to_status=after, on_day=on,
                            actor=actor.name, text=reason.strip(),
                            evidence=[Evidence(file_name=s.file_name, sha256=s.sha256, size=s.size) for s in stored])
        w.session.add(event)
        row.status = after
        w.audit(f"ledger.{name}", "ledger_item", code, before={"status": before}, after={"status": after},
                reason=reason, files=[{"name": s.file_name, "sha256": s.sha256, "size": s.size} for s in stored])
        return after


def feedback(db_url: str, actor: Actor, code: str, text: str, percent: int | None = None,
             files: Iterable[Upload] = (), store_root: Path | str | None = None, max_bytes: int = 20 << 20,
             on: dt.date | None = None) -> None:
    """A rectification progress report from the responsible unit (or a 协办单位)."""
    on = on or dates.today()
    if not text.strip():
        raise Refused("反馈须写明整改进展", "a feedback needs a text")
    if len(text) > MAX_TEXT:
        raise Refused(f"反馈超过 {MAX_TEXT} 字", f"the feedback is over {MAX_TEXT} characters")
    if percent is not None and not 0 <= percent <= 100:
        raise Refused("完成比例须在 0 到 100 之间", "the percent must be 0 to 100")
    files = list(files)
    with writes.write(db_url, actor, "ledger.feedback") as w:
        row = _item(w.session, code)
        check(actor, "ledger.feedback", _feedback_unit(actor, row))
        if row.status not in DUTY_STATES:
            raise Refused(f"事项当前为“{row.status}”，不再接收整改反馈", f"the item is {STATE_EN[row.status]}; no feedback taken")
        stored = _store_files(files, store_root, max_bytes)
        w.session.add(LedgerEvent(item_id=row.id, kind="feedback", on_day=on, actor=actor.name, text=text.strip(),
                                  percent=percent, evidence=[Evidence(file_name=s.file_name, sha256=s.sha256,
                                                                      size=s.size) for s in stored]))
        w.audit("ledger.feedback", "ledger_item", code, after={"percent": percent, "files": len(stored)})


def urge(db_url: str, actor: Actor, code: str, text: str, on: dt.date | None = None) -> int:
    """A 催办 (督查员): returns its level (1, 2, 3+ = 约谈 flagged for the responsible leader)."""
    on = on or dates.today()
    with writes.write(db_url, actor, "ledger.manage") as w:
        row = _item(w.session, code)
        if row.status not in DUTY_STATES:
            raise Refused(f"事项当前为“{row.status}”，不能催办", f"the item is {STATE_EN[row.status]}; it cannot be urged")
        level = 1 + sum(1 for e in row.events if e.kind == "urge")
        w.session.add(LedgerEvent(item_id=row.id, kind="urge", on_day=on, actor=actor.name, text=text.strip(),
                                  level=level))
        w.audit("ledger.urge", "ledger_item", code, after={"level": level, "label": dates.urge_label(level)})
        return level


def requirement_done(db_url: str, actor: Actor, code: str, seq: int, on: dt.date | None = None) -> None:
    """Mark one rectification requirement done (the responsible unit)."""
    on = on or dates.today()
    with writes.write(db_url, actor, "ledger.feedback") as w:
        row = _item(w.session, code)
        check(actor, "ledger.feedback", row.responsible_unit)
        req = next((r for r in row.requirements if r.seq == seq), None)
        if req is None:
            raise Refused(f"{code} 没有第 {seq} 条整改要求", f"{code} has no requirement {seq}")
        if req.done:
            raise Refused(f"第 {seq} 条整改要求已完成", f"requirement {seq} is already done")
        req.done, req.done_on = True, on
        w.session.add(LedgerEvent(item_id=row.id, kind="done", on_day=on, actor=actor.name, text=req.text, level=seq))
        w.audit("ledger.requirement_done", "ledger_item", code, after={"requirement": seq})


def explain_red(db_url: str, actor: Actor, unit_code: str, indicator_code: str, period: str, text: str) -> None:
    """Record why a red figure needs no item: it leaves the 未挂账红灯 list."""
    if not text.strip():
        raise Refused("须写明说明", "an explanation needs a text")
    with writes.write(db_url, actor, "ledger.manage") as w:
        w.session.add(RedExplanation(unit_code=unit_code, indicator_code=indicator_code, period=period,
                                     text=text.strip()[:MAX_TEXT], actor=actor.name))
        w.audit("ledger.explain_red", "figure", f"{period}/{unit_code}/{indicator_code}", after={"text": text[:200]})


__all__ = ["ItemInput", "Refused", "Forbidden", "check_input", "open_item", "open_items", "transition",
           "feedback", "urge", "requirement_done", "explain_red"]
