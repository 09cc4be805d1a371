"""督查台账 — the 挂账销号 ledger: counts, filters (status, unit, leader, overdue, a unit's own view),
the list with exports, an item's history and actions, 挂账 by hand or from a red row, 问题清单 import,
indicator watch and 未挂账红灯."""

import streamlit as st

from ui import app, layout
from ui import supervision_ledger as sv

f, t = app.page()
layout.title(t("sv.ledger_title"), f, t)
if notice := st.session_state.pop("sv_notice", None):
    st.success(notice)
sv.counts(f, t)
frame = sv.filtered(f, t)
sv.listing(frame, f, t)
sv.detail(frame, f, t)
with st.expander(t("sv.new"), expanded=bool(st.query_params.get("red_ind"))):
    sv.new_item_form(f, t)
with st.expander(t("sv.import")):
    sv.import_box(f, t)
sv.watch_section(f, t)
sv.unledgered_section(f, t)
