"""Every write people make goes through here: the role is checked and the audit row is written in
the same transaction as the change, so a change without its audit row cannot exist.

    with writes.write(db_url, actor, "ledger.manage", units=item.unit_code) as w:
        w.session.add(item)
        w.audit("ledger.open", "ledger_item", item.code, after={...})

Pages and commands call feature services that use this; none of them talks to the database for a
write on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from metrics.access import Actor, check
from metrics.db.engine import session_scope
from metrics.db.models import AuditEntry


@dataclass
class Write:
    """An open transaction on behalf of one actor; :meth:`audit` records what it did."""

    session: Session
    actor: Actor
    entries: list[AuditEntry] = field(default_factory=list)

    def audit(self, action: str, target_type: str = "", target_id: object = "", *, before: Any = None,
              after: Any = None, reason: str = "", **extra: Any) -> AuditEntry:
        summary = {k: v for k, v in {"before": before, "after": after, **extra}.items() if v is not None}
        entry = AuditEntry(actor=self.actor.name, role=self.actor.role, ip=self.actor.ip, action=action,
                           target_type=target_type, target_id=str(target_id), summary=_jsonable(summary),
                           reason=reason or "")
        self.session.add(entry)
        self.entries.append(entry)
        return entry


@contextmanager
def write(db_url: str, actor: Actor, permission: str, units: str | Iterable[str] | None = None) -> Iterator[Write]:
    """A transaction for a write ``actor`` may make (else :class:`metrics.access.Forbidden`, nothing
    opened); it must record at least one audit row, or it is rolled back."""
    check(actor, permission, units)
    with session_scope(db_url) as session:
        w = Write(session, actor)
        yield w
        if not w.entries:
            raise RuntimeError(f"a {permission} write recorded no audit row")


def record(db_url: str, actor: Actor, action: str, target_type: str = "", target_id: object = "", **kw: Any) -> None:
    """An audit row on its own (a login, a figure import committed to the Parquet store)."""
    with session_scope(db_url) as session:
        Write(session, actor).audit(action, target_type, target_id, **kw)


def _jsonable(value: Any) -> Any:
    """Dates, decimals and sets as JSON can hold them (the summary is for people, not for replay)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else None
    return str(value)
