"""What the supervision pages read, cached per store version and database change (a write bumps a
counter in session state, so the lists are fresh after every action)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from metrics.store import Store
from metrics.supervision import agenda, meetings, queries, tasks, watch
from metrics.supervision.dates import today
from metrics.supervision.settings import names, settings
from ui import identity

COUNTER = "_sv_writes"


def db(root: str) -> str:
    return identity.db_url(root)


def bump() -> None:
    st.session_state[COUNTER] = st.session_state.get(COUNTER, 0) + 1


HEADERS = ("code", "status", "overdue", "unit", "indicator", "period", "problem", "responsible", "leader", "deadline",
           "feedback_due", "urge", "percent", "id", "light", "number", "title", "category", "lead", "next_due", "next",
           "done", "unit_code", "responsible_unit", "lead_unit", "times", "task_id", "missed", "unit_name",
           "indicator_name", "actual", "target", "attainment", "gap_pp", "seq", "text", "item", "task", "actor", "on",
           "kind", "to", "files", "latest_period", "latest_actual", "latest_status", "ranks", "streak", "can_close",
           "figure", "figure_status", "group", "rank")


def headed(frame: pd.DataFrame, t) -> pd.DataFrame:
    """Column headers in the page's language (``sv.col.<name>``); a column not in HEADERS keeps its name."""
    return frame.rename(columns={c: t(f"sv.col.{c}") for c in frame.columns if c in HEADERS})


def _n() -> int:
    return st.session_state.get(COUNTER, 0)


@st.cache_data(max_entries=4, show_spinner=False)
def _names(root: str, ver: int) -> tuple[dict, dict]:
    return names(Store(root))


def unit_names(root: str, ver: int) -> dict[str, str]:
    return _names(root, ver)[0]


def indicator_names(root: str, ver: int) -> dict[str, str]:
    return _names(root, ver)[1]


@st.cache_data(max_entries=8, show_spinner=False, ttl=60)
def _items(url: str, on: dt.date, every: int, n: int) -> pd.DataFrame:
    return queries.items(url, on=on, every_days=every)


def items(root: str) -> pd.DataFrame:
    return _items(db(root), today(), settings()["feedback_every_days"], _n())


@st.cache_data(max_entries=8, show_spinner=False, ttl=60)
def _tasks(url: str, on: dt.date, warn: int, n: int) -> pd.DataFrame:
    return tasks.tasks(url, on=on, warn_days=warn)


def task_list(root: str) -> pd.DataFrame:
    return _tasks(db(root), today(), settings()["warn_days"], _n())


@st.cache_resource(max_entries=2, show_spinner=False)
def _latest(root: str, ver: int) -> pd.DataFrame:
    """Read-only, kept as the object: at province scale the latest periods are ~600k rows, which
    cache_data would pickle once and unpickle on every rerun of the overview."""
    from ui import cache

    return watch.latest_rows(cache.engine(root, ver), cache.engine(root, ver).fig.frame)


def latest_rows(root: str, ver: int) -> pd.DataFrame:
    return _latest(root, ver)


@st.cache_data(max_entries=16, show_spinner=False)
def pair_row(root: str, ver: int, unit: str, indicator: str, period: str) -> pd.DataFrame:
    from ui import cache

    return watch.pair_row(cache.engine(root, ver), unit, indicator, period)


@st.cache_data(max_entries=4, show_spinner=False, ttl=60)
def _unledgered(root: str, ver: int, url: str, on: dt.date, n: int) -> pd.DataFrame:
    from ui import cache

    return watch.unledgered_reds(_latest(root, ver), items(root), cache.engine(root, ver).fig.frame,
                                 meetings.explained_reds(url))


def unledgered(root: str, ver: int) -> pd.DataFrame:
    """未挂账红灯, once per store version, day and database change (the counts and the list share it)."""
    return _unledgered(root, ver, db(root), today(), _n())


@st.cache_resource(max_entries=2, show_spinner=False, ttl=60)
def _watch(root: str, ver: int, url: str, on: dt.date, n: int, close_after: int) -> pd.DataFrame:
    from ui import cache

    return watch.watch(items(root), cache.engine(root, ver), cache.engine(root, ver).fig.frame, close_after)


def watch_frame(root: str, ver: int) -> pd.DataFrame:
    return _watch(root, ver, db(root), today(), _n(), settings()["close_after_green"])


def figure_sections(root: str, on: dt.date) -> agenda.FigureSections:
    url = db(root)
    return agenda.figure_sections(Store(root), on, queries.items(url, on=on), meetings.explained_reds(url))
