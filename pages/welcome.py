"""开始 — shown while the store is empty: what to import and how."""

import streamlit as st

from ui import app

info, t = app.store_page()
st.title(t("welcome.title"))
status = info["status"]
if status["catalog"]:
    st.info(t("welcome.no_figures"))
else:
    st.info(t("welcome.empty", root=info["root"]))
st.markdown(t("welcome.steps"))
st.code("bash scripts/start.sh\n\n# 或 / or:\n.venv/bin/python -m metrics import data/demo/catalog.xlsx\n"
        ".venv/bin/python -m metrics import data/demo/*.xlsx data/demo/*.xls data/demo/*.csv\n"
        ".venv/bin/streamlit run server.py", language="bash")
st.markdown(t("welcome.or_upload"))
st.page_link("pages/data.py", label=t("page.data"), icon=":material/upload_file:")
