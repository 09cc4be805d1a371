"""Who is looking: the signed-in person as an :class:`metrics.access.Actor`, and the store's database.

Every page that writes passes :func:`current_actor` to a metrics service, which checks the role
again on the server; hiding a button is only a courtesy.  Sign-in (accounts, sessions) sets
``st.session_state["actor"]``; without it the visitor is anonymous and may only read.
"""

from __future__ import annotations

import streamlit as st

from metrics.access import Actor
from metrics.db import database_url

ACTOR_KEY = "actor"


@st.cache_resource(show_spinner=False)
def db_url(root: str) -> str:
    """The database beside the store (or ``$METRICS_DB``), its schema brought up to date once."""
    from metrics.db import upgrade

    url = database_url(root)
    upgrade(url)
    return url


def client_ip() -> str | None:
    try:
        return st.context.ip_address
    except AttributeError:  # pragma: no cover - older Streamlit
        return None


def current_actor() -> Actor:
    """The signed-in account, or the anonymous reader."""
    actor = st.session_state.get(ACTOR_KEY)
    return actor if isinstance(actor, Actor) else Actor.anonymous()
