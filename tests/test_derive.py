"""Derived measures: 同比, city totals, 短板 and year-end projections, on hand-computed cases."""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics import derive
from metrics.compute import indicator_table
from metrics.scheme import Scheme
from tests.test_compute import NAN, figs, ind, inds, units

S = Scheme()
U = units(("A", "县市区", "城区"), ("B", "县市区", "城区"), ("C", "县市区", "县市"), ("T", "乡镇", "乡镇"))


def row(frame: pd.DataFrame, unit: str, indicator: str, period: str | None = None) -> pd.Series:
    hit = frame[(frame["unit_code"] == unit) & (frame["indicator_code"] == indicator)]
    if period is not None:
        hit = hit[hit["period"] == period]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def test_same_period_last_year():
    assert derive.same_period_last_year("2021Q3") == "2020Q3"
    assert derive.same_period_last_year("2021-02") == "2020-02"
    assert derive.same_period_last_year("2021-09-D2") == "2020-09-D2"
    assert derive.same_period_last_year("2021-W37") == "2020-W37"
    assert derive.same_period_last_year("2020-W53") is None          # 2019 has 52 ISO weeks
    assert derive.same_period_last_year("2021-W52") == "2020-W52"
    assert derive.last_period_of_year("2021-09-D2", 2020) == "2020-12-D3"
    assert derive.last_period_of_year("2021-W10", 2020) == "2020-W53"


def test_yoy_amounts_and_rates():
    i = inds(ind("INV"), ind("GDP", kind="rate"), ind("W", frequency="week"))
    f = figs(("2020Q3", "A", "INV", 100, NAN, 100), ("2021Q3", "A", "INV", 200, NAN, 110),
             ("2020Q3", "B", "INV", 100, NAN, 0), ("2021Q3", "B", "INV", 200, NAN, 50),
             ("2021Q3", "C", "INV", 200, NAN, 50),
             ("2020Q3", "A", "GDP", 8, NAN, 6.0), ("2021Q3", "A", "GDP", 8, NAN, 7.5),
             ("2020-W37", "A", "W", 10, NAN, 4), ("2021-W37", "A", "W", 10, NAN, 5))
    t = indicator_table(U, i, f, ["2021Q3", "2021-W37"], S)
    y = derive.yoy(t, f)
    assert y.index.equals(t.index)
    a = row(y, "A", "INV")
    assert (a["last_year_period"], a["last_year_actual"], a["yoy"], a["yoy_unit"]) == ("2020Q3", 100.0, 110 / 100 - 1, "ratio")
    assert np.isnan(row(y, "B", "INV")["yoy"])             # last year 0: no ratio
    assert np.isnan(row(y, "C", "INV")["yoy"])             # no last year
    g = row(y, "A", "GDP")
    assert (g["yoy"], g["yoy_unit"]) == (7.5 - 6.0, "pp")
    assert row(y, "A", "W")["yoy"] == 5 / 4 - 1             # same ISO week last year


def test_city_totals_only_county_units_and_additive_amounts():
    i = inds(ind("INV", applies=("县市区", "乡镇")), ind("GDP", kind="rate"), ind("PRICE", additive=False))
    f = figs(("2021Q3", "A", "INV", 100, NAN, 80), ("2021Q3", "B", "INV", 200, NAN, 150),
             ("2021Q3", "C", "INV", 50, NAN, NAN), ("2021Q3", "T", "INV", 999, NAN, 999),
             ("2021Q3", "A", "GDP", 8, NAN, 7), ("2021Q3", "A", "PRICE", 5, NAN, 4))
    t = indicator_table(U, i, f, "2021Q3", S)
    c = derive.city_totals(t, i).set_index("indicator_code")
    inv = c.loc["INV"]
    assert (inv["target"], inv["actual"], inv["units"], inv["reported"], inv["with_target"]) == (350.0, 230.0, 3, 2, 3)
    assert inv["completion"] == 230 / 350 and bool(inv["additive"]) and not bool(inv["complete"])
    assert not bool(c.loc["GDP", "additive"]) and np.isnan(c.loc["GDP", "actual"])
    assert not bool(c.loc["PRICE", "additive"]) and np.isnan(c.loc["PRICE", "target"])


