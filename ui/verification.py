"""The 数据 page's line on the store's last self-check (what `python -m metrics verify` wrote)."""

from __future__ import annotations

import streamlit as st

from metrics.stored.verify import Finding, last_result
from ui.safe import md


def show(root: str, latest: int, lang: str, t) -> None:
    """The last verification's outcome: intact, or each damaged version and file (as text)."""
    st.subheader(t("verify.title"))
    result = last_result(root)
    if result is None:
        st.caption(md(t("verify.never")))
        st.code(".venv/bin/python -m metrics verify", language="bash")
        return
    time = str(result.get("time", "")).replace("T", " ")[:19]
    if result.get("ok"):
        st.success(md(t("verify.ok", time=time, versions=result.get("versions", 0), files=result.get("files", 0),
                        checkpoints=result.get("checkpoints", 0))), icon=":material/verified:")
    else:
        findings = [Finding(**f) for f in result.get("findings", [])]
        lines = "\n".join(f"- {md(f.render(lang))}" for f in findings)
        st.error(md(t("verify.bad", time=time, n=len(findings))) + "\n\n" + lines, icon=":material/error:")
    newer = int(latest) - int(result.get("latest", 0))
    if newer > 0:
        st.caption(md(t("verify.stale", n=newer)))
