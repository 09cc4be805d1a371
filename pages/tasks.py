"""任务清单 — the key-task list with deadline lights; a missed milestone hung on the ledger in one click."""

import streamlit as st

from ui import app, layout
from ui import supervision_pages as sv

f, t = app.page()
layout.title(t("sv.tasks_title"), f, t)
if notice := st.session_state.pop("sv_notice", None):
    st.success(notice)
sv.task_section(f, t)
