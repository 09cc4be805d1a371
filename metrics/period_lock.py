"""Period lock: once a period's 通报 is out, its figures must not change under the meeting's feet.

A 管理员 locks a period code (``2021Q3``); the lock covers the store's moment of that period, its end
date (the store keys figures by date: ``2021Q3`` and ``2021-09`` are the same moment, so a lock on
either covers both).  An import with any row at a locked moment is refused whole, each such row
named with its file, sheet and row.  Unlocking needs a reason; both are audited writes.  The table
holds the current locks only; their history is the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Date, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from metrics import periods, writes
from metrics.access import Actor
from metrics.db.base import Base, UTCDateTime, utcnow
from metrics.db.engine import session_scope
from metrics.messages import Problem, register

register({
    "period_locked": ("期间 {period} 已于 {at} 由 {by} 锁定（{reason}），不能导入该期数据；如需更正请管理员先解锁",
                      "period {period} was locked on {at} by {by} ({reason}); its figures cannot be imported — an "
                      "administrator must unlock it first"),
})


class PeriodLock(Base):
    """A locked period (current state; lock and unlock are audit rows)."""

    __tablename__ = "period_locks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(16), unique=True)
    end_date: Mapped[dt.date] = mapped_column(Date, index=True)
    locked_by: Mapped[str] = mapped_column(String(64))
    locked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")


class LockError(ValueError):
    """A lock or unlock that cannot be done as asked (zh and en)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh, self.en = zh, en

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Lock:
    period: str
    end_date: dt.date
    locked_by: str
    locked_at: dt.datetime
    reason: str


def _lock(row: PeriodLock) -> Lock:
    return Lock(row.period, row.end_date, row.locked_by, row.locked_at, row.reason)


def _code(period: str) -> str:
    try:
        return periods.parse_period(period)
    except periods.PeriodError as err:
        raise LockError(f"期间“{period}”：{err.reason_zh}", f"period “{period}”: {err.reason_en}") from None


def lock_in(w: writes.Write, period: str, reason: str = "") -> bool:
    """Lock ``period`` inside an open write (the bulletin's issuing transaction); False if already locked."""
    code = _code(period)
    existing = w.session.scalar(select(PeriodLock).where(PeriodLock.period == code))
    if existing is not None:
        return False
    row = PeriodLock(period=code, end_date=periods.end_date(code), locked_by=w.actor.name, reason=reason.strip())
    w.session.add(row)
    w.session.flush()
    w.audit("period.lock", "period", code, after={"end_date": row.end_date.isoformat()}, reason=row.reason)
    return True


def lock(db_url: str, actor: Actor, period: str, reason: str = "") -> Lock:
    """Lock a period (``periods.lock``); LockError when it is locked already."""
    code = _code(period)
    with writes.write(db_url, actor, "periods.lock") as w:
        if not lock_in(w, code, reason):
            current = _lock(w.session.scalar(select(PeriodLock).where(PeriodLock.period == code)))
            raise LockError(f"期间 {code} 已锁定（{current.locked_by}，{current.locked_at:%Y-%m-%d %H:%M} UTC）",
                            f"period {code} is locked already ({current.locked_by}, {current.locked_at:%Y-%m-%d %H:%M} UTC)")
        return _lock(w.session.scalar(select(PeriodLock).where(PeriodLock.period == code)))


def unlock(db_url: str, actor: Actor, period: str, reason: str) -> Lock:
    """Unlock a period (``periods.lock``); the reason is required and kept in the audit row."""
    code = _code(period)
    if not (reason or "").strip():
        raise LockError("解锁必须填写原因（--reason）", "unlocking needs a reason (--reason)")
    with writes.write(db_url, actor, "periods.lock") as w:
        row = w.session.scalar(select(PeriodLock).where(PeriodLock.period == code))
        if row is None:
            raise LockError(f"期间 {code} 未锁定", f"period {code} is not locked")
        before = _lock(row)
        w.session.delete(row)
        w.audit("period.unlock", "period", code, before={"locked_by": before.locked_by,
                                                         "locked_at": before.locked_at.isoformat(),
                                                         "reason": before.reason}, reason=reason.strip())
        return before


def locks(db_url: str) -> list[Lock]:
    """Every locked period, oldest moment first."""
    with session_scope(db_url) as session:
        return [_lock(r) for r in session.scalars(select(PeriodLock).order_by(PeriodLock.end_date, PeriodLock.period))]


def locked_rows(session: Session, frame: pd.DataFrame, file: str) -> list[Problem]:
    """One located error per row of ``frame`` (tidy figures) at a locked period's moment."""
    if frame.empty:
        return []
    held = list(session.scalars(select(PeriodLock)))
    if not held:
        return []
    by_day = {row.end_date: row for row in held}
    days = pd.to_datetime(frame["date"]).dt.date
    hit = frame[days.isin(by_day).to_numpy()]
    problems = []
    for row, day in zip(hit.itertuples(index=False), days[days.isin(by_day)], strict=True):
        lk = by_day[day]
        problems.append(Problem("error", "period_locked", file, getattr(row, "sheet", None) or None,
                                None if pd.isna(row.row) else int(row.row), None, row.period,
                                {"period": lk.period, "at": f"{lk.locked_at:%Y-%m-%d}", "by": lk.locked_by,
                                 "reason": lk.reason or "—"}))
    return problems
