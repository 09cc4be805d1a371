"""An assessment event (加扣分事项) as the result computation sees it, and the checks one event must pass.

Pure: no database here.  The service stores events (``service.py``), the workbook reader builds them
from rows (``workbook.py``), the app from a form; all three refuse the same things with the same words.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from metrics.text import match_key, normalize_label

KINDS = ("bonus", "deduction", "veto", "cap")
KIND_WORDS = {"bonus": ("加分", "bonus"), "deduction": ("扣分", "deduction"), "veto": ("一票否决", "veto"),
              "cap": ("降档", "grade cap")}
KIND_NAMES = {  # what a workbook or a form may write -> kind
    "加分": "bonus", "扣分": "deduction", "一票否决": "veto", "否决": "veto", "降档": "cap", "降等": "cap",
    "bonus": "bonus", "deduction": "deduction", "veto": "veto", "cap": "cap", "downgrade": "cap",
}
SCORED = ("bonus", "deduction")          # kinds that carry points
ASSESSED_TYPES = ("县市区", "乡镇", "市直部门", "园区")
MAX_POINTS = Decimal(100)
MAX_ITEM = 500
MAX_BASIS = 200
MAX_TEXT = 2000
YEARS = (2000, 2100)


@dataclass(frozen=True)
class Event:
    """One event in force: what it is, for whom, and where it came from."""

    unit_code: str
    year: int
    kind: str                    # bonus | deduction | veto | cap
    item: str                    # 事项
    points: Decimal | None       # 分值 (positive; None for veto and cap)
    basis: str                   # 依据, e.g. 衡督查〔2021〕12号
    date: dt.date | None
    evidence: str = ""
    note: str = ""
    id: int | None = None
    source: dict = field(default_factory=dict, compare=False, hash=False)  # file, sheet, row, action, at, actor

    @property
    def key(self) -> tuple[str, int, str, str, str]:
        """What re-imports are matched on: (unit, year, kind, 事项, 依据), spacing and case aside."""
        return (self.unit_code, int(self.year), self.kind, match_key(self.item), match_key(self.basis))

    @property
    def key_hash(self) -> str:
        return hashlib.sha256("\x1f".join(map(str, self.key)).encode("utf-8")).hexdigest()

    def same_content(self, other: Event) -> bool:
        """Nothing a person would call a change: the key, points, date, evidence and note agree."""
        return (self.key == other.key and self.points == other.points and self.date == other.date
                and normalize_label(self.evidence) == normalize_label(other.evidence)
                and normalize_label(self.note) == normalize_label(other.note))

    def with_changes(self, **changes: object) -> Event:
        return replace(self, **changes)


@dataclass(frozen=True)
class Invalid:
    """One refused field of an event: field name, message in zh and en."""

    field: str
    zh: str
    en: str


class EventRejected(ValueError):
    """An entry or correction the app refuses; carries every refused field."""

    def __init__(self, problems: list[Invalid]) -> None:
        super().__init__("; ".join(p.en for p in problems))
        self.problems = problems

    def message(self, lang: str = "zh") -> str:
        return ("; " if lang == "en" else "；").join(p.en if lang == "en" else p.zh for p in self.problems)


def kind_of(value: object) -> str | None:
    """The kind a written word names (加分, 扣分, 一票否决, 降档, or their English), else None."""
    return KIND_NAMES.get(match_key(value))


def kind_word(kind: str, lang: str = "zh") -> str:
    words = KIND_WORDS.get(kind, (kind, kind))
    return words[1] if lang == "en" else words[0]


def points_of(value: object) -> Decimal | None:
    """A number as a person wrote it (Decimal of its shortest form); None when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InvalidOperation(value)
    if isinstance(value, float):
        if value != value:
            return None
        return Decimal(repr(value))
    return Decimal(normalize_label(value).replace(",", ""))


def clean_text(value: object) -> str:
    return normalize_label(value)


def check(event: Event) -> list[Invalid]:
    """Every rule one event breaks (empty when it may be stored)."""
    out: list[Invalid] = []
    if event.kind not in KINDS:
        out.append(Invalid("kind", f"类型“{event.kind}”无效，应为：加分、扣分、一票否决、降档",
                           f"kind “{event.kind}” is invalid; expected 加分, 扣分, 一票否决 or 降档"))
    if not YEARS[0] <= int(event.year) <= YEARS[1]:
        out.append(Invalid("year", f"年度“{event.year}”无效", f"year “{event.year}” is invalid"))
    if not event.item:
        out.append(Invalid("item", "事项不能为空", "the item (事项) cannot be blank"))
    elif len(event.item) > MAX_ITEM:
        out.append(Invalid("item", f"事项过长（{len(event.item)} 字，上限 {MAX_ITEM}）",
                           f"the item is too long ({len(event.item)} characters, at most {MAX_ITEM})"))
    if not event.basis:
        out.append(Invalid("basis", "依据不能为空（写明文件文号，如 衡督查〔2021〕12号）",
                           "the basis (依据) cannot be blank (name the document, e.g. 衡督查〔2021〕12号)"))
    elif len(event.basis) > MAX_BASIS:
        out.append(Invalid("basis", f"依据过长（上限 {MAX_BASIS} 字）", f"the basis is too long (at most {MAX_BASIS})"))
    for name in ("evidence", "note"):
        if len(getattr(event, name)) > MAX_TEXT:
            out.append(Invalid(name, f"内容过长（上限 {MAX_TEXT} 字）", f"too long (at most {MAX_TEXT} characters)"))
    out += _check_points(event)
    if event.date is None:
        out.append(Invalid("date", "日期不能为空", "the date cannot be blank"))
    elif not dt.date(int(event.year), 1, 1) <= event.date <= dt.date(int(event.year) + 1, 12, 31):
        out.append(Invalid("date", f"日期 {event.date.isoformat()} 不在 {event.year} 年度或次年之内",
                           f"the date {event.date.isoformat()} is not within {event.year} or the year after"))
    return out


def _check_points(event: Event) -> list[Invalid]:
    p = event.points
    if event.kind in SCORED:
        if p is None:
            return [Invalid("points", f"{kind_word(event.kind)}必须写分值", f"a {kind_word(event.kind, 'en')} needs points")]
        if not p.is_finite() or p <= 0:
            return [Invalid("points", f"分值应为正数（扣分也写正数）：{p}",
                            f"points must be positive (a deduction too is written positive): {p}")]
        if p > MAX_POINTS:
            return [Invalid("points", f"分值 {p} 超过 {MAX_POINTS}", f"points {p} exceed {MAX_POINTS}")]
    elif event.kind in KINDS and p is not None:
        return [Invalid("points", f"{kind_word(event.kind)}不设分值，请留空", f"a {kind_word(event.kind, 'en')} has no points; leave blank")]
    return []
