"""The tables of 加扣分事项: an event's identity, and its append-only revisions.

Why two tables: an event's content (事项, 分值, 依据 …) can be corrected or withdrawn, and the year's
result must be reproducible as it stood on any earlier day, so nothing is ever updated in place or
deleted: each import, entry, correction and withdrawal appends a revision with who and when, and the
state as of a moment is the latest revision at or before it.  The one column that changes is
``active_key``: the event's match key while it is in force, NULL once withdrawn; its unique index
refuses a second event with the same (unit, year, kind, 事项, 依据) even from two writers at once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from metrics.db.base import Base, UTCDateTime, utcnow


class AssessmentEvent(Base):
    """Who and which year an event concerns, and of what kind: fixed for the event's life."""

    __tablename__ = "assessment_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(64), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(16))                  # bonus | deduction | veto | cap
    active_key: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revisions: Mapped[list[EventRevision]] = relationship(
        back_populates="event", order_by="EventRevision.seq", lazy="selectin")


class EventRevision(Base):
    """One state of an event, appended by an import, an entry, a correction or a withdrawal."""

    __tablename__ = "assessment_event_revisions"
    __table_args__ = (UniqueConstraint("event_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("assessment_events.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)                       # 1, 2, … within the event
    action: Mapped[str] = mapped_column(String(16))                 # import | entry | correction | withdrawal
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    item: Mapped[str] = mapped_column(Text)                         # 事项
    points: Mapped[float | None] = mapped_column(Float, nullable=True)  # 分值 (none for veto and cap)
    basis: Mapped[str] = mapped_column(Text)                        # 依据: the document
    event_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    evidence: Mapped[str] = mapped_column(Text, default="")         # 佐证材料
    note: Mapped[str] = mapped_column(Text, default="")
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text, default="")           # why corrected or withdrawn
    source_file: Mapped[str] = mapped_column(String(255), default="")
    source_sheet: Mapped[str] = mapped_column(String(128), default="")
    source_row: Mapped[int | None] = mapped_column(Integer, nullable=True)
    event: Mapped[AssessmentEvent] = relationship(back_populates="revisions")
