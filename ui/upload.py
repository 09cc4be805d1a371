"""The 数据 page's upload box: files saved under a safe name, previewed, then imported on 确认导入;
outcomes shown as text.

Two steps: :func:`preview_uploads` runs each file as a dry run for the signed-in actor (every check
of a real import: role, units, period locks, rows) and keeps the bytes in the session; the page shows
what would change (:func:`show_preview`); :func:`confirm_uploads` imports them, checking the role again
on the server, and re-previews instead when the store moved in between (the diff shown is the diff
committed).

A browser sends whatever name the user's file had (200 Chinese characters, ``../``, ``\\``): the
file is written under ``metrics.text.safe_file_name`` in a temporary folder and imported with its
name as given, which every message shows (escaped: never Markdown); no server path is ever shown.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from metrics.access import Actor, Forbidden, check
from metrics.importer import ImportSummary, import_file
from metrics.messages import ImportRefused
from metrics.store import Store, StoreError
from metrics.text import safe_file_name
from ui.safe import md

__all__ = ["bullet_list", "check", "import_upload", "show_uploads"]


PENDING = "_pending_uploads"



def box_css(t, lang: str) -> str:
    """Streamlit's upload box has its own English ("Upload", "50MB per file"): in Chinese its words
    are hidden and ours drawn in their place (the limit read from the server's maxUploadSize)."""
    if lang == "en":
        return ""
    from streamlit import config

    limit = t("data.box.limit", mb=config.get_option("server.maxUploadSize"))
    css = lambda text: f'font-size: 0.875rem; white-space: normal; content: "{text}";'  # noqa: E731
    box = '[data-testid="stFileUploaderDropzone"]'
    return (f"<style>{box} button [data-testid=\"stMarkdownContainer\"] p {{ font-size: 0; }}"
            f"{box} button [data-testid=\"stMarkdownContainer\"] p::after {{ {css(t('data.box.button'))} }}"
            f"{box} [data-testid=\"stFileUploaderDropzoneInstructions\"] span {{ font-size: 0; white-space: normal; }}"
            f"{box} [data-testid=\"stFileUploaderDropzoneInstructions\"] span::after {{ {css(limit)} }}</style>")

def import_upload(name: str, data: bytes, store: Store, actor: Actor, dry_run: bool = False) -> ImportSummary:
    """Import one uploaded file as ``actor`` (raises ImportRefused / StoreError / Forbidden like import_file;
    an events workbook needs an administrator)."""
    with tempfile.TemporaryDirectory(prefix="metrics-upload-") as tmp:
        path = Path(tmp) / safe_file_name(name)
        path.write_bytes(data)
        return import_file(path, store, user=actor.name, display_name=name, actor=actor, dry_run=dry_run)


def _ordered(files):
    return sorted(files, key=lambda u: "catalog" not in u.name.lower() and "目录" not in u.name)


def _refusal(exc: Exception, root: Path, lang: str, t) -> None:
    if isinstance(exc, Forbidden):
        st.error(md(exc.message(lang)))
    elif isinstance(exc, ImportRefused):
        st.error(t("data.refused") + "\n\n" + bullet_list([p.render(lang) for p in exc.problems]))
    else:
        st.error(md(str(exc).replace(str(root), "…")))


def preview_uploads(files, root: Path, actor: Actor, lang: str, t) -> None:
    """Step one: check each file as a dry run; files that pass wait in the session for 确认导入."""
    store = Store(root)
    pending = []
    for upload in _ordered(files):
        try:
            summary = import_upload(upload.name, upload.getvalue(), store, actor, dry_run=True)
        except (Forbidden, ImportRefused, StoreError) as exc:
            _refusal(exc, root, lang, t)
            continue
        pending.append({"name": upload.name, "data": upload.getvalue(), "summary": summary,
                        "version": store.latest_version()})
    st.session_state[PENDING] = pending


def _diff_tables(summary: ImportSummary, t, lang: str) -> None:
    from metrics import periods
    from metrics.preview import FIELD_LABELS
    from metrics.preview import _num as shown

    diff, names, lang_en = summary.diff, summary.names, lang == "en"
    if diff is None:
        return
    st.caption(t("data.preview.counts", **diff.counts()))
    label = lambda codes: codes.map(lambda c: periods.label(str(c), lang))  # noqa: E731
    if len(diff.changed):
        frame = diff.changed
        st.dataframe({t("gov.period"): label(frame["period"]), t("data.preview.unit"): frame["unit_code"].map(names),
                      t("data.preview.indicator"): frame["indicator_code"].map(names),
                      t("data.preview.field"): frame["field"].map(lambda f: FIELD_LABELS[f][1 if lang_en else 0]),
                      t("data.preview.before"): frame["before"].map(shown),
                      t("data.preview.after"): frame["after"].map(shown),
                      t("data.preview.row"): frame["row"].astype("string")},
                     hide_index=True, key=f"chg_{summary.file}")
    if len(diff.added):
        frame = diff.added
        with st.expander(t("data.preview.added", n=len(frame))):
            st.dataframe({t("gov.period"): label(frame["period"]), t("data.preview.unit"): frame["unit_code"].map(names),
                          t("data.preview.indicator"): frame["indicator_code"].map(names),
                          t("data.preview.target"): frame["target"], t("data.preview.actual"): frame["actual"],
                          t("data.preview.row"): frame["row"].astype("string")}, hide_index=True,
                         key=f"add_{summary.file}")


def show_preview(t, lang: str) -> bool:
    """Step one's result, file by file; True when something waits for 确认导入."""
    pending = st.session_state.get(PENDING) or []
    for item in pending:
        summary = item["summary"]
        st.markdown(f"**{md(summary.file)}**")
        if summary.kind == "catalog":
            st.caption(t("data.preview.catalog", units=summary.units, indicators=summary.indicators))
        elif summary.kind == "events":
            st.caption(t("data.preview.events", rows=summary.rows))
        else:
            _diff_tables(summary, t, lang)
        if summary.warnings:
            with st.expander(t("data.warnings", n=len(summary.warnings))):
                st.markdown(bullet_list([p.render(lang) for p in summary.warnings]))
    return bool(pending)


def confirm_uploads(root: Path, actor: Actor, lang: str, t, authorize: Callable[[], None] | None = None) -> None:
    """Step two: import what was previewed (the role checked again on the server); a file whose store
    moved since its preview is previewed again rather than imported unseen."""
    pending = st.session_state.pop(PENDING, None) or []
    store = Store(root)
    again = []
    for item in pending:
        if item["version"] != store.latest_version():
            st.warning(t("data.preview.moved", file=md(item["name"])))
            try:
                summary = import_upload(item["name"], item["data"], store, actor, dry_run=True)
            except (Forbidden, ImportRefused, StoreError) as exc:
                _refusal(exc, root, lang, t)
                continue
            again.append({**item, "summary": summary, "version": store.latest_version()})
            continue
        try:
            if authorize is not None:
                authorize()
            summary = import_upload(item["name"], item["data"], store, actor)
        except (Forbidden, ImportRefused, StoreError) as exc:
            _refusal(exc, root, lang, t)
            continue
        _outcome(summary, t, lang)
    if again:
        st.session_state[PENDING] = again


def bullet_list(lines: list[str]) -> str:
    """Markdown bullets whose text is shown as written."""
    return "\n".join(f"- {md(line)}" for line in lines)


def show_uploads(files, root: Path, actor: Actor, lang: str, t, authorize: Callable[[], None] | None = None) -> None:
    """Import each uploaded file (catalogs first) and show what happened to it; ``authorize`` checks the
    user's role on the server before each file (raises Forbidden)."""
    store = Store(root)
    for upload in _ordered(files):
        try:
            if authorize is not None:
                authorize()
            summary = import_upload(upload.name, upload.getvalue(), store, actor)
        except (Forbidden, ImportRefused, StoreError) as exc:
            _refusal(exc, root, lang, t)
            continue
        _outcome(summary, t, lang)


def _outcome(summary: ImportSummary, t, lang: str) -> None:
    """What an import did, as text (escaped)."""
    if summary.kind == "events":
        st.success(t("as.imported", file=md(summary.file),
                     **{k: summary.extra[k] for k in ("added", "corrected", "unchanged")}))
    elif summary.version is None:
        st.info(t("data.unchanged", file=md(summary.file)))
    else:
        st.success(t("data.imported", file=md(summary.file), version=summary.version, rows=summary.rows,
                     units=summary.units, indicators=summary.indicators))
    if summary.warnings:
        with st.expander(t("data.warnings", n=len(summary.warnings))):
            st.markdown(bullet_list([p.render(lang) for p in summary.warnings]))
    notes = [p for p in summary.problems if p.level == "note" and p.key in ("no_figure_word", "far_cell_ignored",
                                                                           "header_note_kept")]
    if notes:
        with st.expander(t("data.notes", n=len(notes))):
            st.markdown(bullet_list([p.render(lang) for p in notes]))
    if summary.skipped:
        with st.expander(t("data.skipped")):
            st.markdown(bullet_list([f"{s}{t('p.colon')}{r[1 if lang == 'en' else 0]}" for s, r in summary.skipped]))
