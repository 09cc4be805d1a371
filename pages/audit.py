"""审计 — the audit trail for a 管理员: who changed what, when, from where, before → after; filtered by
days, account and action, exported through metrics.export (CSV/Excel)."""

import datetime as dt
import json

import pandas as pd
import streamlit as st

from metrics import audit
from metrics.access import Forbidden
from ui import app, identity, layout
from ui.safe import md

info, t = app.store_page()
st.title(t("audit.title"))
st.caption(t("audit.intro"))
actor = identity.current_actor()
db = info["db"]
today = dt.datetime.now(dt.UTC).date()
c1, c2, c3, c4 = st.columns(4)
since = c1.date_input(t("audit.since"), value=today - dt.timedelta(days=30), key="aud_since")
until = c2.date_input(t("audit.until"), value=today, key="aud_until")
who = c3.text_input(t("audit.actor"), max_chars=64, key="aud_actor").strip()
kinds = [t("audit.all"), *sorted({a.split(".")[0] for a in audit.actions(db)} | set(audit.actions(db)))]
action = c4.selectbox(t("audit.action"), kinds, key="aud_action")
try:
    rows = audit.for_reader(db, actor, since=since, until=until, actor=who or None,
                            action=None if action == kinds[0] else action)
except Forbidden as refused:
    st.error(md(refused.message(info["lang"])))
    st.stop()
st.caption(t("audit.count", n=len(rows)))
shown = pd.DataFrame({
    t("audit.col.at"): [a.strftime("%Y-%m-%d %H:%M:%S") for a in rows["at"]],
    t("audit.col.actor"): rows["actor"], t("audit.col.role"): rows["role"], t("audit.col.ip"): rows["ip"].fillna(""),
    t("audit.col.action"): rows["action"],
    t("audit.col.target"): [f"{a}:{b}" if a else b for a, b in zip(rows["target_type"], rows["target_id"], strict=True)],
    t("audit.col.reason"): rows["reason"],
    t("audit.col.summary"): [json.dumps(s, ensure_ascii=False, sort_keys=True, default=str)[:300] for s in rows["summary"]],
})
export = audit.export_frame(rows)
layout.table(shown, export, "audit", "audit", t, limit=1000)
