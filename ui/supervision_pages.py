"""Sections of the 任务清单, 调度会 and 待办 pages."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from metrics.commands.meeting import create as create_meeting
from metrics.store import Store
from metrics.supervision import meetings, minutes, tasks
from metrics.supervision.dates import today, urge_label
from ui import identity
from ui import supervision_data as data
from ui import supervision_decide as decide
from ui import supervision_report as report
from ui.supervision_ledger import _run, downloads, table


def task_section(f, t) -> None:
    frame = data.task_list(f.root)
    units = data.unit_names(f.root, f.version)
    shown = pd.DataFrame({"id": frame["id"], "light": frame["light"], "number": frame["number"], "title": frame["title"],
                          "category": frame["category"], "lead": frame["lead_unit"].map(lambda c: units.get(c, c)),
                          "leader": frame["leader"], "next_due": frame["next_due"].map(lambda d: str(d or "")),
                          "next": frame["next_milestone"], "done": frame["milestones_done"].astype(str) + "/" +
                          frame["milestones"].astype(str), "percent": frame["percent"]})
    shown = data.headed(shown, t)
    st.caption(t("sv.count", n=len(shown)))
    st.dataframe(shown, hide_index=True, width="stretch")
    downloads(shown, t, "tasks")
    red = frame[frame["light"] == tasks.RED]
    if len(red):
        pick = st.selectbox(t("sv.hang"), list(red["id"]), format_func=lambda i: red.set_index("id").loc[i, "title"])
        if st.button(t("sv.hang"), key="sv_hang"):
            code = _run(t, tasks.hang_missed, data.db(f.root), identity.current_actor(), int(pick))
            if code:
                st.success(t("sv.opened", code=code))
    report.report_section(frame, f, t)


def meeting_section(f, t) -> None:
    url = data.db(f.root)
    rows = meetings.meetings(url)
    with st.form("sv_meeting"):
        c1, c2, c3 = st.columns(3)
        day = c1.date_input(t("sv.meeting_date"), value=today())
        kind = c2.selectbox(t("sv.meeting_kind"), meetings.KINDS)
        who = c3.text_input(t("sv.attendees"), max_chars=500)
        if st.form_submit_button(t("sv.create"), type="primary"):
            mid = _run(t, create_meeting, Store(f.root), url, identity.current_actor(), kind, day, "",
                       [x for x in who.split("、") if x.strip()])
            if mid:
                st.rerun()
    if not rows:
        return
    mid = st.selectbox(t("page.meetings"), [m["id"] for m in reversed(rows)],
                       format_func=lambda i: next(f"{m['held_on']} {m['title']}" for m in rows if m["id"] == i))
    m = meetings.meeting(url, mid)
    units, inds = data.unit_names(f.root, f.version), data.indicator_names(f.root, f.version)
    st.download_button(t("sv.minutes"), lambda: minutes.render(m, units, inds), f"{m['title']}纪要.docx",
                       key="sv_minutes", on_click="ignore")
    a = m["agenda"]
    for key in meetings.SECTIONS:
        lines = a.get(key, [])
        head = t(f"sv.sec.{key}")
        st.subheader(f"{head}（{len(lines)}）", anchor=False)
        if not lines:
            continue
        frame = pd.DataFrame(lines)
        if "times" in frame:
            frame["times"] = frame["times"].map(meetings.times_label)
        for col in ("unit_code", "responsible_unit", "lead_unit"):
            if col in frame:
                frame[col] = frame[col].map(lambda c: units.get(c, c))
        st.dataframe(data.headed(frame.drop(columns=[c for c in ("ref",) if c in frame]), t), hide_index=True,
                     width="stretch")
    decide.decisions(m, f, t)


def todo_section(f, t) -> None:
    actor = identity.current_actor()
    if actor.role == "anonymous":
        st.info(t("sv.todo.anon"))
        return
    frame = data.items(f.root)
    mine = set(actor.units) if actor.unit_scoped else None
    if mine is not None:
        frame = frame[frame["responsible_unit"].isin(mine) | frame["cooperating"].map(lambda cs: bool(set(cs) & mine))]
    week_ago = today() - dt.timedelta(days=7)
    parts = {"rectify": frame[frame["status"].isin(["挂账", "整改中"])],
             "feedback": frame[frame["feedback_overdue"] | (frame["feedback_due"].map(lambda d: d is not None
                                                                                      and d <= today()))],
             "urged": frame[frame["last_urge"].map(lambda d: d is not None and d >= week_ago)]}
    if actor.may("ledger.manage"):
        parts["accept"] = frame[frame["status"] == "申请销号"]
    for key, part in parts.items():
        head = t(f"sv.todo.{key}")
        st.subheader(f"{head}（{len(part)}）", anchor=False)
        if len(part):
            shown = table(part, f, t)
            if key == "urged":
                shown[t("sv.col.urge")] = part["urge_level"].map(urge_label).to_numpy()
            st.dataframe(shown, hide_index=True, width="stretch")
    if actor.may("ledger.manage"):
        st.subheader(f"{t('sv.todo.unledgered')}（{len(data.unledgered(f.root, f.version))}）", anchor=False)
