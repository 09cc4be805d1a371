"""The issued bulletins: 期号 per calendar year of the issue date, the period and scope, and the
store version each was written from (so that it can be regenerated with the same numbers)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from metrics.db.base import Base, UTCDateTime, utcnow


class IssuedBulletin(Base):
    __tablename__ = "bulletins"
    __table_args__ = (UniqueConstraint("year", "number", name="uq_bulletins_year"),
                      UniqueConstraint("period", "scope", name="uq_bulletins_period"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)              # of the issue date
    number: Mapped[int] = mapped_column(Integer)            # 期号: 1, 2, … within the year
    issue_date: Mapped[dt.date] = mapped_column(Date)
    period: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(96))          # city | group:县市区/城区 | unit:430421
    scope_label: Mapped[str] = mapped_column(String(128))
    store_version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(256))
    issued_by: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked: Mapped[bool] = mapped_column(default=False)    # the period was locked when issued
