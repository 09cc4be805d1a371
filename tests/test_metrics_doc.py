"""docs/metrics.md is checked: its worked example is recomputed cell by cell, and every scheme key and
output column it must explain is in it."""

from __future__ import annotations

import io
import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

from metrics import periods as per
from metrics.compute import INDICATOR_COLUMNS, PROVENANCE_COLUMNS, UNIT_COLUMNS, compute, round_half_up
from metrics.scheme import Scheme, feature_sections, load_scheme

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"```csv example:(?P<name>[\w-]+)\n(?P<body>.*?)```", re.S)


def blocks() -> dict[str, pd.DataFrame]:
    found = {m["name"]: pd.read_csv(io.StringIO(m["body"]), dtype=str, keep_default_na=False)
             for m in BLOCK.finditer(DOC)}
    assert {"units", "indicators", "figures", "indicator-results", "unit-results"} <= found.keys()
    return found


def example():
    b = blocks()
    units = b["units"].assign(parent="", aliases=[[] for _ in range(len(b["units"]))])
    inds = b["indicators"].copy()
    inds["weight"] = inds["weight"].astype(float)
    inds["band"] = pd.to_numeric(inds["band"].replace("", np.nan))
    inds["applies_to"] = [["县市区"] for _ in range(len(inds))]
    f = b["figures"].rename(columns={"unit": "unit_code", "indicator": "indicator_code"})
    for col in ("target", "milestone", "actual"):
        f[col] = pd.to_numeric(f[col].replace("", np.nan))
    f["date"] = pd.to_datetime([per.end_date(p) for p in f["period"]])
    return units, inds, f, b


def agrees(doc_value: str, value: object) -> bool:
    """An empty doc cell means an empty value; a number means the value rounded to 4 decimals."""
    empty = value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
    if doc_value == "" or empty:
        return doc_value == "" and empty
    if isinstance(value, str):
        return value == doc_value
    return float(round_half_up(np.array([float(value)]), 4)[0]) == float(doc_value)


def test_worked_example_indicator_results_match_the_engine():
    units, inds, f, b = example()
    table = compute(units, inds, f, ["2021Q3"], Scheme()).indicators
    want = b["indicator-results"]
    assert len(table) == len(want)
    for row in want.to_dict("records"):
        got = table[(table["unit_code"] == row["unit"]) & (table["indicator_code"] == row["indicator"])].iloc[0]
        for col, doc_value in row.items():
            if col in ("unit", "indicator"):
                continue
            value = got[col]
            value = str(value) if col == "status" else value
            assert agrees(doc_value, value), (row["unit"], row["indicator"], col, doc_value, value)


def test_worked_example_unit_results_match_the_engine():
    units, inds, f, b = example()
    table = compute(units, inds, f, ["2021Q3"], Scheme()).units.set_index("unit_code")
    for row in b["unit-results"].to_dict("records"):
        got = table.loc[row["unit"]]
        for col, doc_value in row.items():
            if col != "unit":
                assert agrees(doc_value, got[col]), (row["unit"], col, doc_value, got[col])


def test_worked_example_prose_numbers():
    """The composites written out in the text are the engine's, rounded to 2 decimals."""
    units, inds, f, _ = example()
    table = compute(units, inds, f, ["2021Q3", "2021Q2"], Scheme()).units
    for period, unit in (("2021Q3", "Z1"), ("2021Q3", "Z2"), ("2021Q3", "Z3"), ("2021Q2", "Z2"), ("2021Q2", "Z1"),
                         ("2021Q2", "Z3")):
        value = table[(table["period"] == period) & (table["unit_code"] == unit)]["composite"].iloc[0]
        assert f"{round_half_up(np.array([value]), 2)[0]:.2f}" in DOC, (period, unit, value)


def test_every_scheme_key_and_column_is_documented():
    data = tomllib.loads((ROOT / "schemes" / "default.toml").read_text(encoding="utf-8"))
    for section, body in data.items():
        for key, value in body.items():
            if isinstance(value, dict):
                continue
            assert f"`{section}.{key}`" in DOC, f"{section}.{key} is not in docs/metrics.md"
    defaults = {name: spec.DEFAULTS for name, spec in feature_sections().items()}   # features' own tables
    loaded = load_scheme(None, ROOT / "schemes")
    assert loaded == Scheme(sources=loaded.sources, settings=defaults)
    assert ", ".join(INDICATOR_COLUMNS) in " ".join(DOC.split())
    assert ", ".join(UNIT_COLUMNS) in " ".join(DOC.split())
    assert ", ".join(PROVENANCE_COLUMNS) in " ".join(DOC.split())
