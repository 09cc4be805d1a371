"""The year's result from the store and the database: composites at ``YYYYQ4`` (the engine), the events
in force, the scheme of that year, as of any store version or moment.

"As of version N" reads the catalog and figures of version N and the events as they stood while N was
the latest version (until version N+1 was committed; now, when N is the latest).  "As of a moment"
reads the latest version committed by then and the events as they stood then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from metrics.assessment.events import Event
from metrics.assessment.result import graded_table
from metrics.assessment.rules import rules_from
from metrics.compute import Engine
from metrics.scheme import SchemeSource, resolve
from metrics.store import Store


class NoResult(LookupError):
    """No result can be given (no Q4 figures for the year, no catalog); worded for the user."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


@dataclass
class AnnualResult:
    year: int
    period: str                      # YYYYQ4: the composites' period
    table: pd.DataFrame              # see result.graded_table
    version: int                     # store version the figures were read at
    events_at: dt.datetime | None    # the moment the events were read at (None: now)
    events: list[Event] = field(default_factory=list)


def year_end(year: int) -> str:
    return f"{int(year)}Q4"


def years_with_result(figures: pd.DataFrame) -> list[int]:
    """Years whose last day (31 December) has at least one actual figure, oldest first."""
    if figures.empty:
        return []
    dates = pd.to_datetime(figures.loc[figures["actual"].notna(), "date"])
    ends = dates[(dates.dt.month == 12) & (dates.dt.day == 31)]
    return sorted({int(y) for y in ends.dt.year})


def no_year_end(year: int) -> NoResult:
    return NoResult(f"{year} 年还没有第四季度（年末，{year}-12-31）的数据，年度考核结果要等全年数据导入后才能得出",
                    f"{year} has no fourth-quarter (year-end, {year}-12-31) figures yet: the annual result needs "
                    "the whole year's figures")


def year_figures(figures: pd.DataFrame, year: int) -> pd.DataFrame:
    """The figures dated within the year (targets carry forward within a year only)."""
    dates = pd.to_datetime(figures["date"])
    return figures[dates.dt.year == int(year)]


def composites(units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame, year: int,
               scheme: SchemeSource = None) -> dict[str, float]:
    """Unit code -> composite at YYYYQ4 (NaN when it has none), by the engine."""
    engine = Engine(units, indicators, year_figures(figures, year), scheme)
    table = engine.unit_table(year_end(year))
    return dict(zip(table["unit_code"].astype(str), table["composite"].astype(float), strict=True))


def compute(units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame, events: list[Event], year: int,
            scheme: SchemeSource = None) -> pd.DataFrame:
    """The graded table of a year (NoResult when the year has no year-end figures)."""
    if int(year) not in years_with_result(figures):
        raise no_year_end(year)
    comp = composites(units, indicators, figures, year, scheme)
    return graded_table(units, comp, events, rules_from(resolve(scheme, int(year))), year)


def version_at(store: Store, at: dt.datetime) -> int:
    """The latest version committed at or before a moment (0 when none)."""
    log = store.versions()
    if log.empty:
        return 0
    times = pd.to_datetime(log["time"], utc=True)
    done = log.loc[times <= _utc(at), "version"]
    return int(done.max()) if len(done) else 0


def _utc(moment: object) -> pd.Timestamp:
    stamp = pd.Timestamp(moment)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def events_moment(store: Store, version: int | None) -> dt.datetime | None:
    """Until when the events count for "as of version N": the commit of N+1 (None: now)."""
    if version is None or version >= store.latest_version():
        return None
    return (_utc(store.manifest(version + 1)["time"]) - pd.Timedelta(microseconds=1)).to_pydatetime()


def annual_result(store: Store, db_url: str, year: int, *, as_of_version: int | None = None,
                  at: dt.datetime | None = None, scheme: SchemeSource = None) -> AnnualResult:
    """The result of a year as of the latest data, a store version, or a moment (see the module)."""
    from metrics.assessment.service import events_as_of

    if at is not None:
        version, events_at = version_at(store, at), at
    else:
        version = store.latest_version() if as_of_version is None else int(as_of_version)
        events_at = events_moment(store, as_of_version)
    catalog = store.catalog(version) if version else None
    if catalog is None:
        raise NoResult("还没有导入目录（单位、指标），无法得出考核结果", "no catalog yet: no result can be given")
    units, indicators = catalog
    figures = store.figures(version)
    events = events_as_of(db_url, events_at, year)
    table = compute(units, indicators, figures, events, year, scheme)
    return AnnualResult(year=int(year), period=year_end(year), table=table, version=version, events_at=events_at,
                        events=events)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last moment of a calendar day in Asia/Shanghai, as UTC (dates are Shanghai days)."""
    from zoneinfo import ZoneInfo

    local = dt.datetime.combine(day, dt.time.max).replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    return local.astimezone(dt.UTC)

