"""The demo sheets, imported as a user would, hold exactly the generator's values."""

import numpy as np
import pandas as pd
from conftest import load_generator

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
    assert (versions["kind"] == "figures").sum() == 44
    warned = versions[versions["warnings"].fillna(0) > 0]
    assert warned["file_name"].tolist() == ["2021Q2_县市区主要指标.xlsx"]
