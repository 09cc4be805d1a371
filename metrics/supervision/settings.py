"""The scheme's ``[supervision]`` values for a year, and catalog names for codes (CLI, pages, minutes)."""

from __future__ import annotations

from typing import Any

from metrics.scheme import load_scheme
from metrics.supervision.dates import today


def settings(year: int | None = None) -> dict[str, Any]:
    return dict(load_scheme(year or today().year).section("supervision"))


def max_evidence_bytes(year: int | None = None) -> int:
    return int(settings(year)["evidence_max_mb"]) << 20


def names(store) -> tuple[dict[str, str], dict[str, str]]:
    """(unit code → name, indicator code → name) of the store's catalog; empty without one."""
    loaded = store.catalog()
    if loaded is None:
        return {}, {}
    units, indicators = loaded
    return (dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True)),
            dict(zip(indicators["code"].astype(str), indicators["name"].astype(str), strict=True)))
