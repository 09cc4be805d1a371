"""The sign-in page, the account box in the sidebar, and the two small scripts that move the cookie.

The password is checked on the server (:func:`metrics.signin.login`); the page only collects it.
After a sign-in, one run posts the one-time handoff code to ``/account/session`` (served by
``server.py``), which answers with the HttpOnly cookie; signing out revokes the session on the
server first and then asks ``/account/logout`` to drop the cookie.
"""

from __future__ import annotations

import re

import streamlit as st

from metrics import signin
from ui import identity

_CODE = re.compile(r"^[A-Za-z0-9_-]{20,128}$")


def _post(path: str, body: str = "") -> None:
    """A same-origin POST from the page (constant script; the body is a server-made url-safe code)."""
    if body and not _CODE.match(body):
        return
    st.html(f"<script>fetch('{path}', {{method: 'POST', credentials: 'same-origin', body: '{body}'}});</script>",
            unsafe_allow_javascript=True)


def hand_over_cookie() -> None:
    """Run once after a sign-in: trade the handoff code for the session cookie."""
    code = st.session_state.pop(identity.HANDOFF_KEY, None)
    if code:
        with st.sidebar:
            _post("/account/session", code)


def login_form(url: str, t, lang: str) -> None:
    """Account name and password; a refusal says why without telling whether the account exists."""
    notice = st.session_state.get(identity.NOTICE_KEY)
    if notice:
        st.error(notice[1 if lang == "en" else 0])
    with st.form("login", border=True):
        name = st.text_input(t("login.name"), max_chars=64, autocomplete="username")
        password = st.text_input(t("login.password"), type="password", max_chars=256, autocomplete="current-password")
        submitted = st.form_submit_button(t("login.submit"), type="primary", use_container_width=True)
    if submitted:
        try:
            opened, actor = signin.login(url, name, password, ip=identity.client_ip())
        except signin.LoginFailed as failed:
            st.error(failed.message(lang))
            return
        identity.signed_in(opened, actor)
        st.rerun()
    if identity.sso_configured():
        st.divider()
        if st.button(t("login.sso"), icon=":material/badge:", use_container_width=True):
            st.login()


def account_box(url: str, t, role_label: str) -> None:
    """The signed-in person and a sign-out button, in the sidebar."""
    actor = identity.current_actor()
    sb = st.sidebar
    if actor.role == "anonymous":
        return
    sb.caption(t("login.as", name=actor.display_name or actor.name, role=role_label))
    if sb.button(t("login.logout"), icon=":material/logout:", key="logout"):
        sid = st.session_state.get(identity.SESSION_KEY)
        if sid is not None:
            signin.logout(url, sid, actor)
        identity.signed_out()
        _post("/account/logout")
        if identity.sso_configured() and identity._sso_email() is not None:
            st.logout()
        st.rerun()
