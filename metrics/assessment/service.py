"""加扣分事项 in the database: import, entry, correction and withdrawal (each through
:func:`metrics.writes.write` with ``events.manage``, audited in the same transaction), and the events
in force as of any moment.

Re-imports are matched on (unit, year, kind, 事项, 依据): an identical row changes nothing, a row whose
分值, 日期, 佐证 or 备注 differ corrects the event, a new key adds one.  Rows absent from a later
workbook are not withdrawn (withdrawal is an explicit act), and a row naming a withdrawn event does not
bring it back (it is listed; enter it again to restore it).  The whole workbook goes in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from metrics.access import Actor
from metrics.assessment.events import Event, EventRejected, Invalid, check
from metrics.assessment.models import AssessmentEvent, EventRevision
from metrics.assessment.result import number_text
from metrics.db.base import utcnow
from metrics.db.engine import session_scope
from metrics.writes import Write, write

PERMISSION = "events.manage"


class DuplicateEvent(EventRejected):
    """An entry or correction whose (unit, year, kind, 事项, 依据) another event in force already has."""

    def __init__(self, other_id: int) -> None:
        super().__init__([Invalid("item", f"已有相同的事项（同一单位、年度、类型、事项和依据，编号 {other_id}）",
                                  f"the same event is already recorded (same unit, year, kind, item and basis; id {other_id})")])
        self.other_id = other_id


class EventNotFound(LookupError):
    def __init__(self, event_id: int) -> None:
        super().__init__(f"no event {event_id}")
        self.zh, self.en = f"没有编号为 {event_id} 的事项", f"no event with id {event_id}"


@dataclass
class ImportOutcome:
    """What an events workbook did: new events, corrected ones, unchanged rows, rows not applied."""

    added: list[int] = field(default_factory=list)
    corrected: list[int] = field(default_factory=list)
    unchanged: int = 0
    withdrawn_rows: list[tuple[Event, int]] = field(default_factory=list)  # (row's event, withdrawn event id)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.corrected)


# -- reading -------------------------------------------------------------------------------------

def _to_event(ev: AssessmentEvent, rev: EventRevision) -> Event:
    return Event(unit_code=ev.unit_code, year=ev.year, kind=ev.kind, item=rev.item,
                 points=None if rev.points is None else Decimal(repr(rev.points)), basis=rev.basis,
                 date=rev.event_date, evidence=rev.evidence, note=rev.note, id=ev.id,
                 source={"file": rev.source_file, "sheet": rev.source_sheet, "row": rev.source_row,
                         "action": rev.action, "at": rev.at, "actor": rev.actor, "seq": rev.seq,
                         "withdrawn": rev.withdrawn, "reason": rev.reason})


def _latest(session: Session, at: dt.datetime | None, year: int | None = None,
            event_ids: Iterable[int] | None = None) -> list[tuple[AssessmentEvent, EventRevision]]:
    """Each event's latest revision at or before ``at`` (all revisions when None)."""
    newest = select(EventRevision.event_id, func.max(EventRevision.seq).label("seq"))
    if at is not None:
        newest = newest.where(EventRevision.at <= at)
    newest = newest.group_by(EventRevision.event_id).subquery()
    query = (select(AssessmentEvent, EventRevision)
             .join(EventRevision, EventRevision.event_id == AssessmentEvent.id)
             .join(newest, (newest.c.event_id == EventRevision.event_id) & (newest.c.seq == EventRevision.seq))
             .order_by(AssessmentEvent.id))
    if year is not None:
        query = query.where(AssessmentEvent.year == int(year))
    if event_ids is not None:
        query = query.where(AssessmentEvent.id.in_(list(event_ids)))
    return [(ev, rev) for ev, rev in session.execute(query)]


def events_as_of(db_url: str, at: dt.datetime | None = None, year: int | None = None,
                 withdrawn: bool = False) -> list[Event]:
    """The events in force at ``at`` (now when None), of one year or all; ``withdrawn`` adds the
    withdrawn ones (their ``source["withdrawn"]`` is True)."""
    with session_scope(db_url) as session:
        return [_to_event(ev, rev) for ev, rev in _latest(session, at, year) if withdrawn or not rev.withdrawn]


def history(db_url: str, event_id: int) -> list[Event]:
    """Every revision of one event, oldest first (each as the event stood after it)."""
    with session_scope(db_url) as session:
        ev = session.get(AssessmentEvent, int(event_id))
        if ev is None:
            raise EventNotFound(event_id)
        return [_to_event(ev, rev) for rev in ev.revisions]


