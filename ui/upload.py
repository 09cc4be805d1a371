"""The 数据 page's upload box: files saved under a safe name, imported, outcomes shown as text.

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


def import_upload(name: str, data: bytes, store: Store, actor: Actor) -> ImportSummary:
    """Import one uploaded file as ``actor`` (raises ImportRefused / StoreError / Forbidden like import_file;
    an events workbook needs an administrator)."""
    with tempfile.TemporaryDirectory(prefix="metrics-upload-") as tmp:
        path = Path(tmp) / safe_file_name(name)
        path.write_bytes(data)
        return import_file(path, store, user=actor.name, display_name=name, actor=actor)


def bullet_list(lines: list[str]) -> str:
    """Markdown bullets whose text is shown as written."""
    return "\n".join(f"- {md(line)}" for line in lines)


def show_uploads(files, root: Path, actor: Actor, lang: str, t, authorize: Callable[[], None] | None = None) -> None:
    """Import each uploaded file (catalogs first) and show what happened to it; ``authorize`` checks the
    user's role on the server before each file (raises Forbidden)."""
    store = Store(root)
    for upload in sorted(files, key=lambda u: "catalog" not in u.name.lower() and "目录" not in u.name):
        try:
            if authorize is not None:
                authorize()
            summary = import_upload(upload.name, upload.getvalue(), store, actor)
        except Forbidden as refused:
            st.error(md(refused.message(lang)))
            continue
        except ImportRefused as refused:
            st.error(t("data.refused") + "\n\n" + bullet_list([p.render(lang) for p in refused.problems]))
            continue
        except StoreError as exc:
            st.error(md(str(exc).replace(str(root), "…")))
            continue
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
