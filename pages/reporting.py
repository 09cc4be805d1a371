"""报送 — the reporting calendar: for a chosen date, what each unit owed (due by its indicator's
frequency and due day), what arrived on time, late, or not at all; a unit's own view; downloads."""

import streamlit as st

from ui import app, layout, reporting

f, t = app.page()
layout.title(t("rep.title"), f, t)
st.caption(t("rep.intro"))
reporting.page(f, t)
