"""The demo sheets, imported as a user would, hold exactly the generator's values."""

import numpy as np
import pandas as pd
from conftest import DEMO, load_generator

from metrics import periods


def test_every_demo_figure_round_trips(demo_store):
    expected = load_generator().build().figures.copy()
    expected["date"] = pd.to_datetime(expected["period"].map(periods.end_date))
    stored = demo_store.figures()
    stored["date"] = pd.to_datetime(stored["date"])
    keys = ["date", "unit_code", "indicator_code"]
    assert not expected.duplicated(keys).any()
    merged = expected.merge(stored, on=keys, how="outer", suffixes=("_gen", "_store"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()
    for field in ("target", "milestone", "actual"):
        a, b = merged[f"{field}_gen"].to_numpy(float), merged[f"{field}_store"].to_numpy(float)
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        assert same.all(), merged.loc[~same, [*keys, f"{field}_gen", f"{field}_store"]].head()
    assert len(stored) == len(expected) > 20000


def test_demo_catalog_round_trips(demo_store):
    data = load_generator().build()
    units, indicators = demo_store.catalog()
    assert sorted(units["code"]) == sorted(data.units["code"])
    got = indicators.set_index("code")
    for row in data.indicators.itertuples(index=False):
        assert got.at[row.code, "name"] == row.name
        assert got.at[row.code, "measure"] == row.measure


def test_demo_import_has_the_planted_rank_warning_only(demo_store):
    versions = demo_store.versions()
    assert versions["kind"].iloc[0] == "catalog"
    # one version per sheet, but a quarter's 旬 workbook arrives one 旬 at a time (9 versions)
    sheets = [p for p in DEMO.iterdir() if p.suffix in (".xlsx", ".xls", ".csv") and p.name != "catalog.xlsx"]
    dekad_books = [p for p in sheets if p.name.endswith("_旬报指标.xlsx")]
    assert (versions["kind"] == "figures").sum() == len(sheets) - len(dekad_books) + 9 * len(dekad_books) == 114
    warned = versions[versions["warnings"].fillna(0) > 0]
    assert warned["file_name"].tolist() == ["2021Q2_县市区主要指标.xlsx"]


def test_the_year_end_has_its_planted_cases(demo_store):
    """2021Q4 is the latest period: 2021 has a year's result, some units did not report, 衡东县 two reds."""
    from metrics.compute import Engine

    gen = load_generator()
    units, indicators = demo_store.catalog()
    rows = Engine(units, indicators, demo_store.figures()).indicator_table("2021Q4", provenance=False)
    red = rows[(rows["unit_code"] == gen.TWO_REDS["unit"]) & (rows["status"] == "red")]
    assert sorted(red["indicator_code"].astype(str)) == sorted(gen.TWO_REDS["red"])
    missing = rows[rows["status"] == "missing"]
    assert {(m["unit"], m["indicator"]) for m in gen.MISSING if m["period"] in ("2021Q4", "2021-12-D3")} == set(
        zip(missing["unit_code"].astype(str), missing["indicator_code"].astype(str), strict=True))
