"""Reading the audit trail: every write people made (imports, catalog versions, locks, rollbacks,
account changes, sign-ins, events, bulletins …), filtered for the 审计 page and ``python -m metrics
audit``.  Rows are only ever added (by :mod:`metrics.writes`); nothing here changes them.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from sqlalchemy import select

from metrics.access import Actor, check
from metrics.db.engine import session_scope
from metrics.db.models import AuditEntry

COLUMNS = ["id", "at", "actor", "role", "ip", "action", "target_type", "target_id", "reason", "summary"]
MAX_ROWS = 100_000


def _moment(value: dt.date | dt.datetime | str | None, end: bool = False) -> dt.datetime | None:
    """A day (start of it, or of the next day for ``end``) or a moment, in UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value) if "T" in value or " " in value else dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    day = value + dt.timedelta(days=1) if end else value
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def entries(db_url: str, *, since: dt.date | dt.datetime | str | None = None,
            until: dt.date | dt.datetime | str | None = None, actor: str | None = None,
            action: str | None = None, target: str | None = None, limit: int = MAX_ROWS) -> pd.DataFrame:
    """Audit rows, newest first: ``since``/``until`` days inclusive, ``actor`` exact, ``action`` a prefix
    (``figures`` matches ``figures.import``), ``target`` a substring of the target id."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    start, stop = _moment(since), _moment(until, end=True)
    if start is not None:
        query = query.where(AuditEntry.at >= start)
    if stop is not None:
        query = query.where(AuditEntry.at < stop)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if action:
        query = query.where((AuditEntry.action == action) | AuditEntry.action.startswith(action + "."))
    if target:
        query = query.where(AuditEntry.target_id.contains(target, autoescape=True))
    with session_scope(db_url) as session:
        rows = [{"id": e.id, "at": e.at, "actor": e.actor, "role": e.role, "ip": e.ip, "action": e.action,
                 "target_type": e.target_type, "target_id": e.target_id, "reason": e.reason,
                 "summary": e.summary or {}} for e in session.scalars(query)]
    return pd.DataFrame(rows, columns=COLUMNS)


def for_reader(db_url: str, reader: Actor, **filters) -> pd.DataFrame:
    """The audit rows for someone who may read them (``audit.read``: the 管理员), else Forbidden."""
    check(reader, "audit.read")
    return entries(db_url, **filters)


def actions(db_url: str) -> list[str]:
    """Every action recorded so far (the page's filter choices)."""
    with session_scope(db_url) as session:
        return sorted(session.scalars(select(AuditEntry.action).distinct()))


def export_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The rows as an export writes them: the moment as ISO text, the summary as compact JSON text."""
    out = table.copy()
    out["at"] = [a.isoformat(timespec="seconds") if isinstance(a, dt.datetime) else str(a) for a in out["at"]]
    out["summary"] = [json.dumps(s, ensure_ascii=False, sort_keys=True, default=str) for s in out["summary"]]
    return out
