"""When each figure arrived: the first store version supplying a non-blank actual for it.

A version's received day is the ``--received`` date its import stated (sheets that came on paper or
by mail and were entered later), else the day of its commit time in Asia/Shanghai (a commit at 01:30
on the 6th is the 6th).  No Streamlit.
"""

from __future__ import annotations

import datetime as dt

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


def received_index(store: Store, as_of: int | None = None) -> pd.DataFrame:
    """One row per (date, unit, indicator) ever given an actual: the first version that did, its
    received day and its commit time."""
    last = store.latest_version() if as_of is None else int(as_of)
    seen: set[tuple] = set()
    parts = []
    for v in range(1, last + 1):
        manifest = store.manifest(v)
        if manifest.get("kind") != "figures":
            continue
        facts = store.supplied(v)
        facts = facts[facts["actual"].notna()]
        if facts.empty:
            continue
        keys = list(zip(pd.to_datetime(facts["date"]).dt.date, facts["unit_code"].astype(str),
                        facts["indicator_code"].astype(str), strict=True))
        fresh = [k not in seen for k in keys]
        seen.update(keys)
        new = [k for k, f in zip(keys, fresh, strict=True) if f]
        if not new:
            continue
        part = pd.DataFrame(new, columns=["date", "unit_code", "indicator_code"])
        part["version"] = v
        part["received"] = received_day(manifest)
        part["time"] = local_time(manifest)
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["date", "unit_code", "indicator_code", "version", "received", "time"])
    return pd.concat(parts, ignore_index=True)