def last_change(db_url: str) -> str:
    """A small value that changes with every write (for caches): the newest revision id and time."""
    with session_scope(db_url) as session:
        row = session.execute(select(func.max(EventRevision.id), func.max(EventRevision.at))).one()
    return f"{row[0] or 0}@{row[1] or ''}"


# -- writing -------------------------------------------------------------------------------------

def _append(w: Write, ev: AssessmentEvent, e: Event, action: str, *, withdrawn: bool = False, reason: str = "",
            source: dict | None = None, at: dt.datetime | None = None) -> EventRevision:
    seq = 1 + max((r.seq for r in ev.revisions), default=0)
    src = source or {}
    rev = EventRevision(event=ev, seq=seq, action=action, at=at or utcnow(), actor=w.actor.name, item=e.item,
                        points=None if e.points is None else float(e.points), basis=e.basis, event_date=e.date,
                        evidence=e.evidence or "", note=e.note or "", withdrawn=withdrawn, reason=reason or "",
                        source_file=str(src.get("file") or "")[:255], source_sheet=str(src.get("sheet") or "")[:128],
                        source_row=src.get("row"))
    w.session.add(rev)
    return rev


def _snapshot(e: Event) -> dict:
    return {"unit": e.unit_code, "year": e.year, "kind": e.kind, "item": e.item,
            "points": None if e.points is None else number_text(e.points), "basis": e.basis,
            "date": e.date.isoformat() if e.date else None, "evidence": e.evidence, "note": e.note}


def _flush_unique(w: Write) -> None:
    try:
        w.session.flush()
    except IntegrityError as err:
        raise DuplicateEvent(0) from err


def _active(session: Session, keys: Iterable[str]) -> dict[str, AssessmentEvent]:
    keys = list(keys)
    if not keys:
        return {}
    rows = session.scalars(select(AssessmentEvent).where(AssessmentEvent.active_key.in_(keys)))
    return {ev.active_key: ev for ev in rows}


def _plan(session: Session, events: list[Event]) -> list[tuple[str, Event, AssessmentEvent | int | None]]:
    """What each row would do: ("add", e, None), ("correct", e, event), ("same", e, event),
    ("withdrawn", e, withdrawn event id)."""
    active = _active(session, (e.key_hash for e in events))
    withdrawn = _withdrawn_keys(session, {e.key_hash for e in events} - set(active))
    plan: list[tuple[str, Event, AssessmentEvent | int | None]] = []
    for e in events:
        ev = active.get(e.key_hash)
        if ev is None:
            plan.append(("withdrawn", e, withdrawn[e.key_hash]) if e.key_hash in withdrawn else ("add", e, None))
        else:
            same = _to_event(ev, ev.revisions[-1]).same_content(e)
            plan.append(("same" if same else "correct", e, ev))
    return plan


def _outcome(plan: list) -> ImportOutcome:
    out = ImportOutcome(unchanged=sum(1 for action, _, _ in plan if action == "same"))
    out.withdrawn_rows = [(e, target) for action, e, target in plan if action == "withdrawn"]
    return out


def preview_import(db_url: str, events: list[Event]) -> ImportOutcome:
    """What :func:`import_events` would do, writing nothing (``added`` holds 0 for each new event)."""
    with session_scope(db_url) as session:
        plan = _plan(session, events)
        out = _outcome(plan)
        out.added = [0 for action, _, _ in plan if action == "add"]
        out.corrected = [ev.id for action, _, ev in plan if action == "correct"]
        return out


def import_events(db_url: str, actor: Actor, events: list[Event], file_name: str, sha256: str = "") -> ImportOutcome:
    """Apply a checked workbook (events carry their sheet and row in ``source``) in one transaction."""
    units = sorted({e.unit_code for e in events})
    with write(db_url, actor, PERMISSION, units) as w:
        now = utcnow()
        plan = _plan(w.session, events)
        outcome = _outcome(plan)
        for action, e, ev in plan:
            source = {"file": file_name, **e.source}
            if action == "add":
                ev = AssessmentEvent(unit_code=e.unit_code, year=int(e.year), kind=e.kind, active_key=e.key_hash,
                                     created_at=now)
                w.session.add(ev)
                _append(w, ev, e, "import", source=source, at=now)
                _flush_unique(w)
                outcome.added.append(ev.id)
                w.audit("events.import.add", "assessment_event", ev.id, after=_snapshot(e), file=file_name,
                        row=e.source.get("row"))
            elif action == "correct":
                before = _to_event(ev, ev.revisions[-1])
                _append(w, ev, e, "import", source=source, at=now)
                outcome.corrected.append(ev.id)
                w.audit("events.import.correct", "assessment_event", ev.id, before=_snapshot(before),
                        after=_snapshot(e), file=file_name, row=e.source.get("row"))
        w.audit("events.import", "file", file_name, added=len(outcome.added), corrected=len(outcome.corrected),
                unchanged=outcome.unchanged, not_restored=len(outcome.withdrawn_rows), sha256=sha256)
    return outcome


