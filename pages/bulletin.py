"""通报 — the bulletin of the chosen period: scope (city, a group, a county), whether it is issued,
its preview, each format generated with a progress bar and downloaded, and 签发 for a 管理员."""

import streamlit as st

from ui import app, bulletin, cache, layout

f, t = app.page()
layout.title(t("bul.title"), f, t)
scopes = dict(cache.bulletin_scopes(f.root, f.version))
key = st.selectbox(t("bul.scope"), list(scopes), format_func=scopes.get, key="scope", bind="query-params")
rec = bulletin.record(f, key)
mark = (rec.year, rec.number, rec.issue_date, rec.issued_by) if rec else None
model = cache.bulletin(f.root, rec.store_version if rec else f.version, f.period, key, mark)
bulletin.status(rec, t)

st.subheader(t("bul.download"), anchor=False)
bulletin.downloads(model, t, "bul", f.lang)
bulletin.issue_button(f, model, rec, t, on_issued=st.rerun)
st.caption(t("bul.cli"))
st.code(f".venv/bin/python -m metrics bulletin --period {f.period} --scope {key.partition(':')[2] or '全市'} "
        "--format docx", language="bash")

st.subheader(t("bul.preview"), anchor=False)
bulletin.preview(model, t)
