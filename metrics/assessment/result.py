"""The year's result: final score, rank and grade per unit and group, as domain.md "Annual assessment" and
its rulings define them.  Pure functions over plain values; the bulletin takes its 表彰/通报批评 lists
from :func:`graded_table`.

Why decimals: a grade decides who is commended, so the quota ``floor(share × n)`` and the sum
``composite + bonus − deduction`` are computed on the numbers as a person writes them (0.3 × 10 is 3,
not 2.9999…), and the final score is rounded once, half away from zero, to 2 decimals.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

import pandas as pd

from metrics.assessment.events import ASSESSED_TYPES, Event, kind_word
from metrics.assessment.rules import Rules

EXCELLENT, GOOD, FAIR, POOR = "优秀", "良好", "一般", "较差"
GRADES = (EXCELLENT, GOOD, FAIR, POOR)                  # best first
GRADE_WORDS = {EXCELLENT: "excellent", GOOD: "good", FAIR: "fair", POOR: "poor"}
_ORDER = {POOR: 0, FAIR: 1, GOOD: 2, EXCELLENT: 3}
CENT = Decimal("0.01")
ZERO = Decimal(0)

RESULT_COLUMNS = ["year", "unit_code", "unit_name", "group", "composite", "bonus", "deduction", "final", "rank",
                  "rank_of", "grade", "veto", "capped_grade", "events"]
EXTRA_COLUMNS = ["unit_type", "bonus_raw", "deduction_raw", "event_list", "next_grade", "to_next"]


@dataclass(frozen=True)
class Standing:
    """What grading needs of one unit: its final score (None without a composite) and its flags."""

    code: str
    final: Decimal | None
    veto: bool = False
    capped: bool = False


@dataclass(frozen=True)
class Adjustment:
    """The events of one unit and year, summed: raw sums, the sums after the caps, and the flags."""

    bonus_raw: Decimal
    deduction_raw: Decimal
    bonus: Decimal
    deduction: Decimal
    veto: bool
    capped: bool
    events: tuple[Event, ...]


def grade_rank(grade: str | None) -> int:
    """优秀 3, 良好 2, 一般 1, 较差 0; -1 for no grade (higher is better)."""
    return _ORDER.get(grade, -1) if grade else -1


def quota(share: Decimal, n: int) -> int:
    """floor(share × n) in decimal: 0.3 × 10 = 3 exactly."""
    return int((Decimal(share) * n).to_integral_value(rounding=ROUND_FLOOR))


def adjust(events: Iterable[Event], rules: Rules) -> Adjustment:
    """Σ bonus and Σ deduction points, each then held to its cap; 一票否决 and 降档 as flags."""
    events = tuple(events)
    bonus_raw = sum((e.points for e in events if e.kind == "bonus" and e.points is not None), ZERO)
    deduction_raw = sum((e.points for e in events if e.kind == "deduction" and e.points is not None), ZERO)
    bonus = bonus_raw if rules.bonus_cap is None else min(bonus_raw, rules.bonus_cap)
    deduction = deduction_raw if rules.deduction_cap is None else min(deduction_raw, rules.deduction_cap)
    return Adjustment(bonus_raw, deduction_raw, bonus, deduction, any(e.kind == "veto" for e in events),
                      any(e.kind == "cap" for e in events), events)


def final_score(composite: float | None, bonus: Decimal, deduction: Decimal) -> Decimal | None:
    """composite (unrounded, as written) + bonus − deduction, not below 0, rounded once to 2 decimals."""
    if composite is None or (isinstance(composite, float) and math.isnan(composite)):
        return None
    raw = Decimal(repr(float(composite))) + bonus - deduction
    return max(raw, ZERO).quantize(CENT, rounding=ROUND_HALF_UP)


def _eligible(s: Standing, rules: Rules) -> bool:
    return s.final is not None and not s.veto and not s.capped and s.final >= rules.excellent_min


def grade_group(standings: list[Standing], rules: Rules) -> dict[str, str | None]:
    """The grade of every unit of one group (None: no final score and no veto).

    优秀: eligible (not vetoed, not 降档, final ≥ excellent_min) and the eligible units scoring at least as
    much, itself included, fit in the quota, so a tie that would overflow the quota gives none of the
    tied units 优秀, nor any unit below them.  Then 良好, 一般, 较差 by score; a veto is always 较差.
    """
    scored = [s for s in standings if s.final is not None]
    q = quota(rules.excellent_share, len(scored))
    eligible = sorted((s.final for s in scored if _eligible(s, rules)), reverse=True)
    grades: dict[str, str | None] = {}
    for s in standings:
        if s.veto:
            grades[s.code] = POOR
        elif s.final is None:
            grades[s.code] = None
        elif _eligible(s, rules) and sum(1 for f in eligible if f >= s.final) <= q:
            grades[s.code] = EXCELLENT
        else:
            grades[s.code] = _by_score(s.final, rules)
    return grades


def _by_score(final: Decimal, rules: Rules) -> str:
    return GOOD if final >= rules.good_min else FAIR if final >= rules.pass_min else POOR


def ranks(standings: list[Standing]) -> dict[str, tuple[int, int]]:
    """(rank, rank_of) by final score, descending, ties sharing the smaller rank ("1224")."""
    finals = sorted((s.final for s in standings if s.final is not None), reverse=True)
    n = len(finals)
    return {s.code: (1 + sum(1 for f in finals if f > s.final), n) for s in standings if s.final is not None}


def to_next_grade(s: Standing, grade: str | None, standings: list[Standing], rules: Rules
                  ) -> tuple[str | None, Decimal | None]:
    """The grade a unit reaches first when its final score rises, others unchanged, and the points it
    takes; (None, None) when there is none (优秀 already, vetoed, 降档 at 良好, no final score, a quota of 0)."""
    if s.final is None or s.veto or grade is None or grade == EXCELLENT:
        return None, None
    if grade == POOR:
        target = rules.pass_min
    elif grade == FAIR:
        target = rules.good_min
    else:
        scored = [o for o in standings if o.final is not None]
        q = quota(rules.excellent_share, len(scored))
        if s.capped or q == 0:
            return None, None
        others = sorted((o.final for o in scored if o.code != s.code and _eligible(o, rules)), reverse=True)
        target = rules.excellent_min if len(others) < q else max(rules.excellent_min, others[q - 1] + CENT)
    raised = [Standing(o.code, target, o.veto, o.capped) if o.code == s.code else o for o in standings]
    return grade_group(raised, rules)[s.code], target - s.final


def graded_table(units: pd.DataFrame, composites: Mapping[str, float], events: Iterable[Event],
                 rules_for: Callable[[str], Rules], year: int) -> pd.DataFrame:
    """One row per assessed unit (县市区, 乡镇, 市直部门, 园区): RESULT_COLUMNS, then EXTRA_COLUMNS.

    ``units``: the catalog's units (code, name, type, group); ``composites``: unit code -> composite at
    the year's last period (absent or NaN: none); ``events``: the events in force (other years ignored);
    ``rules_for``: unit type -> Rules.  Groups are keyed by (type, group); rows come by type, group (in
    catalog order), rank.  ``bonus``/``deduction`` are after their caps, ``bonus_raw``/``deduction_raw``
    before; ``events`` is their text, ``event_list`` the events themselves.
    """
    by_unit: dict[str, list[Event]] = {}
    for e in events:
        if int(e.year) == int(year):
            by_unit.setdefault(e.unit_code, []).append(e)
    assessed = units[units["type"].isin(ASSESSED_TYPES)]
    rows: list[dict] = []
    for (utype, group), members in assessed.groupby(["type", "group"], sort=False):
        rules = rules_for(str(utype))
        standings, info = [], {}
        for u in members.itertuples(index=False):
            adj = adjust(sorted(by_unit.get(u.code, []), key=_event_order), rules)
            composite = composites.get(u.code)
            composite = None if composite is None or pd.isna(composite) else float(composite)
            final = final_score(composite, adj.bonus, adj.deduction)
            standings.append(Standing(u.code, final, adj.veto, adj.capped))
            info[u.code] = (u, composite, adj)
        grades = grade_group(standings, rules)
        ranked = ranks(standings)
        for s in standings:
            u, composite, adj = info[s.code]
            rank, rank_of = ranked.get(s.code, (None, None))
            next_grade, to_next = to_next_grade(s, grades[s.code], standings, rules)
            rows.append({
                "year": int(year), "unit_code": u.code, "unit_name": u.name, "group": group, "composite": composite,
                "bonus": float(adj.bonus), "deduction": float(adj.deduction),
                "final": None if s.final is None else float(s.final), "rank": rank, "rank_of": rank_of,
                "grade": grades[s.code], "veto": adj.veto, "capped_grade": adj.capped,
                "events": events_text(adj), "unit_type": utype, "bonus_raw": float(adj.bonus_raw),
                "deduction_raw": float(adj.deduction_raw), "event_list": list(adj.events), "next_grade": next_grade,
                "to_next": None if to_next is None else float(to_next)})
    return _frame(rows, assessed)


def _event_order(e: Event) -> tuple:
    return (("veto", "cap", "bonus", "deduction").index(e.kind), e.date or pd.Timestamp.min.date(), e.item)


def _frame(rows: list[dict], units: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=RESULT_COLUMNS + EXTRA_COLUMNS)
    if frame.empty:
        return frame
    type_pos = {t: k for k, t in enumerate(ASSESSED_TYPES)}
    group_pos = {g: k for k, g in enumerate(dict.fromkeys(zip(units["type"], units["group"], strict=True)))}
    frame["_t"] = frame["unit_type"].map(type_pos)
    frame["_g"] = [group_pos[(t, g)] for t, g in zip(frame["unit_type"], frame["group"], strict=True)]
    frame["_r"] = frame["rank"].fillna(10**9)
    frame["_v"] = ~frame["veto"]  # without a final score: vetoed first (they are 较差 for a reason), then the rest
    frame = frame.sort_values(["_t", "_g", "_r", "_v"], kind="stable").drop(columns=["_t", "_g", "_r", "_v"])
    for col in ("rank", "rank_of"):
        frame[col] = frame[col].astype("Int64")
    for col in ("composite", "final", "to_next"):
        frame[col] = frame[col].astype("float64")
    for col in ("grade", "next_grade"):  # None, never NaN, where there is no grade
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame.reset_index(drop=True)


def number_text(value: Decimal | float) -> str:
    """A points number as written: 3, 0.5, 2.25 (no trailing zeros, never an exponent)."""
    d = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    text = f"{d.normalize():f}"
    return text


def events_text(adj: Adjustment, lang: str = "zh") -> str:
    """The events behind the adjustments, with the raw sums (and what the caps let count)."""
    en = lang == "en"
    parts = []
    for kind, raw, counted in (("bonus", adj.bonus_raw, adj.bonus), ("deduction", adj.deduction_raw, adj.deduction)):
        items = [e for e in adj.events if e.kind == kind]
        if not items:
            continue
        head = f"{kind_word(kind, lang)} {number_text(raw)}" + ("" if en else " 分")
        if raw != counted:
            head += f" (counted {number_text(counted)})" if en else f"（计 {number_text(counted)} 分）"
        sign = "+" if kind == "bonus" else "−"
        parts.append(head + (": " if en else "：") + ("; " if en else "；").join(
            f"{e.item} {sign}{number_text(e.points)}［{_source(e)}］" for e in items if e.points is not None))
    for kind in ("veto", "cap"):
        items = [e for e in adj.events if e.kind == kind]
        if items:
            parts.append(kind_word(kind, lang) + (": " if en else "：") + ("; " if en else "；").join(
                f"{e.item}［{_source(e)}］" for e in items))
    return " | ".join(parts)


def _source(e: Event) -> str:
    return e.basis + (f" · {e.date.isoformat()}" if e.date else "")
