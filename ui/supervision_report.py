"""The 任务清单 page's progress report: a 填报员 of the lead unit (or a 督查员) reports text, percent,
a milestone done and evidence files through :func:`metrics.supervision.tasks.report` (role and unit
checked on the server); the picked task's reports are listed below."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.store import Store
from metrics.supervision import tasks
from metrics.supervision.settings import max_evidence_bytes, settings
from ui import identity
from ui import supervision_data as data
from ui.supervision_ledger import _run


def mine(frame: pd.DataFrame, actor) -> pd.DataFrame:
    """The tasks this account may report on: all for a 督查员, the lead unit's for a 填报员."""
    if actor.may("tasks.manage"):
        return frame
    if not actor.may("tasks.report"):
        return frame.iloc[0:0]
    return frame[[actor.may("tasks.report", u) for u in frame["lead_unit"]]]


def report_section(frame: pd.DataFrame, f, t) -> None:
    actor = identity.current_actor()
    own = mine(frame, actor)
    if own.empty:
        return
    st.subheader(t("sv.task_report"), anchor=False)
    titles = dict(zip(own["id"].astype(int), own["title"], strict=True))
    tid = st.selectbox(t("sv.task"), list(titles), format_func=titles.get, key="sv_report_task")
    d = tasks.task_detail(data.db(f.root), int(tid))
    open_ms = {m["seq"]: f"{m['text']}（{m['due_text'] or m['due'] or ''}）" for m in d["milestones"] if not m["done"]}
    mb = settings()["evidence_max_mb"]
    with st.form("sv_report", clear_on_submit=True):
        text = st.text_area(t("sv.report_text"), max_chars=4000)
        c1, c2, c3 = st.columns([1, 2, 1])
        percent = c1.number_input(t("sv.percent"), 0, 100, value=None)
        ms = c2.selectbox(t("sv.milestone_done"), [None, *open_ms], format_func=lambda s: open_ms.get(s, "—"))
        whole = c3.checkbox(t("sv.task_done"))
        files = st.file_uploader(t("sv.files", mb=mb), accept_multiple_files=True)
        if st.form_submit_button(t("sv.report_submit"), type="primary"):
            ok = _run(t, lambda: tasks.report(data.db(f.root), actor, int(tid), text, percent, ms, whole,
                                              files=[(u.name, u) for u in files or []], store_root=Store(f.root).root,
                                              max_bytes=max_evidence_bytes()) or True)
            if ok:
                st.session_state["sv_notice"] = t("sv.reported", title=titles[tid])
                st.rerun()
    if d["reports"]:
        shown = pd.DataFrame([{"on": str(r["on"]), "actor": r["actor"], "text": r["text"], "percent": r["percent"],
                               "files": "、".join(r["files"])} for r in d["reports"]])
        st.dataframe(data.headed(shown, t), hide_index=True, width="stretch")
