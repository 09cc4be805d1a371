"""The 调度会 page's decision form: during the meeting a decision is recorded as a new ledger item
(pre-filled from an agenda row), a task change (deadline / lead unit) or a plain note — through
:func:`metrics.supervision.meetings.decide`, which checks the role on the server."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from metrics.supervision import ledger, meetings
from metrics.supervision.dates import today
from metrics.supervision.sheetdates import split_requirement
from ui import identity
from ui import supervision_data as data
from ui.supervision_ledger import _run

ROW_SECTIONS = ("behind", "unledgered", "carried", "overdue_items", "overdue_tasks", "applying")
KINDS = ("item", "task", "note")


def _label(sec: str, line: dict, units: dict, inds: dict, t) -> str:
    unit = line.get("unit_name") or units.get(line.get("unit_code") or line.get("lead_unit") or "", "")
    what = (line.get("indicator_name") or inds.get(line.get("indicator_code") or "", "") or line.get("problem")
            or line.get("title") or "")
    head = t(f"sv.sec.{sec}")
    return f"{head}｜{line.get('code') or ''}{unit}｜{what}｜{line.get('period') or ''}"


def _problem(line: dict, inds: dict) -> str:
    if line.get("problem"):
        return str(line["problem"])
    if line.get("indicator_code"):
        name = line.get("indicator_name") or inds.get(line["indicator_code"], line["indicator_code"])
        state = "亮红灯" if line.get("status") == "red" else "落后序时进度"
        return f"{name}{line.get('period') or ''}{state}"
    return str(line.get("title") or "")


def decisions(m: dict, f, t) -> None:
    """The decisions already recorded, then the form (for those who run meetings)."""
    st.subheader(f"{t('sv.decisions')}（{len(m['decisions'])}）", anchor=False)
    if m["decisions"]:
        shown = pd.DataFrame([{"seq": d["seq"], "text": d["text"], "item": d["code"] or "",
                               "task": "" if d["task_id"] is None else str(d["task_id"]), "actor": d["actor"]}
                              for d in m["decisions"]])
        st.dataframe(data.headed(shown, t), hide_index=True, width="stretch")
    actor = identity.current_actor()
    if not actor.may("meetings.manage"):
        return
    units, inds = data.unit_names(f.root, f.version), data.indicator_names(f.root, f.version)
    rows = [(sec, line) for sec in ROW_SECTIONS for line in m["agenda"].get(sec, [])]
    kind = st.radio(t("sv.decision"), KINDS, format_func=lambda k: t(f"sv.decision.{k}"), horizontal=True,
                    key="sv_dec_kind")
    pick = st.selectbox(t("sv.decision_from"), range(len(rows) + 1), key="sv_dec_row",
                        format_func=lambda i: _label(*rows[i - 1], units, inds, t) if i else "—")
    line = rows[pick - 1][1] if pick else {}
    codes = list(units)
    with st.form(f"sv_decide_{m['id']}", clear_on_submit=True):
        problem = _problem(line, inds)
        text = st.text_area(t("sv.decision_text"), value=problem, max_chars=4000)
        item, task_id, deadline, lead = None, None, None, None
        if kind == "item":
            unit_code = line.get("unit_code") or line.get("responsible_unit") or line.get("lead_unit")
            at = codes.index(unit_code) if unit_code in codes else 0
            c1, c2, c3 = st.columns(3)
            unit = c1.selectbox(t("sv.responsible"), codes, index=at, format_func=units.get)
            leader = c2.text_input(t("sv.leader"), value=line.get("leader") or "", max_chars=64)
            due = c3.date_input(t("sv.deadline"), value=today() + dt.timedelta(days=30))
            reqs = st.text_area(t("sv.reqs"), max_chars=4000)
        elif kind == "task":
            frame = data.task_list(f.root)
            ids = [int(i) for i in frame["id"]]
            titles = dict(zip(ids, frame["title"], strict=True))
            at = ids.index(line["task_id"]) if line.get("task_id") in ids else 0
            c1, c2, c3 = st.columns(3)
            task_id = c1.selectbox(t("sv.task"), ids, index=at, format_func=titles.get) if ids else None
            move = c2.checkbox(t("sv.change_deadline"))
            deadline = c2.date_input(t("sv.new_deadline"), value=today() + dt.timedelta(days=30))
            deadline = deadline if move else None
            lead = c3.selectbox(t("sv.new_lead"), [""] + codes, format_func=lambda c: units.get(c, "—"))
        if st.form_submit_button(t("sv.decision_submit"), type="primary"):
            if kind == "item":
                item = ledger.ItemInput(
                    source="会议", unit_code=line.get("unit_code") or unit, responsible_unit=unit, problem=problem
                    if not text.strip() else text.strip(), leader=leader, deadline=due,
                    indicator_code=line.get("indicator_code"), period=line.get("period"),
                    requirements=[split_requirement(x, due.year) for x in reqs.splitlines() if x.strip()]
                    or [(text.strip() or problem, due)])
            out = _run(t, lambda: meetings.decide(data.db(f.root), actor, m["id"], text, item=item, task_id=task_id,
                                                  deadline=deadline, lead_unit=lead or None) or "")
            if out is not None:
                st.session_state["sv_notice"] = t("sv.opened", code=out) if out else t("sv.decided")
                st.rerun()