def test_shortfalls_red_or_bottom_third():
    i = inds(ind("G", kind="rate"), ind("INV"))
    u = units(*[(f"U{k}", "县市区", "城区") for k in range(6)])
    f = figs(*[("2021Q3", f"U{k}", "G", 1.0, NAN, float(10 - k)) for k in range(6)],
             ("2021Q3", "U0", "INV", 100, NAN, 10), ("2021Q3", "U1", "INV", 100, NAN, 80))
    t = indicator_table(u, i, f, "2021Q3", S)
    s = derive.shortfalls(t)
    got = {(r.unit_code, r.indicator_code): r.reason for r in s.itertuples()}
    # G ranks 1..6 of 6: bottom third is rank > 4 (U4, U5); all green.  INV: U0 red, rank_of 2.
    assert got == {("U4", "G"): "bottom", ("U5", "G"): "bottom", ("U0", "INV"): "red"}


def test_shortfalls_ties_and_small_groups():
    i = inds(ind("G", kind="rate"))
    u = units(*[(f"U{k}", "县市区", "城区") for k in range(4)], ("V0", "县市区", "县市"), ("V1", "县市区", "县市"))
    f = figs(("2021Q3", "U0", "G", 1, NAN, 9), ("2021Q3", "U1", "G", 1, NAN, 8), ("2021Q3", "U2", "G", 1, NAN, 8),
             ("2021Q3", "U3", "G", 1, NAN, 7), ("2021Q3", "V0", "G", 1, NAN, 5), ("2021Q3", "V1", "G", 1, NAN, 4))
    s = derive.shortfalls(indicator_table(u, i, f, "2021Q3", S))
    assert set(s["unit_code"]) == {"U3"}     # ranks 1,2,2,4: 4 > 8/3; a group of two has no bottom third


def test_projections_seasonal_pace_and_will_meet():
    i = inds(ind("INV"), ind("NRG", direction="lower"), ind("GDP", kind="rate"))
    f = figs(("2020Q3", "A", "INV", 100, NAN, 60), ("2020Q4", "A", "INV", 100, NAN, 100),
             ("2021Q3", "A", "INV", 200, NAN, 150),       # seasonal: 150 * 100 / 60 = 250 >= 200
             ("2021Q3", "B", "INV", 200, NAN, 140),       # pace: 140 / 0.75 = 186.67 < 200
             ("2020Q3", "C", "INV", 100, NAN, 0), ("2020Q4", "C", "INV", 100, NAN, 80),
             ("2021Q3", "C", "INV", NAN, NAN, 30),        # last year's same is 0: pace; no target
             ("2021Q3", "A", "NRG", 100, NAN, 70),        # lower: pace 93.3 <= 100 meets
             ("2021Q3", "A", "GDP", 8, NAN, 9))
    t = indicator_table(U, i, f, "2021Q3", S)
    p = derive.projections(t, f)
    a = row(p, "A", "INV")
    assert (a["method"], a["projection"], bool(a["will_meet"])) == ("seasonal", 150 * 100 / 60, True)
    assert (a["last_year_same"], a["last_year_end"], a["pace_projection"]) == (60.0, 100.0, 150 / 0.75)
    b = row(p, "B", "INV")
    assert (b["method"], b["projection"], bool(b["will_meet"])) == ("pace", 140 / 0.75, False)
    c = row(p, "C", "INV")
    assert c["method"] == "pace" and c["projection"] == 30 / 0.75 and pd.isna(c["will_meet"])
    n = row(p, "A", "NRG")
    assert (n["projection"], bool(n["will_meet"])) == (70 / 0.75, True)
    g = row(p, "A", "GDP")
    assert np.isnan(g["projection"]) and pd.isna(g["will_meet"]) and pd.isna(g["method"])


def test_projection_uses_milestone_progress_and_last_dekad_of_year():
    i = inds(ind("DK", frequency="dekad"))
    f = figs(("2020-09-D2", "A", "DK", 100, NAN, 50), ("2020-12-D3", "A", "DK", 100, NAN, 100),
             ("2021-09-D2", "A", "DK", 100, NAN, 60), ("2021-09-D2", "B", "DK", 100, 50, 40))
    t = indicator_table(U, i, f, "2021-09-D2", S)
    p = derive.projections(t, f)
    assert row(p, "A", "DK")["projection"] == 60 * 100 / 50
    b = row(p, "B", "DK")
    assert b["expected_progress"] == 0.5 and b["projection"] == 40 / 0.5 and not bool(b["will_meet"])
