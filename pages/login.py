"""登录 — account name and password (and single sign-on when configured)."""

import streamlit as st

from ui import app, signin

info, t = app.store_page()
st.title(t("login.title"))
st.caption(t("login.help"))
left, _ = st.columns([2, 3])
with left:
    signin.login_form(info["db"], t, info["lang"])
