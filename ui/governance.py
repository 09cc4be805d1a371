"""The 数据 page's 管理员 sections: period locks (lock, unlock with a reason) and version rollback
(preview the diff, give a reason, confirm).  Both go through metrics services that check the role
again on the server (:mod:`metrics.period_lock`, :mod:`metrics.rollback`); the sections are only
offered to those who may (a courtesy)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from metrics import period_lock, periods, preview, rollback
from metrics.access import Actor, Forbidden
from metrics.catalog import Catalog
from metrics.messages import ImportRefused
from metrics.store import Store, StoreError
from ui.safe import md
from ui.upload import bullet_list

PLAN = "_rollback_plan"


def locks_section(db: str, store: Store, actor: Actor, t, lang: str) -> None:
    """Locked periods, and forms to lock one and to unlock one with a reason."""
    st.subheader(t("gov.locks"))
    held = period_lock.locks(db)
    if held:
        st.dataframe(pd.DataFrame({t("gov.period"): [periods.label(k.period, lang) for k in held],
                                   t("gov.locked_by"): [k.locked_by for k in held],
                                   t("gov.locked_at"): [f"{k.locked_at:%Y-%m-%d %H:%M}" for k in held],
                                   t("gov.reason"): [k.reason for k in held]}), hide_index=True)
    else:
        st.caption(t("gov.no_locks"))
    if not actor.may("periods.lock"):
        return
    view = store.figures()
    codes = sorted(set(view["period"]) - {k.period for k in held}, key=periods.sort_key, reverse=True)
    left, right = st.columns(2)
    with left.form("lock_period", border=True):
        code = st.selectbox(t("gov.lock_which"), codes, format_func=lambda c: periods.label(c, lang))
        reason = st.text_input(t("gov.reason"), max_chars=200, key="lock_reason")
        if st.form_submit_button(t("gov.lock"), icon=":material/lock:") and code:
            _run(lambda: period_lock.lock(db, actor, code, reason), t("gov.locked", period=periods.label(code, lang)), lang)
    with right.form("unlock_period", border=True):
        code = st.selectbox(t("gov.unlock_which"), [k.period for k in held], format_func=lambda c: periods.label(c, lang),
                            placeholder=t("gov.none_locked"), index=0 if held else None)
        reason = st.text_input(t("gov.unlock_reason"), max_chars=200, key="unlock_reason")
        if st.form_submit_button(t("gov.unlock"), icon=":material/lock_open:") and code:
            _run(lambda: period_lock.unlock(db, actor, code, reason), t("gov.unlocked", period=periods.label(code, lang)),
                 lang)


def _run(action, done: str, lang: str) -> bool:
    try:
        action()
    except (Forbidden, period_lock.LockError, rollback.RollbackError) as exc:
        st.error(md(exc.message(lang)))
        return False
    except ImportRefused as refused:
        st.error(bullet_list([p.render(lang) for p in refused.problems]))
        return False
    st.success(md(done))
    return True


def diff_table(diff: preview.FigureDiff, names: dict[str, str], t, lang: str, key: str) -> None:
    """Changed figures (before → after), rows that disappear, rows that come back."""
    st.caption(t("gov.diff_counts", **diff.counts()))
    rows = [{t("gov.period"): r["period"], t("data.preview.unit"): names.get(r["unit_code"], r["unit_code"]),
             t("data.preview.indicator"): names.get(r["indicator_code"], r["indicator_code"]),
             t("data.preview.field"): preview.FIELD_LABELS[r["field"]][1 if lang == "en" else 0],
             t("data.preview.before"): preview._num(r["before"]), t("data.preview.after"): preview._num(r["after"])}
            for r in diff.changed.to_dict("records")]
    rows += [{t("gov.period"): r["period"], t("data.preview.unit"): names.get(r["unit_code"], r["unit_code"]),
              t("data.preview.indicator"): names.get(r["indicator_code"], r["indicator_code"]),
              t("data.preview.field"): t("gov.row_removed"), t("data.preview.before"): "", t("data.preview.after"): ""}
             for r in diff.removed.to_dict("records")]
    rows += [{t("gov.period"): r["period"], t("data.preview.unit"): names.get(r["unit_code"], r["unit_code"]),
              t("data.preview.indicator"): names.get(r["indicator_code"], r["indicator_code"]),
              t("data.preview.field"): t("gov.row_added"), t("data.preview.before"): "",
              t("data.preview.after"): preview._num(r["actual"])} for r in diff.added.to_dict("records")]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, key=key)


def rollback_section(db: str, root: Path, actor: Actor, t, lang: str) -> None:
    """Pick a version, see what reverting it changes, give a reason, confirm."""
    if not actor.may("versions.rollback"):
        return
    store = Store(root)
    st.subheader(t("gov.rollback"))
    log = store.versions()
    if log.empty:
        return
    choices = log["version"].tolist()[::-1]
    labels = dict(zip(log["version"], log["file_name"], strict=True))
    with st.form("rollback_pick", border=False):
        version = st.selectbox(t("gov.rollback_which"), choices, format_func=lambda v: f"v{v} · {labels[v]}")
        asked = st.form_submit_button(t("gov.rollback_preview"), icon=":material/history:")
    if asked:
        try:
            st.session_state[PLAN] = (int(version), store.latest_version(), rollback.preview_plan(store, int(version)))
        except (rollback.RollbackError, StoreError) as exc:
            st.session_state.pop(PLAN, None)
            st.error(md(exc.message(lang) if hasattr(exc, "message") else str(exc)))
    held = st.session_state.get(PLAN)
    if not held:
        return
    version, seen, plan = held
    loaded = store.catalog()
    names = preview.names_of(Catalog(*loaded)) if loaded else {}
    st.markdown(md(t("gov.rollback_plan", version=version)))
    if plan.diff is not None:
        diff_table(plan.diff, names, t, lang, key="rollback_diff")
    else:
        st.caption(t("gov.rollback_catalog"))
    with st.form("rollback_go", border=True):
        reason = st.text_input(t("gov.reason"), max_chars=200, key="rollback_reason")
        go = st.form_submit_button(t("gov.rollback_confirm"), type="primary", icon=":material/undo:")
    if go:
        if seen != store.latest_version():
            st.session_state.pop(PLAN, None)
            st.warning(t("gov.rollback_moved"))
            return
        result: dict = {}
        if _run(lambda: result.update(new=rollback.rollback(store, db, actor, version, reason)[0]),
                t("gov.rolled_back", version=version), lang):
            st.session_state.pop(PLAN, None)
            st.success(t("gov.new_version", new=result["new"]))
            st.cache_data.clear()
