"""When each figure arrived: the first store version supplying a non-blank actual for it.

A version's received day is the ``--received`` date its import stated (sheets that came on paper or
by mail and were entered later), else the day of its commit time in Asia/Shanghai (a commit at 01:30
on the 6th is the 6th).  No Streamlit.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from metrics.store import Store

SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")   # no daylight saving in China


def today() -> dt.date:
    """Today in Asia/Shanghai."""
    return dt.datetime.now(SHANGHAI).date()


def received_day(manifest: dict) -> dt.date:
    """The day a version counts as received."""
    stated = manifest.get("received")
    if stated:
        return dt.date.fromisoformat(str(stated)[:10])
    return dt.datetime.fromisoformat(str(manifest["time"])).astimezone(SHANGHAI).date()


def local_time(manifest: dict) -> str:
    """The commit time in Asia/Shanghai, as a person reads it (2022-01-05 09:12)."""
    return dt.datetime.fromisoformat(str(manifest["time"])).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def received_index(store: Store, as_of: int | None = None, dates=None) -> pd.DataFrame:
    """One row per (date, unit, indicator) ever given an actual (or, with ``dates``, of those period
    ends only: a calendar needs a few periods, and only their rows are read): the first version that
    did, its received day and its commit time.  Vectorised (a province holds millions of keys): the versions'
    supplied keys are stacked oldest first with categorical codes and the first of each kept; the
    received day and time are categoricals of the few versions."""
    last = store.latest_version() if as_of is None else int(as_of)
    parts, days, times = [], {}, {}
    for v in range(1, last + 1):
        manifest = store.manifest(v)
        if manifest.get("kind") != "figures":
            continue
        facts = store.supplied(v, dates=dates)
        facts = facts[facts["actual"].notna()]
        if facts.empty:
            continue
        parts.append(pd.DataFrame({"date": pd.to_datetime(facts["date"]).to_numpy("datetime64[ns]"),
                                   "unit_code": facts["unit_code"].astype("category"),
                                   "indicator_code": facts["indicator_code"].astype("category"),
                                   "version": np.full(len(facts), v, dtype="int64")}))
        days[v], times[v] = received_day(manifest), local_time(manifest)
    if not parts:
        return pd.DataFrame(columns=["date", "unit_code", "indicator_code", "version", "received", "time"])
    for col in ("unit_code", "indicator_code"):
        cats = pd.api.types.union_categoricals([p[col] for p in parts]).categories
        for p in parts:
            p[col] = p[col].cat.set_categories(cats)
    out = pd.concat(parts, ignore_index=True)
    del parts
    out = out.drop_duplicates(["date", "unit_code", "indicator_code"], keep="first").reset_index(drop=True)
    out["received"] = out["version"].map(days).astype("category")
    out["time"] = out["version"].map(times).astype("category")
    return out
