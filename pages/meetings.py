"""调度会 — create a meeting (agenda generated as of its date), read an agenda with 第N次调度, minutes .docx."""

import streamlit as st

from ui import app, layout
from ui import supervision_pages as sv

f, t = app.page()
layout.title(t("sv.meetings_title"), f, t)
if notice := st.session_state.pop("sv_notice", None):
    st.success(notice)
sv.meeting_section(f, t)
