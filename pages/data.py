"""数据 — what the store holds (every version: kind, file, user, time, rows), an upload box that
imports a sheet, and the long template to fill in."""

import tempfile
from pathlib import Path

import streamlit as st

from metrics.access import Forbidden, check
from metrics.importer import import_file
from metrics.messages import ImportRefused
from metrics.store import Store, StoreError
from ui import access_nav, app, cache, identity, layout, tables

info, t = app.store_page()
root, ver = info["root"], info["version"]
st.title(t("data.title"))
if st.session_state.get("_filters"):
    layout.freshness(st.session_state["_filters"], t)
if ver and info["status"]["catalog"]:
    units, indicators = cache.catalog(root, ver)
    st.caption(t("data.catalog", units=len(units), indicators=len(indicators)))

st.subheader(t("data.upload"))
actor = identity.current_actor()
files, submitted = None, False
if actor.may("figures.upload") or actor.may("catalog.manage"):
    st.caption(t("data.as", name=actor.display_name or actor.name,
                 role=access_nav.role_labels(info["db"], info["lang"]).get(actor.role, actor.role)))
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader(t("data.upload"), type=["xlsx", "xls", "csv"], accept_multiple_files=True,
                                 help=t("data.upload_help"), label_visibility="collapsed")
        submitted = st.form_submit_button(t("data.import"), type="primary", icon=":material/upload:")
else:
    st.info(t("data.no_upload"))
if submitted and files:
    store = Store(root)
    for upload in sorted(files, key=lambda u: "catalog" not in u.name.lower() and "目录" not in u.name):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            try:
                check(identity.current_actor(), "figures.upload")
                summary = import_file(path, store, user=actor.name, display_name=upload.name)
            except Forbidden as refused:
                st.error(refused.message(info["lang"]))
                continue
            except ImportRefused as refused:
                st.error(t("data.refused") + "\n\n" + "\n".join(f"- {p.render(info['lang'])}" for p in refused.problems))
                continue
            except StoreError as exc:
                st.error(str(exc))
                continue
        if summary.version is None:
            st.info(t("data.unchanged", file=summary.file))
        else:
            st.success(t("data.imported", file=summary.file, version=summary.version, rows=summary.rows,
                         units=summary.units, indicators=summary.indicators))
        if summary.warnings:
            with st.expander(t("data.warnings", n=len(summary.warnings))):
                st.markdown("\n".join(f"- {p.render(info['lang'])}" for p in summary.warnings))
        if summary.skipped:
            with st.expander(t("data.skipped")):
                st.markdown("\n".join(f"- {s}{t('p.colon')}{r[1 if info['lang'] == 'en' else 0]}" for s, r in summary.skipped))
    st.cache_data.clear()

st.subheader(t("data.template"))
st.caption(t("data.template_help"))
st.download_button(t("data.template_download"), data=tables.long_template(info["lang"]), file_name="长表模板.xlsx",
                   icon=":material/download:", on_click="ignore",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
st.caption(t("data.cli"))
st.code(".venv/bin/python -m metrics import 文件.xlsx --user 姓名", language="bash")

st.subheader(t("data.versions"))
ver_now = cache.version(root)
log = tables.versions_table(cache.versions_table(root, ver_now), t)
layout.table(log, log, "versions", "versions", t)
