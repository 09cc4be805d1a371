"""The 考核结果 page's tables and sentences, shaped from the result (pure; the page only lays them out)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.assessment.events import ASSESSED_TYPES, Event, kind_word
from metrics.assessment.result import EXCELLENT, GRADE_WORDS, number_text, quota
from metrics.assessment.rules import Rules
from metrics.assessment.whatif import WhatIf
from metrics.ranking import round_half_up


@dataclass
class GroupTable:
    unit_type: str
    group: str
    rows: pd.DataFrame        # the graded table's rows of the group, in rank order
    n: int                    # units with a final score
    quota: int                # 优秀 places
    excellent: int            # 优秀 given


def groups(table: pd.DataFrame, rules_for, unit_type: str | None = None, group: str | None = None
           ) -> list[GroupTable]:
    """The graded table cut by group (type, group), optionally one type or one group."""
    out = []
    for (utype, name), rows in table.groupby(["unit_type", "group"], sort=False):
        if (unit_type and utype != unit_type) or (group and name != group):
            continue
        n = int(rows["final"].notna().sum())
        out.append(GroupTable(str(utype), str(name), rows.reset_index(drop=True), n,
                              quota(rules_for(str(utype)).excellent_share, n), int((rows["grade"] == EXCELLENT).sum())))
    return out


def types_present(table: pd.DataFrame) -> list[str]:
    return [t for t in ASSESSED_TYPES if (table["unit_type"] == t).any()]


def grade_word(grade: str | None, lang: str = "zh") -> str:
    if not grade:
        return "—"
    return GRADE_WORDS[grade] if lang == "en" else grade


def distance_text(row: dict, lang: str = "zh") -> str:
    """"差 2.01 分可评优秀" / "2.01 points to excellent"; why none, when there is none."""
    en = lang == "en"
    if row.get("veto"):
        return "vetoed: always poor" if en else "一票否决，不参与评优"
    if row.get("final") is None or pd.isna(row.get("final")):
        return "no final score" if en else "无最终得分"
    if row.get("grade") == EXCELLENT:
        return "top grade" if en else "已是最高等次"
    nxt, points = row.get("next_grade"), row.get("to_next")
    if not nxt or points is None or pd.isna(points):
        if row.get("capped_grade"):
            return "grade cap (降档): not excellent" if en else "降档，不能评为优秀"
        return "no excellent place in this group" if en else "本组无优秀名额"
    shown = f"{round_half_up(float(points), 2):.2f}"
    return f"{shown} points to {GRADE_WORDS[nxt]}" if en else f"差 {shown} 分可评{nxt}"


def points_text(counted: float, raw: float) -> str:
    """Points as counted, with the sum before the cap when the cap held some back: "5（7）"."""
    text = number_text(counted)
    return text if counted == raw else f"{text}（{number_text(raw)}）"


def closed_frame(w: WhatIf) -> pd.DataFrame:
    """The red indicators a what-if closes: name, measure, target, actual and the actual that closes it,
    as text (the closing actual to at most 4 decimals)."""
    out = w.closed.copy()
    out["closing"] = [number_text(round_half_up(v, 4)) for v in out["closing"]]
    out["actual"] = [number_text(v) for v in out["actual"]]
    out["target"] = [number_text(v) for v in out["target"]]
    return out


def flags_text(row: dict, lang: str = "zh") -> str:
    parts = []
    if row.get("veto"):
        parts.append(kind_word("veto", lang))
    if row.get("capped_grade"):
        parts.append(kind_word("cap", lang))
    return ("、" if lang != "en" else ", ").join(parts)


def events_frame(events: list[Event], names: dict[str, str] | None = None) -> pd.DataFrame:
    """Events for a table (一票否决 and 降档 first, then 扣分, 加分): id, unit, kind, 事项, 分值, 依据, 日期, 佐证,
    备注, how and by whom it was last changed."""
    names = names or {}
    rows = []
    severity = {"veto": 0, "cap": 1, "deduction": 2, "bonus": 3}
    for e in sorted(events, key=lambda e: (severity.get(e.kind, 9), names.get(e.unit_code, e.unit_code),
                                            e.date or pd.Timestamp.min.date(), e.id or 0)):
        src = e.source or {}
        at = src.get("at")
        rows.append({"id": e.id, "unit_code": e.unit_code, "unit_name": names.get(e.unit_code, e.unit_code),
                     "kind": e.kind, "item": e.item, "points": None if e.points is None else float(e.points),
                     "basis": e.basis, "date": e.date, "evidence": e.evidence, "note": e.note,
                     "action": src.get("action", ""), "actor": src.get("actor", ""),
                     "at": None if at is None else pd.Timestamp(at), "file": src.get("file") or "",
                     "row": src.get("row"), "withdrawn": bool(src.get("withdrawn")), "reason": src.get("reason") or ""})
    return pd.DataFrame(rows, columns=["id", "unit_code", "unit_name", "kind", "item", "points", "basis", "date",
                                       "evidence", "note", "action", "actor", "at", "file", "row", "withdrawn",
                                       "reason"])


def rules_text(rules: Rules, lang: str = "zh") -> str:
    """One line of the year's rules for a unit type."""
    share = number_text(rules.excellent_share * 100)
    bonus = "none" if rules.bonus_cap is None else number_text(rules.bonus_cap)
    ded = "none" if rules.deduction_cap is None else number_text(rules.deduction_cap)
    if lang == "en":
        return (f"excellent: at most {share}% of a group, final ≥ {number_text(rules.excellent_min)}; good ≥ "
                f"{number_text(rules.good_min)}; fair ≥ {number_text(rules.pass_min)}; bonus cap {bonus}, "
                f"deduction cap {ded}")
    bonus = "不设" if rules.bonus_cap is None else f"{bonus} 分"
    ded = "不设" if rules.deduction_cap is None else f"{ded} 分"
    return (f"优秀名额 {share}%，优秀 ≥ {number_text(rules.excellent_min)} 分；良好 ≥ {number_text(rules.good_min)}；"
            f"一般 ≥ {number_text(rules.pass_min)}；加分上限 {bonus}，扣分上限 {ded}")


