"""数据 — what the store holds (every version: kind, file, user, time, rows), an upload box that
previews a sheet (what would change) and imports it on 确认导入, the long template to fill in, and for a
管理员 the period locks and version rollback."""

import dataclasses

import streamlit as st

from metrics.store import Store
from ui import access_nav, app, cache, governance, identity, layout, tables, upload, verification

info, t = app.store_page()
root, ver = info["root"], info["version"]
st.title(t("data.title"))
header = st.empty()   # the version line: filled again after an import, so it never shows the old version
if st.session_state.get("_filters"):
    layout.freshness(st.session_state["_filters"], t, into=header)
if ver and info["status"]["catalog"]:
    units, indicators = cache.catalog(root, ver)
    st.caption(t("data.catalog", units=len(units), indicators=len(indicators)))

st.subheader(t("data.upload"))
actor = identity.current_actor()
files, submitted = None, False
if actor.may("figures.upload") or actor.may("catalog.manage"):
    st.caption(t("data.as", name=actor.display_name or actor.name,
                 role=access_nav.role_labels(info["db"], info["lang"]).get(actor.role, actor.role)))
    st.html(upload.box_css(t, info["lang"]))
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader(t("data.upload"), type=["xlsx", "xls", "csv"], accept_multiple_files=True,
                                 help=t("data.upload_help"), label_visibility="collapsed")
        submitted = st.form_submit_button(t("data.preview_button"), type="primary", icon=":material/preview:")
else:
    st.info(t("data.no_upload"))
if st.session_state.get("upl_confirm"):       # step two, before the preview is drawn again
    upload.confirm_uploads(root, identity.current_actor(), info["lang"], t)
    st.cache_data.clear()
    if st.session_state.get("_filters"):
        layout.freshness(dataclasses.replace(st.session_state["_filters"], version=cache.version(root)), t, into=header)
elif st.session_state.get("upl_cancel"):
    st.session_state.pop(upload.PENDING, None)
    st.info(t("data.cancelled"))
if submitted and files:
    upload.preview_uploads(files, root, actor, info["lang"], t)
if st.session_state.get(upload.PENDING):
    st.markdown("##### " + t("data.preview.title"))
    upload.show_preview(t, info["lang"])
    go, stop, _ = st.columns([1, 1, 4])
    go.button(t("data.confirm"), type="primary", icon=":material/check:", key="upl_confirm")
    stop.button(t("data.cancel"), key="upl_cancel")

st.subheader(t("data.template"))
st.caption(t("data.template_help"))
st.download_button(t("data.template_download"), data=tables.long_template(info["lang"]), file_name="长表模板.xlsx",
                   icon=":material/download:", on_click="ignore",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
st.caption(t("data.cli"))
st.code(".venv/bin/python -m metrics import 文件.xlsx --user 姓名", language="bash")

if actor.may("periods.lock") or actor.may("versions.rollback"):
    governance.locks_section(info["db"], Store(root), actor, t, info["lang"])
    governance.rollback_section(info["db"], root, actor, t, info["lang"])

st.subheader(t("data.versions"))
ver_now = cache.version(root)
log = tables.versions_table(cache.versions_table(root, ver_now), t, info["lang"])
layout.table(log, log, "versions", "versions", t)
verification.show(root, ver_now, info["lang"], t)
