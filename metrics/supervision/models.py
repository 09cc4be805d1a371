"""The tables of 云督查.  Nothing is deleted: a transition appends an event row and moves ``status``;
a withdrawn item stays as 撤销.  逾期 and "feedback due" are computed from dates (``dates``), never
stored, so they can never disagree with the deadlines they come from.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from metrics.db.base import Base, UTCDateTime, utcnow


class LedgerItem(Base):
    """One 督查事项: the problem, who answers for it by name, and its current state."""

    __tablename__ = "ledger_items"
    __table_args__ = (UniqueConstraint("year", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)            # DC-2021-0037
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(8))                        # 指标 任务 会议 督查
    unit_code: Mapped[str] = mapped_column(String(64), index=True)
    indicator_code: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("sv_tasks.id"), nullable=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), nullable=True)
    period: Mapped[str | None] = mapped_column(String(16), nullable=True)
    problem: Mapped[str] = mapped_column(Text)
    responsible_unit: Mapped[str] = mapped_column(String(64), index=True)
    cooperating: Mapped[list[str]] = mapped_column(JSON, default=list)
    leader: Mapped[str] = mapped_column(String(64))
    leader_post: Mapped[str] = mapped_column(String(64), default="")
    contact: Mapped[str] = mapped_column(String(128), default="")
    deadline: Mapped[date] = mapped_column(Date)
    severity: Mapped[str] = mapped_column(String(4), default="一般")
    status: Mapped[str] = mapped_column(String(8), index=True)
    opened_on: Mapped[date] = mapped_column(Date)
    opened_by: Mapped[str] = mapped_column(String(64))
    gap: Mapped[str] = mapped_column(Text, default="")                   # the figure's gap when opened from a row
    figure_source: Mapped[str] = mapped_column(Text, default="")         # file, sheet, row of that figure
    source_file: Mapped[str] = mapped_column(String(255), default="")
    source_row: Mapped[int | None] = mapped_column(Integer, nullable=True)
    requirements: Mapped[list[Requirement]] = relationship(order_by="Requirement.seq", lazy="selectin",
                                                           cascade="all")
    events: Mapped[list[LedgerEvent]] = relationship(order_by="LedgerEvent.id", lazy="selectin", cascade="all")


class Requirement(Base):
    """One rectification requirement (清单式), with its own deadline and done flag."""

    __tablename__ = "ledger_requirements"
    __table_args__ = (UniqueConstraint("item_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("ledger_items.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class LedgerEvent(Base):
    """Something that happened to an item: a transition, a feedback, a 催办, a requirement done."""

    __tablename__ = "ledger_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("ledger_items.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))       # open start apply accept reject withdraw feedback urge done
    from_status: Mapped[str] = mapped_column(String(8), default="")
    to_status: Mapped[str] = mapped_column(String(8), default="")
    on_day: Mapped[date] = mapped_column(Date, index=True)   # the city's calendar day
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    level: Mapped[int | None] = mapped_column(Integer, nullable=True)   # 催办 1, 2, 3+ (约谈)
    evidence: Mapped[list[Evidence]] = relationship(lazy="selectin", cascade="all",
                                                    primaryjoin="LedgerEvent.id == foreign(Evidence.event_id)")


class Evidence(Base):
    """A file attached to a ledger event or a task report; its bytes live beside the store by SHA-256."""

    __tablename__ = "sv_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_events.id"), nullable=True, index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("sv_task_reports.id"), nullable=True, index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)


class RedExplanation(Base):
    """Why a red figure needs no item (an explanation entered on the ledger page)."""

    __tablename__ = "red_explanations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(64))
    indicator_code: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Task(Base):
    """One key task of a 目标任务分解清单."""

    __tablename__ = "sv_tasks"
    __table_args__ = (UniqueConstraint("list_name", "title"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_name: Mapped[str] = mapped_column(String(128))
    number: Mapped[str] = mapped_column(String(16), default="")       # 序号 as written
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(64), default="")
    lead_unit: Mapped[str] = mapped_column(String(64), index=True)
    cooperating: Mapped[list[str]] = mapped_column(JSON, default=list)
    leader: Mapped[str] = mapped_column(String(64), default="")
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)    # the latest milestone date
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    source_file: Mapped[str] = mapped_column(String(255), default="")
    source_sheet: Mapped[str] = mapped_column(String(128), default="")
    source_row: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    milestones: Mapped[list[Milestone]] = relationship(order_by="Milestone.seq", lazy="selectin", cascade="all")
    reports: Mapped[list[TaskReport]] = relationship(order_by="TaskReport.id", lazy="selectin", cascade="all")


class Milestone(Base):
    __tablename__ = "sv_milestones"
    __table_args__ = (UniqueConstraint("task_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("sv_tasks.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    due: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_text: Mapped[str] = mapped_column(String(64), default="")
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class TaskReport(Base):
    """A weekly progress report on a task (text, percent, evidence; may mark a milestone done)."""

    __tablename__ = "sv_task_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("sv_tasks.id"), index=True)
    on_day: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    milestone_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Meeting(Base):
    """A 调度会: its agenda is computed once at creation and stored with the store version it used."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))                 # 周调度 旬通报 季度讲评
    held_on: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(255))
    attendees: Mapped[list[str]] = mapped_column(JSON, default=list)
    agenda: Mapped[dict] = mapped_column(JSON, default=dict)
    store_version: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    entries: Mapped[list[MeetingEntry]] = relationship(order_by="MeetingEntry.id", lazy="selectin", cascade="all")
    decisions: Mapped[list[Decision]] = relationship(order_by="Decision.seq", lazy="selectin", cascade="all")


class MeetingEntry(Base):
    """A ledger item or task that appeared on a meeting, and how many meetings it has appeared on."""

    __tablename__ = "meeting_entries"
    __table_args__ = (UniqueConstraint("meeting_id", "ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    ref: Mapped[str] = mapped_column(String(32), index=True)     # "item:DC-2021-0037" | "task:12"
    section: Mapped[str] = mapped_column(String(16))
    times: Mapped[int] = mapped_column(Integer)                  # 第N次调度


class Decision(Base):
    """A decision taken at a meeting: a new ledger item (source 会议) or a change to a task."""

    __tablename__ = "meeting_decisions"
    __table_args__ = (UniqueConstraint("meeting_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_items.id"), nullable=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("sv_tasks.id"), nullable=True)
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
