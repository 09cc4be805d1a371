"""The 通报 page's pieces: whether the bulletin is issued, the preview of its model, generating a
format with a progress bar, and the 签发 button (the role is checked again by metrics.bulletin.issuing).

Everything shown comes from the bulletin's model (metrics.bulletin); text from data is escaped.
"""

from __future__ import annotations

import time
from html import escape

import pandas as pd
import streamlit as st

from metrics import bulletin as documents
from metrics.access import Forbidden
from metrics.bulletin import charts, issuing
from metrics.bulletin.issuing import Issued
from metrics.bulletin.model import Bulletin, Chart, Note, Paragraph, Scope, Table
from metrics.bulletin.numbers import cell_text
from ui import identity
from ui.filters import Filters

FORMAT_LABELS = {"docx": "Word", "pdf": "PDF", "pptx": "PowerPoint", "xlsx": "Excel"}


def record(f: Filters, scope_key: str) -> Issued | None:
    """The issued bulletin of this period and scope (None for a draft)."""
    kind, _, code = scope_key.partition(":")
    return issuing.find(identity.db_url(f.root), f.period, Scope(kind, code or None))


def status(rec: Issued | None, t) -> None:
    if rec is None:
        st.caption(t("bul.draft"))
    else:
        st.success(t("bul.issued", number=rec.mark.label, date=rec.issue_date.isoformat(), user=rec.issued_by,
                     version=rec.store_version), icon=":material/verified:")


def _text(text: str, grey: bool = False) -> None:
    style = ' style="color:#52606D;font-size:0.9rem"' if grey else ""
    st.html(f'<p class="yjx-bulletin"{style}>{escape(text)}</p>')


def _table(table: Table) -> None:
    frame = pd.DataFrame({c.title: [cell_text(r, c) for r in table.rows] for c in table.columns})
    _text(table.title)
    st.dataframe(frame, hide_index=True, width="stretch")


def _chart(chart: Chart, t) -> None:
    width, _ = charts.inches(chart)
    st.image(charts.image(chart, "png"), width=min(int(width * 90), 900))   # about its printed size
    _text(t("bul.chart", title=chart.title) + (f"（{chart.caption}）" if chart.caption else ""), grey=True)


def preview(model: Bulletin, t) -> None:
    """The bulletin as it will print: masthead, number, title, then every section."""
    st.html(f'<div data-testid="yjx-bulletin-head" style="text-align:center">'
            f'<div style="color:#C00000;font-size:1.8rem;font-weight:700">{escape(model.masthead)}</div>'
            f'<div>{escape(model.number_label)}</div>'
            f'<div style="display:flex;justify-content:space-between;border-bottom:3px solid #C00000">'
            f'<span>{escape(model.issuer)}</span><span>{escape(model.date_label)}</span></div>'
            f'<h3>{escape(model.title)}</h3></div>')
    for section in model.sections:
        st.subheader(section.heading, anchor=False)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                _text(block.text)
            elif isinstance(block, Note):
                _text(t("bul.note", text=block.text), grey=True)
            elif isinstance(block, Table):
                _table(block)
            elif isinstance(block, Chart):
                _chart(block, t)
    _text(model.footer, grey=True)


def downloads(model: Bulletin, t, key: str, lang: str) -> None:
    """Choose a format, generate it (progress bar), then download it."""
    row = st.container(horizontal=True, vertical_alignment="bottom")
    fmt = row.segmented_control(t("bul.format"), documents.FORMATS, default="docx", key=f"{key}_fmt", required=True,
                                format_func=FORMAT_LABELS.get)
    made_key = f"{key}_made"
    if row.button(t("bul.make"), icon=":material/description:", key=f"{key}_make"):
        bar = st.progress(0.0)
        started = time.perf_counter()

        def report(done: int, total: int, zh: str, en: str) -> None:
            bar.progress(done / total, text=en if lang == "en" else zh)

        data = documents.render(model, fmt, report)
        bar.empty()
        st.session_state[made_key] = (fmt, f"{model.file_stem()}.{fmt}", data, time.perf_counter() - started,
                                      model.footer)
    made = st.session_state.get(made_key)
    if made and made[0] == fmt and made[4] == model.footer:
        fmt_, name, data, seconds, _ = made
        st.caption(t("bul.made", file=name, size=f"{len(data) / 1024:.0f}", seconds=f"{seconds:.1f}"))
        st.download_button(t("bul.save", fmt=FORMAT_LABELS[fmt_]), data=data, file_name=name,
                           mime=documents.MIME[fmt_], on_click="ignore", icon=":material/download:",
                           type="primary", key=f"{key}_save")


def issue_button(f: Filters, model: Bulletin, rec: Issued | None, t, on_issued) -> None:
    """签发: the server checks the account's role (metrics.bulletin.issuing); a refusal is shown."""
    if rec is not None:
        return
    if st.button(t("bul.issue"), help=t("bul.issue_help"), icon=":material/approval:", key="bul_issue"):
        try:
            done = issuing.issue(identity.db_url(f.root), identity.current_actor(), period=model.period,
                                 scope=model.scope, store_version=model.store_version, title=model.title,
                                 on=model.date)
        except Forbidden as refused:
            st.error(refused.message(f.lang))
        except issuing.AlreadyIssued as already:
            st.warning(already.en if f.lang == "en" else already.zh)
        else:
            st.success(t("bul.issue_done", number=done.mark.label))
            on_issued()
