"""The figure sections of a dispatch meeting's agenda, as of the meeting date: reds and behind
序时进度 by group, and 未挂账红灯.  Figures are those of the latest store version committed by that
day; the version is returned so the stored agenda says which data it was computed from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from metrics.compute import Engine
from metrics.supervision import watch
from metrics.supervision.dates import CITY_TZ

ROW_KEYS = ["period", "unit_code", "unit_name", "group", "indicator_code", "indicator_name", "status", "actual",
            "target", "gap_pp", "attainment"]


@dataclass
class FigureSections:
    store_version: int = 0
    behind: list[dict] = field(default_factory=list)
    unledgered: list[dict] = field(default_factory=list)


def version_as_of(store, on: dt.date) -> int:
    """The latest version committed on or before ``on`` (city calendar), 0 when none."""
    log = store.versions()
    if log.empty:
        return 0
    times = pd.to_datetime(log["time"], utc=True, format="ISO8601").dt.tz_convert(CITY_TZ).dt.date
    eligible = log["version"][times <= on]
    return int(eligible.max()) if len(eligible) else 0


def _records(frame: pd.DataFrame) -> list[dict]:
    cols = [c for c in ROW_KEYS if c in frame.columns]
    out = []
    for rec in frame[cols].to_dict("records"):
        out.append({k: (None if (isinstance(v, float) and v != v) or v is pd.NA else
                        (float(v) if isinstance(v, int | float) and k not in ("period",) else str(v)))
                    for k, v in rec.items()})
    return out


def figure_sections(store, on: dt.date, items: pd.DataFrame, explained: set[tuple[str, str, str]],
                    version: int | None = None) -> FigureSections:
    """Reds/yellows of each indicator's latest period ended by ``on`` and the 未挂账红灯 among them."""
    ver = version_as_of(store, on) if version is None else version
    if ver == 0:
        return FigureSections()
    loaded = store.catalog(ver)
    if loaded is None:
        return FigureSections(store_version=ver)
    figures = watch.figures_as_of(store.figures(ver), on)
    if figures.empty:
        return FigureSections(store_version=ver)
    engine = Engine(loaded[0], loaded[1], figures)
    latest = watch.latest_rows(engine, figures)
    return FigureSections(store_version=ver, behind=_records(watch.behind_rows(latest)),
                          unledgered=_records(watch.unledgered_reds(latest, items, figures, explained)))
