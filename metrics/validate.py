"""Row checks on the tidy table that no single cell can show: wrong unit type, duplicates, bad targets."""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics import periods
from metrics.catalog import UNIT_TYPES_EN, Catalog
from metrics.messages import Problem


def _problem(row: pd.Series, key: str, column: str | None, header: str | None, value: object = None,
             **params: object) -> Problem:
    return Problem("error", key, row["source_file"], row["sheet"] or None, int(row["row"]),
                   row.get(column) if column else None, value, params, header)


def check_rows(frame: pd.DataFrame, catalog: Catalog) -> list[Problem]:
    """Errors in a file's tidy rows (all sheets together), each located at its cell."""
    if frame.empty:
        return []
    ind = catalog.indicators.set_index("code")
    units = catalog.units.set_index("code")
    kind = frame["indicator_code"].map(ind["kind"])
    measure_name = frame["indicator_code"].map(ind["name"])
    problems: list[Problem] = []

    negative = (kind == "amount") & (frame["target"] < 0)
    for _, row in frame[negative].iterrows():
        problems.append(_problem(row, "negative_target", "col_target", "目标值", row["target"],
                                 indicator=measure_name[row.name]))
    on_rate = (kind == "rate") & frame["milestone"].notna()
    for _, row in frame[on_rate].iterrows():
        problems.append(_problem(row, "milestone_on_rate", "col_milestone", "节点目标", row["milestone"],
                                 indicator=measure_name[row.name]))
    not_positive = (kind == "amount") & (frame["milestone"] <= 0)
    for _, row in frame[not_positive].iterrows():
        problems.append(_problem(row, "milestone_not_positive", "col_milestone", "节点目标", row["milestone"]))

    unit_type = frame["unit_code"].map(units["type"])
    pairs = pd.DataFrame({"indicator_code": frame["indicator_code"], "type": unit_type}).drop_duplicates()
    allowed = {(code, t) for code, types in ind["applies_to"].items() for t in types}
    bad_pairs = {(i, t) for i, t in pairs.itertuples(index=False) if (i, t) not in allowed}
    if bad_pairs:
        mask = np.array([(i, t) in bad_pairs for i, t in zip(frame["indicator_code"], unit_type, strict=True)])
        for _, row in frame[mask].iterrows():
            utype = units.at[row["unit_code"], "type"]
            problems.append(_problem(
                row, "type_not_applicable", "col_unit", "单位", units.at[row["unit_code"], "name"],
                indicator=ind.at[row["indicator_code"], "name"], unit=units.at[row["unit_code"], "name"],
                type=(utype, UNIT_TYPES_EN.get(utype, utype)),
                applies="、".join(ind.at[row["indicator_code"], "applies_to"])))

    keys = ["date", "unit_code", "indicator_code"]
    dup = frame.duplicated(keys, keep=False)
    if dup.any():
        first: dict[tuple, pd.Series] = {}
        for _, row in frame[dup].iterrows():
            key = tuple(row[k] for k in keys)
            if key not in first:
                first[key] = row
                continue
            other = first[key]
            where = str(other["row"]) if other["sheet"] == row["sheet"] else f"{other['row']}（{other['sheet']}）"
            problems.append(_problem(row, "duplicate_row", "col_indicator", "指标", None,
                                     unit=units.at[row["unit_code"], "name"], indicator=ind.at[row["indicator_code"], "name"],
                                     period=row["period"], other=where))
    return problems


def period_warnings(frame: pd.DataFrame) -> list[Problem]:
    """A warning at the first row of each period whose year is accepted but unlikely (before 1990, or
    more than two years ahead)."""
    problems: list[Problem] = []
    if frame.empty:
        return problems
    for code, first in frame.groupby("period", sort=True).head(1).set_index("period").iterrows():
        reason = periods.year_warning(str(code))
        if reason is not None:
            problems.append(Problem("warning", "period_year_unusual", first["source_file"], first["sheet"] or None,
                                    int(first["row"]), first.get("col_period"), code, {"reason": reason}))
    return problems
