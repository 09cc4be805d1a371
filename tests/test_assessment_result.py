"""The year's result, rule by rule, on small hand-computed groups; then properties over random groups.

Every expected number below is worked out by hand from domain.md "Annual assessment" and its rulings.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.assessment.events import Event
from metrics.assessment.result import (
    EXCELLENT,
    FAIR,
    GOOD,
    POOR,
    RESULT_COLUMNS,
    Standing,
    adjust,
    final_score,
    grade_group,
    grade_rank,
    graded_table,
    quota,
)
from metrics.assessment.rules import Rules, rules_from, rules_of
from metrics.scheme import SchemeError, parse_scheme
from metrics.scheme_sections import assessment as section

D = Decimal
RULES = Rules()


def units(*specs: tuple[str, str, str]) -> pd.DataFrame:
    """(code, type, group) -> a catalog units frame."""
    return pd.DataFrame([{"code": c, "name": f"单位{c}", "type": t, "group": g, "parent": "", "aliases": []}
                         for c, t, g in specs])


def group(n: int, utype: str = "县市区", name: str = "县市") -> pd.DataFrame:
    return units(*[(f"U{k:02d}", utype, name) for k in range(1, n + 1)])


def ev(unit: str, kind: str, points: float | None = None, item: str = "事项", year: int = 2021) -> Event:
    return Event(unit_code=unit, year=year, kind=kind, item=f"{item}{unit}{kind}{points}",
                 points=None if points is None else D(repr(points)), basis="衡督查〔2021〕1号", date=dt.date(2021, 6, 1))


def table(comps: dict[str, float | None], events=(), rules: Rules = RULES, u: pd.DataFrame | None = None,
          year: int = 2021) -> pd.DataFrame:
    u = u if u is not None else units(*[(c, "县市区", "县市") for c in comps])
    return graded_table(u, {k: v for k, v in comps.items() if v is not None}, events, lambda _t: rules, year)


def row(t: pd.DataFrame, code: str) -> dict:
    return t[t["unit_code"] == code].iloc[0].to_dict()


def grades(t: pd.DataFrame) -> dict[str, str | None]:
    return {r["unit_code"]: (None if pd.isna(r["grade"]) else r["grade"]) for r in t.to_dict("records")}


# ---- caps, sums, the final score ------------------------------------------------------------------

def test_bonus_is_capped_deduction_is_not_by_default():
    t = table({"A": 85.004}, [ev("A", "bonus", 3), ev("A", "bonus", 2.5), ev("A", "deduction", 1),
                              ev("A", "deduction", 0.5)])
    a = row(t, "A")
    assert (a["bonus_raw"], a["bonus"]) == (5.5, 5.0)           # min(3 + 2.5, 5)
    assert (a["deduction_raw"], a["deduction"]) == (1.5, 1.5)  # no cap by default
    assert a["final"] == 88.5                                   # 85.004 + 5 - 1.5 = 88.504 -> 88.50
    assert "加分 5.5 分（计 5 分）" in a["events"] and "扣分 1.5 分：" in a["events"]


def test_a_deduction_cap_holds_deductions():
    t = table({"A": 80.0}, [ev("A", "deduction", 2), ev("A", "deduction", 1.5)],
              Rules(deduction_cap=D(2)))
    a = row(t, "A")
    assert (a["deduction_raw"], a["deduction"], a["final"]) == (3.5, 2.0, 78.0)


def test_final_adds_the_composite_unrounded_and_rounds_once_half_up():
    # 89.995 is stored as 89.99499999… in binary; as a person reads it, it rounds up to 90.00 (优秀 possible)
    assert final_score(89.995, D(0), D(0)) == D("90.00")
    assert final_score(84.4449, D("0.5"), D(0)) == D("84.94")    # 84.9449, not 84.44 + 0.5 rounded twice
    t = table({"A": 89.995, "B": 70.0, "C": 70.0, "D": 70.0})
    assert row(t, "A")["final"] == 90.0 and row(t, "A")["grade"] == EXCELLENT  # quota floor(0.3 × 4) = 1


def test_final_is_not_below_zero():
    t = table({"A": 3.0}, [ev("A", "deduction", 10)])
    assert row(t, "A")["final"] == 0.0 and row(t, "A")["grade"] == POOR


def test_points_sum_in_decimal():
    adj = adjust([ev("A", "bonus", 0.1), ev("A", "bonus", 0.2)], Rules(bonus_cap=None))
    assert adj.bonus == D("0.3")  # not 0.30000000000000004


# ---- grades, quota, ties ------------------------------------------------------------------------------

def test_grades_by_score_and_quota():
    # n = 10, quota floor(0.3 × 10) = 3: the three best eligible are 优秀
    finals = [97, 95, 93, 92, 91, 85, 80, 79.99, 60, 59.99]
    t = table({f"U{k}": f for k, f in enumerate(finals)})
    assert [grades(t)[f"U{k}"] for k in range(10)] == [EXCELLENT] * 3 + [GOOD] * 4 + [FAIR] * 2 + [POOR]
    assert list(t["rank"]) == list(range(1, 11)) and set(t["rank_of"]) == {10}


def test_quota_is_computed_in_decimal():
    assert quota(D("0.3"), 10) == 3
    assert 0.58 * 50 < 29 and quota(D("0.58"), 50) == 29      # float would give 28.999… -> 28
    t = table({f"U{k:02d}": 99.0 - k * 0.1 for k in range(50)}, rules=Rules(excellent_share=D("0.58"),
                                                                          excellent_min=D(0)))
    assert list(t["grade"]).count(EXCELLENT) == 29


def test_excellent_needs_excellent_min():
    t = table({"A": 89.99, "B": 70.0, "C": 70.0, "D": 70.0})  # quota 1, but 89.99 < 90
    assert grades(t)["A"] == GOOD


def test_a_group_whose_quota_rounds_down_to_zero_has_no_excellent():
    t = table({"A": 99.0, "B": 98.0, "C": 97.0})   # floor(0.3 × 3) = 0
    assert set(t["grade"]) == {GOOD}
    assert row(t, "A")["next_grade"] is None


def test_tie_at_the_quota_boundary_gives_none_of_the_tied_units_excellent():
    # n = 8, quota 2: 95 takes one place; the two 92s would take three -> neither, nor the 91 below them
    t = table({"A": 95.0, "B": 92.0, "C": 92.0, "D": 91.0, "E": 70.0, "F": 70.0, "G": 70.0, "H": 70.0})
    g = grades(t)
    assert (g["A"], g["B"], g["C"], g["D"]) == (EXCELLENT, GOOD, GOOD, GOOD)
    assert (row(t, "B")["rank"], row(t, "C")["rank"], row(t, "D")["rank"]) == (2, 2, 4)   # "1224"


def test_a_tie_that_fits_the_quota_is_all_excellent():
    t = table({"A": 92.0, "B": 92.0, "C": 80.0, "D": 80.0, "E": 70.0, "F": 70.0, "G": 70.0})  # quota 2
    assert (grades(t)["A"], grades(t)["B"]) == (EXCELLENT, EXCELLENT)


def test_only_eligible_units_count_in_the_tie_test():
    # quota 2: A 95; B and C tie at 92 but C is vetoed, so only B counts at the boundary -> B 优秀
    t = table({"A": 95.0, "B": 92.0, "C": 92.0, "D": 70.0, "E": 70.0, "F": 70.0, "G": 70.0},
              [ev("C", "veto")])
    g = grades(t)
    assert (g["A"], g["B"], g["C"]) == (EXCELLENT, EXCELLENT, POOR)
    # the same with a 降档 instead: it cannot be 优秀 and does not use a place
    t = table({"A": 95.0, "B": 92.0, "C": 92.0, "D": 70.0, "E": 70.0, "F": 70.0, "G": 70.0}, [ev("C", "cap")])
    assert (grades(t)["B"], grades(t)["C"]) == (EXCELLENT, GOOD)


# ---- veto, 降档 ---------------------------------------------------------------------------------------

def test_a_vetoed_unit_is_poor_keeps_its_rank_and_takes_no_place():
    # n = 10, quota 3; the vetoed best unit does not use a place: the next three are 优秀
    comps = {f"U{k}": 99.0 - k for k in range(10)}
    t = table(comps, [ev("U0", "veto"), ev("U0", "bonus", 2)])
    u0 = row(t, "U0")
    assert (u0["grade"], u0["rank"], u0["veto"], u0["final"]) == (POOR, 1, True, 101.0)
    assert [grades(t)[f"U{k}"] for k in range(1, 5)] == [EXCELLENT, EXCELLENT, EXCELLENT, GOOD]


def test_a_veto_beats_a_grade_cap():
    t = table({"A": 95.0, "B": 70.0, "C": 70.0, "D": 70.0}, [ev("A", "veto"), ev("A", "cap")])
    assert row(t, "A")["grade"] == POOR and row(t, "A")["capped_grade"]


def test_a_grade_cap_removes_excellent_only_and_does_not_stack():
    t = table({"A": 95.0, "B": 85.0, "C": 70.0, "D": 70.0}, [ev("A", "cap", item="一"), ev("A", "cap", item="二"),
                                                             ev("B", "cap")])
    assert (grades(t)["A"], grades(t)["B"]) == (GOOD, GOOD)   # 95 -> 良好 (not 一般); 85 stays 良好
    assert row(t, "A")["next_grade"] is None                    # 降档 at 良好: nothing to reach


def test_a_unit_without_a_composite_has_no_final_no_rank_and_is_not_counted():
    # n = 3 (D has no composite); quota floor(0.34 × 3) = 1
    t = table({"A": 95.0, "B": 93.0, "C": 70.0, "D": None}, rules=Rules(excellent_share=D("0.34")))
    d = row(t, "D")
    assert pd.isna(d["final"]) and pd.isna(d["rank"]) and d["grade"] is None and pd.isna(d["composite"])
    assert set(t["rank_of"].dropna()) == {3}
    assert (grades(t)["A"], grades(t)["B"]) == (EXCELLENT, GOOD)


def test_a_vetoed_unit_without_a_composite_is_poor_without_final_or_rank():
    t = table({"A": 95.0, "B": 93.0, "C": 70.0, "D": None}, [ev("D", "veto")], Rules(excellent_share=D("0.34")))
    d = row(t, "D")
    assert d["grade"] == POOR and pd.isna(d["final"]) and pd.isna(d["rank"]) and d["veto"]
    assert set(t["rank_of"].dropna()) == {3}


def test_events_of_other_years_do_not_count():
    t = table({"A": 80.0}, [ev("A", "bonus", 3, year=2020), ev("A", "veto", year=2022)])
    assert (row(t, "A")["bonus"], row(t, "A")["grade"]) == (0.0, GOOD)


# ---- groups and rules per type --------------------------------------------------------------------------

def test_groups_are_graded_apart_and_rules_differ_by_type():
    u = units(*[(f"C{k}", "县市区", "县市") for k in range(4)], *[(f"T{k}", "乡镇", "衡阳县") for k in range(4)],
              ("X", "市州", "全省"))
    values = {**section.DEFAULTS, "乡镇": {"excellent_share": 0.5, "excellent_min": 80}}
    comps = {**{f"C{k}": 95.0 - k for k in range(4)}, **{f"T{k}": 85.0 - k for k in range(4)}, "X": 99.0}
    t = graded_table(u, comps, [], lambda utype: rules_of(values, utype), 2021)
    assert "X" not in set(t["unit_code"])                     # 市州 are not assessed
    assert [grades(t)[f"C{k}"] for k in range(4)] == [EXCELLENT, GOOD, GOOD, GOOD]     # floor(0.3 × 4) = 1
    assert [grades(t)[f"T{k}"] for k in range(4)] == [EXCELLENT, EXCELLENT, GOOD, GOOD]  # floor(0.5 × 4) = 2, ≥ 80
    assert list(t.columns[:len(RESULT_COLUMNS)]) == RESULT_COLUMNS
    assert list(dict.fromkeys(t["group"])) == ["县市", "衡阳县"]


def test_scheme_section_per_type_and_its_checks():
    s = parse_scheme([("t.toml", {"assessment": {"bonus_cap": 4, "乡镇": {"bonus_cap": "none", "good_min": 75}}})])
    rules = rules_from(s)
    assert rules("县市区").bonus_cap == D(4) and rules("乡镇").bonus_cap is None
    assert rules("乡镇").good_min == D(75) and rules("乡镇").excellent_share == D("0.3")
    for bad in ({"excellent_share": 1.5}, {"good_min": 95}, {"bonus_cap": -1}, {"bonus": 3},
                {"园区": {"pass_min": "sixty"}}, {"园区": {"typo": 1}}, {"市州": {"good_min": 70}}):
        with pytest.raises(SchemeError):
            parse_scheme([("t.toml", {"assessment": bad})])


# ---- distance to the next grade -------------------------------------------------------------------------

def test_distance_to_the_next_grade():
    # n = 7, quota 2: A 96 and B 93 are 优秀; C 91 needs to pass B (93.01); E 79.5 needs 80; G 58 needs 60
    t = table({"A": 96.0, "B": 93.0, "C": 91.0, "D": 85.0, "E": 79.5, "F": 70.0, "G": 58.0})
    dist = {r["unit_code"]: (r["next_grade"], r["to_next"]) for r in t.to_dict("records")}
    assert dist["A"] == (None, None) or pd.isna(dist["A"][1])
    assert dist["C"][0] == EXCELLENT and dist["C"][1] == pytest.approx(2.01)
    assert dist["D"][0] == EXCELLENT and dist["D"][1] == pytest.approx(8.01)
    assert dist["E"][0] == GOOD and dist["E"][1] == pytest.approx(0.5)
    assert dist["G"][0] == FAIR and dist["G"][1] == pytest.approx(2.0)
    # a free 优秀 place: only excellent_min is in the way
    t = table({"A": 96.0, "B": 88.0, "C": 70.0, "D": 70.0, "E": 70.0, "F": 70.0, "G": 70.0})
    assert row(t, "B")["next_grade"] == EXCELLENT and row(t, "B")["to_next"] == pytest.approx(2.0)


# ---- properties ---------------------------------------------------------------------------------------

finals_st = st.lists(st.one_of(st.none(), st.integers(0, 12000).map(lambda c: D(c) / 100)), min_size=1, max_size=25)
share_st = st.integers(0, 100).map(lambda p: D(p) / 100)


@st.composite
def groups(draw):
    finals = draw(finals_st)
    standings = [Standing(f"U{k}", f, draw(st.booleans()) and draw(st.booleans()), draw(st.booleans()) and
                          draw(st.booleans())) for k, f in enumerate(finals)]
    lo = draw(st.integers(0, 100))
    mid = draw(st.integers(lo, 100))
    hi = draw(st.integers(mid, 100))
    rules = Rules(excellent_share=draw(share_st), pass_min=D(lo), good_min=D(mid), excellent_min=D(hi))
    return standings, rules


@given(groups())
@settings(max_examples=300, deadline=None)
def test_never_more_excellent_than_the_quota_and_a_veto_is_always_poor(case):
    standings, rules = case
    g = grade_group(standings, rules)
    n = sum(1 for s in standings if s.final is not None)
    assert sum(1 for v in g.values() if v == EXCELLENT) <= quota(rules.excellent_share, n)
    for s in standings:
        if s.veto:
            assert g[s.code] == POOR
        if s.capped:
            assert g[s.code] != EXCELLENT
        if s.final is None and not s.veto:
            assert g[s.code] is None


@given(groups(), st.data())
@settings(max_examples=300, deadline=None)
def test_more_points_never_lower_that_units_grade_and_the_distance_is_exact(case, data):
    standings, rules = case
    k = data.draw(st.integers(0, len(standings) - 1))
    s = standings[k]
    if s.final is None:
        return
    before = grade_group(standings, rules)[s.code]
    extra = data.draw(st.integers(1, 3000).map(lambda c: D(c) / 100))
    raised = [*standings[:k], Standing(s.code, s.final + extra, s.veto, s.capped), *standings[k + 1:]]
    assert grade_rank(grade_group(raised, rules)[s.code]) >= grade_rank(before)
    from metrics.assessment.result import to_next_grade

    nxt, dist = to_next_grade(s, before, standings, rules)
    if nxt is None:
        return
    up = [*standings[:k], Standing(s.code, s.final + dist, s.veto, s.capped), *standings[k + 1:]]
    assert grade_group(up, rules)[s.code] == nxt
    if dist > D("0.01"):
        below = [*standings[:k], Standing(s.code, s.final + dist - D("0.01"), s.veto, s.capped), *standings[k + 1:]]
        assert grade_group(below, rules)[s.code] == before


comp_st = st.one_of(st.none(), st.integers(0, 11000).map(lambda c: c / 97))


@given(st.lists(comp_st, min_size=2, max_size=15), st.data())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_adding_a_bonus_event_never_lowers_that_units_grade(comps, data):
    codes = [f"U{k}" for k in range(len(comps))]
    events = []
    for code in codes:
        for kind in data.draw(st.lists(st.sampled_from(["bonus", "deduction", "veto", "cap"]), max_size=3)):
            events.append(ev(code, kind, None if kind in ("veto", "cap") else data.draw(st.sampled_from([0.5, 1, 2, 3])),
                             item=str(len(events))))
    who = data.draw(st.sampled_from(codes))
    before = table(dict(zip(codes, comps, strict=True)), events)
    after = table(dict(zip(codes, comps, strict=True)), [*events, ev(who, "bonus", data.draw(st.sampled_from([0.5, 2, 6])),
                                                                     item="新")])
    assert grade_rank(row(after, who)["grade"]) >= grade_rank(row(before, who)["grade"])
    for t in (before, after):
        vetoed = t[t["veto"]]
        assert (vetoed["grade"] == POOR).all()
        scored = t["final"].notna()
        assert (t.loc[scored, "rank_of"] == scored.sum()).all()
