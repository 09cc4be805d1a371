"""Who is looking: the signed-in person as an :class:`metrics.access.Actor`, and the store's database.

Every page that writes passes :func:`current_actor` to a metrics service, which checks the role
again on the server; hiding a button is only a courtesy.  :func:`resolve` runs once per script run
(from ``ui.app.setup``): it finds the session this browser tab signed in with, else the session its
cookie names (a reload), else a single sign-on identity, and stores the actor in
``st.session_state["actor"]``; without any the visitor is anonymous and may only read (and only when
the site allows it).
"""

from __future__ import annotations

import streamlit as st

from metrics import sessions, signin
from metrics.access import Actor
from metrics.db import database_url

ACTOR_KEY = "actor"
SESSION_KEY = "_login_session"      # the session row this tab signed in with (server memory only)
HANDOFF_KEY = "_login_handoff"      # a one-time code the page still has to trade for the cookie
REJECTED_KEY = "_login_rejected"    # a cookie or identity already found wanting in this tab
NOTICE_KEY = "_login_notice"        # a refusal to show on the sign-in page (zh, en)


@st.cache_resource(show_spinner=False)
def db_url(root: str) -> str:
    """The database beside the store (or ``$METRICS_DB``), its schema brought up to date once."""
    from metrics.db import upgrade

    url = database_url(root)
    upgrade(url)
    return url


def client_ip() -> str | None:
    try:
        ip = st.context.ip_address
    except AttributeError:  # pragma: no cover - older Streamlit
        return None
    return ip if isinstance(ip, str) else None  # AppTest has no client


def current_actor() -> Actor:
    """The signed-in account, or the anonymous reader."""
    actor = st.session_state.get(ACTOR_KEY)
    return actor if isinstance(actor, Actor) else Actor.anonymous()


def _cookie() -> str | None:
    try:
        value = st.context.cookies.get(sessions.COOKIE_NAME)
    except (AttributeError, RuntimeError):  # pragma: no cover - no browser context
        return None
    return value if isinstance(value, str) else None  # AppTest has no client


def sso_configured() -> bool:
    """True when ``[auth]`` in .streamlit/secrets.toml configures Streamlit's own OIDC sign-in."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, AttributeError, RuntimeError):
        return False
    except Exception:  # noqa: BLE001 - Streamlit raises its own error for a missing or bad secrets file
        return False


def _sso_email() -> str | None:
    try:
        if st.user.is_logged_in:
            return str(st.user.get("email") or "")
    except (AttributeError, KeyError):
        return None
    return None


def resolve(url: str) -> Actor:
    """The actor of this run, stored in the session state (see the module docstring)."""
    ip = client_ip()
    actor = None
    sid = st.session_state.get(SESSION_KEY)
    if sid is not None:
        actor = sessions.actor_for_session(url, sid, ip)
        if actor is None:            # logged out elsewhere, expired, disabled
            st.session_state.pop(SESSION_KEY, None)
    if actor is None:
        cookie = _cookie()
        if cookie and st.session_state.get(REJECTED_KEY) != cookie:
            found = sessions.actor_for_cookie(url, cookie, ip)
            if found is None:
                st.session_state[REJECTED_KEY] = cookie
            else:
                st.session_state[SESSION_KEY], actor = found
    if actor is None and sso_configured():
        email = _sso_email()
        if email is not None and st.session_state.get(REJECTED_KEY) != f"sso:{email}":
            try:
                opened, actor = signin.login_identity(url, email, ip)
                st.session_state[SESSION_KEY] = opened.id
            except signin.LoginFailed as failed:
                st.session_state[REJECTED_KEY] = f"sso:{email}"
                st.session_state[NOTICE_KEY] = (failed.zh, failed.en)
    st.session_state[ACTOR_KEY] = actor or Actor.anonymous()
    return st.session_state[ACTOR_KEY]


def signed_in(opened: sessions.Opened, actor: Actor) -> None:
    """Remember a fresh sign-in for this tab; the next run hands the cookie over."""
    st.session_state[SESSION_KEY] = opened.id
    st.session_state[HANDOFF_KEY] = opened.handoff
    st.session_state[ACTOR_KEY] = actor
    st.session_state.pop(NOTICE_KEY, None)


def signed_out() -> None:
    for key in (SESSION_KEY, HANDOFF_KEY, ACTOR_KEY):
        st.session_state.pop(key, None)
    cookie = _cookie()
    if cookie:
        st.session_state[REJECTED_KEY] = cookie
