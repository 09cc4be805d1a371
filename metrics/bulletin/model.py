"""The bulletin as one content model: a title block, numbered sections of sentences, tables, charts
and notes.  Every format (docx, pdf, pptx, xlsx) renders this same object, so the numbers cannot
differ between them; the model holds numbers as numbers (the writers format them through
:mod:`metrics.bulletin.numbers`), and text from data only as plain strings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

STATUS_WORDS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "missing": "未报送", "no_target": "无目标"}
# table columns that count one light: their header is filled with that light's color in every format
STATUS_HEADER = {"green": "green", "yellow": "yellow", "red": "red", "missing": "missing",
                 "red_count": "red", "yellow_count": "yellow"}
STATUS_COLORS = {  # as the dashboard draws them
    "green": "#2E7D32", "yellow": "#F9A825", "red": "#C62828", "missing": "#9E9E9E", "no_target": "#E0E0E0",
}


@dataclass(frozen=True)
class Column:
    """A table column.  ``kind`` says how its numbers are written:

    text · int · rank (3/12 from the row's ``rank_of``) · score (2 decimals) · pct (a ratio as %) ·
    change (rank change: 上升2位) · status (a light, colored and worded) · value (a figure in the
    measure named by the row's ``measure`` and ``decimals`` keys)
    """

    key: str
    title: str
    kind: str = "text"
    width: float = 1.0


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    note: str = ""

    def values(self, key: str) -> list[Any]:
        return [row.get(key) for row in self.rows]


@dataclass
class Paragraph:
    text: str


@dataclass
class Note:
    """Something the reader must know about a section: omitted, shortened, not yet available."""

    text: str


@dataclass
class Chart:
    """A chart's data; :mod:`metrics.bulletin.charts` draws it (once per model, for every format)."""

    key: str        # matrix | ranking | province_trend
    title: str
    data: dict[str, Any]
    caption: str = ""
    images: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)


Block = Paragraph | Table | Chart | Note


@dataclass
class Section:
    key: str
    heading: str    # numbered: 一、总体情况
    blocks: list[Block] = field(default_factory=list)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def paragraphs(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Paragraph)]


@dataclass(frozen=True)
class Scope:
    """What the bulletin covers: the whole city, one ranking group, or one county."""

    kind: str                   # city | group | unit
    code: str | None = None     # "县市区/城区" for a group, the unit code for a county
    label: str = "全市"

    @property
    def key(self) -> str:
        return "city" if self.kind == "city" else f"{self.kind}:{self.code}"


@dataclass(frozen=True)
class IssueMark:
    """期号 and date of an issued bulletin (None on a draft)."""

    year: int
    number: int
    date: dt.date
    issued_by: str = ""

    @property
    def label(self) -> str:
        return f"{self.year}年第{self.number}期"


@dataclass
class Bulletin:
    title: str
    masthead: str
    issuer: str
    city: str
    period: str
    period_label: str
    scope: Scope
    store_version: int
    date: dt.date
    issue: IssueMark | None
    sections: list[Section]
    generated_at: dt.datetime

    @property
    def number_label(self) -> str:
        return self.issue.label if self.issue else "（未签发）"

    @property
    def date_label(self) -> str:
        return f"{self.date.year}年{self.date.month}月{self.date.day}日"

    @property
    def footer(self) -> str:
        return f"数据版本 v{self.store_version} · {self.period_label} · {self.number_label}"

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def charts(self) -> list[Chart]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Chart)]

    def file_stem(self) -> str:
        scope = "" if self.scope.kind == "city" else f"_{self.scope.label}"
        return f"{self.city}{self.period_label}绩效评估通报{scope}".replace("/", "_").replace("·", "_")