def _withdrawn_keys(session: Session, keys: set[str]) -> dict[str, int]:
    """Key hash -> id of a withdrawn event that once had that key (the newest such event)."""
    if not keys:
        return {}
    found: dict[str, int] = {}
    candidates = session.scalars(select(AssessmentEvent).where(AssessmentEvent.active_key.is_(None)))
    for ev in candidates:
        e = _to_event(ev, ev.revisions[-1])
        if e.key_hash in keys:
            found[e.key_hash] = max(found.get(e.key_hash, 0), ev.id)
    return found


def enter(db_url: str, actor: Actor, event: Event) -> int:
    """A new event entered in the app; returns its id (EventRejected with every refused field)."""
    problems = check(event)
    if problems:
        raise EventRejected(problems)
    with write(db_url, actor, PERMISSION, event.unit_code) as w:
        other = _active(w.session, [event.key_hash]).get(event.key_hash)
        if other is not None:
            raise DuplicateEvent(other.id)
        ev = AssessmentEvent(unit_code=event.unit_code, year=int(event.year), kind=event.kind,
                             active_key=event.key_hash, created_at=utcnow())
        w.session.add(ev)
        _append(w, ev, event, "entry")
        _flush_unique(w)
        w.audit("events.enter", "assessment_event", ev.id, after=_snapshot(event))
        return ev.id


def _open(w: Write, event_id: int) -> tuple[AssessmentEvent, Event]:
    ev = w.session.get(AssessmentEvent, int(event_id))
    if ev is None:
        raise EventNotFound(event_id)
    current = _to_event(ev, ev.revisions[-1])
    if ev.revisions[-1].withdrawn:
        raise EventRejected([Invalid("id", f"事项 {event_id} 已撤销，不能更正", f"event {event_id} is withdrawn")])
    return ev, current


CORRECTABLE = ("item", "points", "basis", "date", "evidence", "note")


def correct(db_url: str, actor: Actor, event_id: int, reason: str, **changes: object) -> Event:
    """A correction of 事项, 分值, 依据, 日期, 佐证 or 备注 (unit, year and kind are the event's identity:
    withdraw and enter anew to change them); the reason is kept with the revision."""
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValueError(f"not correctable: {sorted(unknown)}")
    if not str(reason or "").strip():
        raise EventRejected([Invalid("reason", "请写明更正原因", "give the reason for the correction")])
    with write(db_url, actor, PERMISSION) as w:
        ev, current = _open(w, event_id)
        new = current.with_changes(**changes)
        problems = check(new)
        if problems:
            raise EventRejected(problems)
        if current.same_content(new):
            raise EventRejected([Invalid("id", "没有任何改动", "nothing was changed")])
        if new.key_hash != ev.active_key:
            other = _active(w.session, [new.key_hash]).get(new.key_hash)
            if other is not None:
                raise DuplicateEvent(other.id)
            ev.active_key = new.key_hash
        _append(w, ev, new, "correction", reason=str(reason).strip())
        _flush_unique(w)
        w.audit("events.correct", "assessment_event", ev.id, before=_snapshot(current), after=_snapshot(new),
                reason=str(reason).strip())
        return new.with_changes(id=ev.id)


def withdraw(db_url: str, actor: Actor, event_id: int, reason: str) -> None:
    """Withdraw an event (撤销): it stops counting from now on; every earlier state stays readable."""
    if not str(reason or "").strip():
        raise EventRejected([Invalid("reason", "请写明撤销原因", "give the reason for the withdrawal")])
    with write(db_url, actor, PERMISSION) as w:
        ev, current = _open(w, event_id)
        _append(w, ev, current, "withdrawal", withdrawn=True, reason=str(reason).strip())
        ev.active_key = None
        w.audit("events.withdraw", "assessment_event", ev.id, before=_snapshot(current), reason=str(reason).strip())
