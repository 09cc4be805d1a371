"""Issuing a bulletin (签发): the next 期号 of the issue date's calendar year, kept in the database
with the period, scope and store version it was written from; a 管理员's write (permission
``bulletin.issue``), audited in the same transaction, which also locks the period when the period
lock exists (metrics.bulletin.providers.lock_period).

A period and scope are issued once: later downloads of that bulletin carry its 期号 and date and
are written as of its store version, so they show the numbers that were sent out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from metrics import writes
from metrics.access import Actor
from metrics.bulletin import providers
from metrics.bulletin.model import IssueMark, Scope
from metrics.bulletin.records import IssuedBulletin
from metrics.db.engine import session_scope

RETRIES = 5   # two people issuing at the same moment: the loser takes the next number


class AlreadyIssued(ValueError):
    def __init__(self, record: Issued) -> None:
        self.record = record
        self.zh = (f"{record.period_label}（{record.scope_label}）的通报已于{record.issue_date:%Y-%m-%d}签发为"
                   f"{record.year}年第{record.number}期")
        self.en = (f"the bulletin of {record.period} ({record.scope_label}) was issued on {record.issue_date} "
                   f"as no. {record.number} of {record.year}")
        super().__init__(self.zh)


@dataclass(frozen=True)
class Issued:
    year: int
    number: int
    issue_date: dt.date
    period: str
    scope: str
    scope_label: str
    store_version: int
    title: str
    issued_by: str
    locked: bool

    @property
    def period_label(self) -> str:
        from metrics import periods as per

        return per.label(self.period)

    @property
    def mark(self) -> IssueMark:
        return IssueMark(year=self.year, number=self.number, date=self.issue_date, issued_by=self.issued_by)


def _issued(row: IssuedBulletin) -> Issued:
    return Issued(year=row.year, number=row.number, issue_date=row.issue_date, period=row.period, scope=row.scope,
                  scope_label=row.scope_label, store_version=row.store_version, title=row.title,
                  issued_by=row.issued_by, locked=bool(row.locked))


def find(db_url: str, period: str, scope: Scope) -> Issued | None:
    """The issued bulletin of this period and scope, if any."""
    with session_scope(db_url) as session:
        row = session.scalar(select(IssuedBulletin).where(IssuedBulletin.period == period,
                                                          IssuedBulletin.scope == scope.key))
        return _issued(row) if row else None


def issued(db_url: str, year: int | None = None) -> list[Issued]:
    """Every issued bulletin (of one year), in 期号 order."""
    with session_scope(db_url) as session:
        query = select(IssuedBulletin).order_by(IssuedBulletin.year, IssuedBulletin.number)
        if year is not None:
            query = query.where(IssuedBulletin.year == year)
        return [_issued(r) for r in session.scalars(query)]


def issue(db_url: str, actor: Actor, *, period: str, scope: Scope, store_version: int, title: str,
          on: dt.date) -> Issued:
    """Assign the next 期号 of ``on``'s year to this bulletin (see the module's docstring);
    :class:`metrics.access.Forbidden` without ``bulletin.issue``, :class:`AlreadyIssued` if done."""
    for attempt in range(RETRIES):
        try:
            return _issue_once(db_url, actor, period, scope, store_version, title, on)
        except IntegrityError:
            existing = find(db_url, period, scope)
            if existing is not None:
                raise AlreadyIssued(existing) from None
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _issue_once(db_url: str, actor: Actor, period: str, scope: Scope, store_version: int, title: str,
                on: dt.date) -> Issued:
    with writes.write(db_url, actor, "bulletin.issue") as w:
        session = w.session
        existing = session.scalar(select(IssuedBulletin).where(IssuedBulletin.period == period,
                                                               IssuedBulletin.scope == scope.key))
        if existing is not None:
            raise AlreadyIssued(_issued(existing))
        last = session.scalar(select(func.max(IssuedBulletin.number)).where(IssuedBulletin.year == on.year))
        row = IssuedBulletin(year=on.year, number=(last or 0) + 1, issue_date=on, period=period, scope=scope.key,
                             scope_label=scope.label, store_version=store_version, title=title,
                             issued_by=actor.name, locked=False)
        session.add(row)
        session.flush()
        row.locked = providers.lock_period(w, period)
        w.audit("bulletin.issue", "bulletin", f"{row.year}-{row.number}",
                after={"period": period, "scope": scope.key, "store_version": store_version, "title": title,
                       "issue_date": on.isoformat(), "locked": row.locked})
        session.flush()
        return _issued(row)
