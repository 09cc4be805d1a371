"""What-if: "if 衡东县 closes its two red indicators, its final becomes …", computed by the engine.

Closing a red indicator means its year-end actual just meets the target as the status rules read it
(attainment 1 for an amount, gap 0 for a rate), so it turns green.  Everything is then computed again
from the figures (other units' ranks on rank-scored indicators move too), and the unit's final score,
rank and grade are read from the new graded table.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.assessment.annual import composites, no_year_end, year_end, year_figures, years_with_result
from metrics.assessment.events import Event
from metrics.assessment.result import graded_table
from metrics.assessment.rules import rules_from
from metrics.compute import Engine
from metrics.periods import end_date
from metrics.scheme import SchemeSource, resolve

SHOWN = ["composite", "bonus", "deduction", "final", "rank", "rank_of", "grade"]


@dataclass
class WhatIf:
    unit_code: str
    unit_name: str
    closed: pd.DataFrame        # the reds closed: indicator_code, indicator_name, measure, target, actual, closing
    before: dict                # the unit's row of the graded table as things are
    after: dict                 # … with those indicators closed

    @property
    def changed(self) -> bool:
        return not self.closed.empty


def closing_actual(row: pd.Series) -> float:
    """The actual at which an indicator just meets its target at this period (turns green)."""
    if row["kind"] == "rate":
        return float(row["target"])
    return float(row["target"]) * float(row["expected_progress"])  # amount: attainment 1, either direction


def close_reds(units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame, events: list[Event],
               year: int, unit_code: str, scheme: SchemeSource = None) -> WhatIf:
    """The unit's result now and with every red indicator at YYYYQ4 closed."""
    if int(year) not in years_with_result(figures):
        raise no_year_end(year)
    period = year_end(year)
    figs = year_figures(figures, year)
    rows = Engine(units, indicators, figs, scheme).indicator_table(period, provenance=False)
    red = rows[(rows["unit_code"].astype(str) == unit_code) & (rows["status"].astype(str) == "red")]
    measure = dict(zip(indicators["code"].astype(str), indicators["measure"].astype(str), strict=True))
    closed = pd.DataFrame({"indicator_code": red["indicator_code"].astype(str).tolist(),
                           "indicator_name": red["indicator_name"].astype(str).tolist(),
                           "measure": [measure.get(str(c), "") for c in red["indicator_code"]],
                           "target": red["target"].astype(float).tolist(),
                           "actual": red["actual"].astype(float).tolist(),
                           "closing": [closing_actual(r) for _, r in red.iterrows()]})
    rules = rules_from(resolve(scheme, int(year)))
    before = graded_table(units, composites(units, indicators, figs, year, scheme), events, rules, year)
    after = before
    if len(closed):
        changed = figs.copy()
        day = pd.Timestamp(end_date(period))
        dates = pd.to_datetime(changed["date"])
        for code, value in zip(closed["indicator_code"], closed["closing"], strict=True):
            at = (dates == day) & (changed["unit_code"] == unit_code) & (changed["indicator_code"] == code)
            changed.loc[at, "actual"] = value
        after = graded_table(units, composites(units, indicators, changed, year, scheme), events, rules, year)
    pick = lambda t: t[t["unit_code"] == unit_code].iloc[0][SHOWN].to_dict()  # noqa: E731
    name = units.loc[units["code"] == unit_code, "name"]
    return WhatIf(unit_code, str(name.iloc[0]) if len(name) else unit_code, closed, pick(before), pick(after))
