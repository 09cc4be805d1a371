"""What the entry file does on every run: language, store status, navigation, shared filters.

``dashboard.py`` calls :func:`setup` and runs the page it returns.  Page files call :func:`page`
first.  Why both: a folder named ``pages/`` beside the entry file makes Streamlit start a fresh
process (and every AppTest run) in its legacy multipage mode, which runs a deep-linked page file
(``/counties?unit=…``) *without* the entry file.  The legacy mode ends as soon as ``st.navigation``
is called, so a page that finds it still on runs the same setup itself; the URL's filters then
apply exactly as they would from the entry file.
"""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from ui import access_nav, cache, filters, layout, presenter
from ui.filters import Filters
from ui.i18n import translator
from ui.safe import md

PAGES = [  # url path, file, icon
    ("overview", "pages/overview.py", ":material/dashboard:"),
    ("counties", "pages/counties.py", ":material/location_city:"),
    ("departments", "pages/departments.py", ":material/account_balance:"),
    ("parks", "pages/parks.py", ":material/factory:"),
    ("indicator", "pages/indicator.py", ":material/query_stats:"),
    ("province", "pages/province.py", ":material/leaderboard:"),
    ("assessment", "pages/assessment.py", ":material/military_tech:"),
    ("bulletin", "pages/bulletin.py", ":material/campaign:"),
    ("ledger", "pages/ledger.py", ":material/assignment_late:"),
    ("tasks", "pages/tasks.py", ":material/checklist:"),
    ("meetings", "pages/meetings.py", ":material/groups:"),
    ("todo", "pages/todo.py", ":material/task_alt:"),
    ("reporting", "pages/reporting.py", ":material/event_available:"),
]


def setup():
    """Draw the sidebar (language, presenter, filters) and return the navigation's current page."""
    st.set_page_config(page_title="云绩效", page_icon=str(cache.STATIC / "favicon.png"), layout="wide")
    lang = filters.language()
    t = translator(lang)
    root = cache.store_root()
    db, actor, login_only = access_nav.gate(root, t)
    if login_only is not None:
        layout.css(False)
        st.session_state["_filters"] = None
        st.session_state["_store"] = {"root": root, "version": 0, "status": {}, "lang": lang, "present": False,
                                      "pins": [], "db": db, "gate": True}
        return login_only
    ver = cache.version(root)
    status = cache.store_status(root, ver)
    ready = status["catalog"] and status["figures"]
    manage = access_nav.manage_pages(t, actor)
    present, pins = filters.presenter(t) if ready else (False, [])
    if ready:
        board = [st.Page(path, title=t(f"page.{name}"), icon=icon, url_path=name, default=name == "overview")
                 for name, path, icon in PAGES]
        nav = st.navigation({t("nav.dashboard"): board, t("nav.manage"): manage},
                            position="hidden" if present else "sidebar", expanded=True)  # never "View 5 more"
    else:
        welcome = st.Page("pages/welcome.py", title=t("page.welcome"), icon=":material/waving_hand:",
                          url_path="welcome", default=True)
        nav = st.navigation([welcome, *manage])
    layout.css(present)
    page_name = nav.url_path or ("overview" if ready else "welcome")
    st.session_state["_filters"] = filters.render(root, ver, lang, page_name, present) if ready else None
    st.session_state["_store"] = {"root": root, "version": ver, "status": status, "lang": lang,
                                  "present": present, "pins": pins, "db": db, "gate": False}
    if not present:
        access_nav.account_box(db, t, lang)
    return nav


def run(nav) -> None:
    """Run the page (or the presenter's slides), showing a failure where the user looks."""
    info = st.session_state["_store"]
    t = translator(info["lang"])
    try:
        if info["present"]:
            presenter.run(st.session_state["_filters"], info["pins"], t)
        else:
            nav.run()
    except Exception as exc:
        logging.getLogger("dashboard").exception("page failed")
        st.error(t("app.error", detail=md(f"{type(exc).__name__}: {exc}")))


def page() -> tuple[Filters, object]:
    """The filters and translator for a dashboard page (runs :func:`setup` if the entry file did not,
    and hands over to the presenter when presenter mode is on)."""
    if PagesManager.uses_pages_directory:
        nav = setup()
        if st.session_state["_store"]["present"] or st.session_state["_store"]["gate"]:
            run(nav)
            st.stop()
    f = st.session_state["_filters"]
    return f, translator(f.lang)


def store_page() -> tuple[dict, object]:
    """The store's status and translator for the data and welcome pages."""
    if PagesManager.uses_pages_directory:
        nav = setup()
        if st.session_state["_store"]["gate"]:
            run(nav)
            st.stop()
    info = st.session_state["_store"]
    return info, translator(info["lang"])
