"""表彰 and 通报批评 (奖励先进、鞭策后进): who each ranking group names, by the scheme's rule.

A periodic bulletin names the first ``commend_top`` and the last ``criticise_bottom`` units of each
group by composite rank; units tied at the boundary are all named (ranks are "1224"), no unit is
named in both lists, and a group with fewer than two ranked units names nobody.  An annual (Q4)
bulletin names the 优秀 and 较差 units of the year's grades when the assessment gives them.
"""

from __future__ import annotations

import pandas as pd

COMMENDED_GRADE = "优秀"
CRITICISED_GRADE = "较差"


def by_rank(ranking: pd.DataFrame, commend_top: int, criticise_bottom: int) -> tuple[list[str], list[str]]:
    """(commended, criticised) unit names of one group's ranking (columns unit_name, rank)."""
    ranked = ranking[ranking["rank"].notna()].copy()
    if len(ranked) < 2:
        return [], []
    ranked["rank"] = ranked["rank"].astype(int)
    ranked = ranked.sort_values(["rank"], kind="stable")
    commended: list[str] = []
    if commend_top > 0:
        cut = ranked["rank"].iloc[min(commend_top, len(ranked)) - 1]
        commended = ranked.loc[ranked["rank"] <= cut, "unit_name"].astype(str).tolist()
    criticised: list[str] = []
    if criticise_bottom > 0:
        tail = ranked[~ranked["unit_name"].astype(str).isin(commended)]
        if len(tail):
            cut = tail["rank"].iloc[max(len(tail) - criticise_bottom, 0)]
            criticised = tail.loc[tail["rank"] >= cut, "unit_name"].astype(str).tolist()
    return commended, criticised


def by_grade(grades: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(commended, criticised) of one group's graded results (columns unit_name, grade, rank)."""
    ordered = grades.sort_values("rank", kind="stable", na_position="last")
    return (ordered.loc[ordered["grade"] == COMMENDED_GRADE, "unit_name"].astype(str).tolist(),
            ordered.loc[ordered["grade"] == CRITICISED_GRADE, "unit_name"].astype(str).tolist())