def _score(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{round_half_up(float(value), 2):.2f}"


def _rank(row: dict) -> str:
    return "—" if row.get("rank") is None or pd.isna(row.get("rank")) else f"{int(row['rank'])}/{int(row['rank_of'])}"


def whatif_text(w: WhatIf, lang: str = "zh") -> str:
    """"若衡东县补齐 2 项红灯指标（…），最终得分由 89.75 变为 91.20（组内排名 4/7 → 3/7，等次 良好 → 优秀）"."""
    en = lang == "en"
    if not w.changed:
        return f"{w.unit_name} has no red indicator at the year's end." if en else f"{w.unit_name}年末没有红灯指标。"
    names = ("、" if not en else ", ").join(w.closed["indicator_name"])
    b, a = w.before, w.after
    if en:
        return (f"If {w.unit_name} closes its {len(w.closed)} red indicator(s) ({names}), its composite becomes "
                f"{_score(a['composite'])} (now {_score(b['composite'])}) and its final {_score(a['final'])} (now "
                f"{_score(b['final'])}): rank {_rank(b)} → {_rank(a)}, grade {grade_word(b['grade'], 'en')} → "
                f"{grade_word(a['grade'], 'en')}.")
    return (f"若{w.unit_name}补齐 {len(w.closed)} 项红灯指标（{names}），综合得分由 {_score(b['composite'])} 升至 "
            f"{_score(a['composite'])}，最终得分由 {_score(b['final'])} 变为 {_score(a['final'])}；组内排名 "
            f"{_rank(b)} → {_rank(a)}，等次 {grade_word(b['grade'])} → {grade_word(a['grade'])}。")
