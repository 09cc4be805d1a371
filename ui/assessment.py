"""The 考核结果 page's sections: graded tables (grade as color and word), a unit's result, events and
what-if, and the administrator's event forms.  Numbers come from metrics.assessment; text from data is
shown as text (dataframes, escaped HTML), never as Markdown."""

from __future__ import annotations

import datetime as dt
import html
import re
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd
import streamlit as st

from metrics.access import Actor, Forbidden
from metrics.assessment import service
from metrics.assessment import views as av
from metrics.assessment.events import KIND_WORDS, KINDS, Event, EventRejected, kind_word, points_of
from metrics.assessment.result import number_text
from metrics.messages import ImportRefused
from metrics.store import Store
from ui import fmt, layout
from ui.identity import db_url

GRADE_CSS = {"优秀": "background-color: #2E7D32; color: white", "良好": "background-color: #1565C0; color: white",
             "一般": "background-color: #F9A825; color: #1F2933", "较差": "background-color: #C62828; color: white"}
_MD = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def plain(text: object) -> str:
    """Text from data made inert for Streamlit's Markdown (headers, captions, alerts)."""
    return _MD.sub(r"\\\1", str(text))


def note(text: str, testid: str = "yjx-note") -> None:
    st.html(f'<div class="yjx-fresh" style="font-size:1rem;color:#1F2933;margin:0.2rem 0 0.8rem 0" '
            f'data-testid="{testid}">{html.escape(text)}</div>')


GRADE_KEYS = {"优秀": "as.grade.excellent", "良好": "as.grade.good", "一般": "as.grade.fair", "较差": "as.grade.poor"}


def grade_text(t, grade: str | None) -> str:
    return t(GRADE_KEYS[grade]) if grade in GRADE_KEYS else t("as.grade.none")


def _num(value: object) -> float | None:
    return None if fmt.blank(value) else float(value)


def group_frames(rows: pd.DataFrame, t, lang: str) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """(screen, download, css of the grade column) of one group's graded rows."""
    recs = rows.to_dict("records")
    show = pd.DataFrame({  # the grade beside the unit: on a phone the right of a table is off screen
        t("as.col.rank"): [fmt.rank(r["rank"], r["rank_of"]) for r in recs],
        t("as.col.unit"): [r["unit_name"] for r in recs],
        t("as.col.grade"): [grade_text(t, r["grade"]) for r in recs],
        t("as.col.final"): [fmt.score(r["final"]) if not fmt.blank(r["final"]) else "—" for r in recs],
        t("as.col.composite"): [fmt.score(r["composite"]) if not fmt.blank(r["composite"]) else "—" for r in recs],
        t("as.col.bonus"): [av.points_text(r["bonus"], r["bonus_raw"]) for r in recs],
        t("as.col.deduction"): [av.points_text(r["deduction"], r["deduction_raw"]) for r in recs],
        t("as.col.next"): [av.distance_text(r, lang) for r in recs],
        t("as.col.flags"): [av.flags_text(r, lang) for r in recs],
    })
    export = pd.DataFrame({
        t("as.col.rank"): [None if fmt.blank(r["rank"]) else int(r["rank"]) for r in recs],
        t("as.col.unit"): [r["unit_name"] for r in recs],
        t("as.col.grade"): [r["grade"] or "" for r in recs],
        t("as.col.final"): [_num(r["final"]) for r in recs],
        t("as.col.composite"): [_num(r["composite"]) for r in recs],
        t("as.col.bonus"): [r["bonus"] for r in recs],
        t("as.col.deduction"): [r["deduction"] for r in recs],
        t("as.col.next"): show[t("as.col.next")],
        t("as.col.flags"): show[t("as.col.flags")],
        t("as.col.events"): [r["events"] for r in recs],
    })
    return show, export, [GRADE_CSS.get(r["grade"], "") for r in recs]


def group_table(group: av.GroupTable, t, lang: str, name: str, key: str) -> None:
    show, export, css = group_frames(group.rows, t, lang)
    layout.table(show, export, name, key, t, cell_css={t("as.col.grade"): css})


def events_table(events: list[Event], names: dict[str, str], t, lang: str, key: str, name: str,
                 withdrawn: bool = False) -> None:
    frame = av.events_frame(events, names)
    if frame.empty:
        st.info(t("as.no_events"))
        return
    recs = frame.to_dict("records")
    show = pd.DataFrame({
        t("as.col.id"): frame["id"], t("as.col.unit"): frame["unit_name"],
        t("as.col.kind"): [kind_word(k, lang) for k in frame["kind"]], t("as.col.item"): frame["item"],
        t("as.col.points"): ["" if fmt.blank(p) else number_text(p) for p in frame["points"]],
        t("as.col.basis"): frame["basis"], t("as.col.date"): [d.isoformat() if d else "" for d in frame["date"]],
        t("as.col.evidence"): frame["evidence"], t("as.col.note"): frame["note"],
        t("as.col.changed"): [f"{r['actor']} · {r['at']:%Y-%m-%d %H:%M}" if r["at"] is not None else r["actor"]
                              for r in recs],
        t("as.col.source"): [f"{r['file']} · {r['row']}" if r["file"] else r["action"] for r in recs],
    })
    if withdrawn:
        show[t("as.col.reason")] = frame["reason"]
    layout.table(show, show, name, key, t)


def unit_view(table: pd.DataFrame, code: str, events: list[Event], names: dict[str, str], year: int, t,
              lang: str, whatif) -> None:
    """One unit's result: cards, the distance to the next grade, its events, and the what-if."""
    r = table[table["unit_code"] == code].iloc[0].to_dict()
    st.subheader(plain(f"{r['unit_name']}（{r['group']}）" if lang != "en" else f"{r['unit_name']} ({r['group']})"))
    layout.metric_cards([
        {"label": t("as.card.final"), "value": fmt.score(r["final"]) if not fmt.blank(r["final"]) else "—"},
        {"label": t("as.card.rank"), "value": fmt.rank(r["rank"], r["rank_of"])},
        {"label": t("as.card.grade"), "value": grade_text(t, r["grade"])},
        {"label": t("as.card.composite"), "value": fmt.score(r["composite"]) if not fmt.blank(r["composite"]) else "—"},
    ])
    note(av.distance_text(r, lang), "yjx-distance")
    st.subheader(t("as.unit_events", unit=plain(r["unit_name"])))
    events_table([e for e in events if e.unit_code == code], names, t, lang, f"unit_events_{code}",
                 f"{r['unit_name']}_{year}_加扣分")
    st.subheader(t("as.whatif"), help=t("as.whatif_help"))
    w = whatif()
    note(av.whatif_text(w, lang), "yjx-whatif")
    if w.changed:
        closed = av.closed_frame(w)
        st.dataframe(pd.DataFrame({t("col.indicator"): closed["indicator_name"], t("col.measure"): closed["measure"],
                                   t("col.target"): closed["target"], t("col.actual"): closed["actual"],
                                   t("as.col.closing"): closed["closing"]}), hide_index=True, key=f"as_closed_{code}")


# -- the administrator's forms ----------------------------------------------------------------------

def _rejected(t, err: Exception, lang: str) -> None:
    if isinstance(err, EventRejected):
        detail = err.message(lang)
    elif isinstance(err, Forbidden | service.EventNotFound):
        detail = err.en if lang == "en" else err.zh
    else:
        detail = str(err)
    st.error(t("as.rejected", detail=plain(detail)))


def manage(root: str, year: int, actor: Actor, events: list[Event], names: dict[str, str], t, lang: str) -> None:
    """Import, entry, correction and withdrawal; every one is checked again on the server (service)."""
    if not actor.may(service.PERMISSION):
        st.caption(t("as.need_admin", who=plain(actor.display_name or actor.name)))
        return
    url = db_url(root)
    with st.expander(t("as.import"), icon=":material/upload_file:"), st.form("as_import", clear_on_submit=True):
        upload = st.file_uploader(t("as.import"), type=["xlsx", "xls"], help=t("as.import_help"),
                                  label_visibility="collapsed")
        if st.form_submit_button(t("as.import_button"), type="primary") and upload is not None:
            _import(root, upload, actor, t, lang)
    codes = sorted(names, key=lambda c: (names[c], c))
    with st.expander(t("as.enter"), icon=":material/add:"), st.form("as_enter", clear_on_submit=True):
        fields = _fields(t, lang, codes, names, None, year)
        if st.form_submit_button(t("as.save"), type="primary"):
            _save(lambda: service.enter(url, actor, _event(fields, year)), t, lang)
    if not events:
        return
    label = {e.id: f"{e.id} · {names.get(e.unit_code, e.unit_code)} · {kind_word(e.kind, lang)} · {e.item}"[:80]
             for e in events}
    with st.expander(t("as.correct"), icon=":material/edit:"):
        chosen = st.selectbox(t("as.pick_event"), list(label), format_func=label.get, key="as_correct_pick")
        current = next(e for e in events if e.id == chosen)
        with st.form("as_correct"):
            fields = _fields(t, lang, codes, names, current, year)
            reason = st.text_input(t("as.reason"))
            if st.form_submit_button(t("as.save"), type="primary"):
                ev = _event(fields, year)
                changes = {k: getattr(ev, k) for k in service.CORRECTABLE}
                _save(lambda: service.correct(url, actor, current.id, reason, **changes).id, t, lang)
    with st.expander(t("as.withdraw"), icon=":material/delete:"), st.form("as_withdraw"):
        chosen = st.selectbox(t("as.pick_event"), list(label), format_func=label.get)
        reason = st.text_input(t("as.reason"))
        if st.form_submit_button(t("as.withdraw")):
            _save(lambda: service.withdraw(url, actor, chosen, reason) or chosen, t, lang)


def _fields(t, lang: str, codes: list[str], names: dict[str, str], current: Event | None, year: int) -> dict:
    """The event's fields as a form shows them (unit and kind fixed when correcting)."""
    if current is None:
        unit = st.selectbox(t("as.col.unit"), codes, format_func=lambda c: names.get(c, c))
        kind = st.selectbox(t("as.col.kind"), KINDS, format_func=lambda k: KIND_WORDS[k][1 if lang == "en" else 0])
    else:
        unit, kind = current.unit_code, current.kind
        st.text(f"{names.get(unit, unit)} · {kind_word(kind, lang)}")
    return {
        "unit": unit, "kind": kind,
        "item": st.text_input(t("as.col.item"), value=current.item if current else ""),
        "points": st.text_input(t("as.col.points"), value=number_text(current.points) if current and current.points
                                is not None else ""),
        "basis": st.text_input(t("as.col.basis"), value=current.basis if current else ""),
        "date": st.date_input(t("as.col.date"), value=current.date if current and current.date else
                              dt.date(year, 12, 31), min_value=dt.date(year, 1, 1), max_value=dt.date(year + 1, 12, 31)),
        "evidence": st.text_area(t("as.col.evidence"), value=current.evidence if current else "", height=68),
        "note": st.text_input(t("as.col.note"), value=current.note if current else ""),
    }


def _event(fields: dict, year: int) -> Event:
    try:
        points = points_of(fields["points"])
    except (InvalidOperation, ValueError):
        points = Decimal("NaN")
    return Event(unit_code=fields["unit"], year=year, kind=fields["kind"], item=fields["item"].strip(), points=points,
                 basis=fields["basis"].strip(), date=fields["date"], evidence=fields["evidence"].strip(),
                 note=fields["note"].strip())


def _save(action, t, lang: str) -> None:
    try:
        done = action()
    except (EventRejected, Forbidden, service.EventNotFound) as err:
        _rejected(t, err, lang)
        return
    st.success(t("as.saved", id=done) if done else t("as.done"))


def _import(root: str, upload, actor: Actor, t, lang: str) -> None:
    from metrics.assessment.workbook import is_events
    from metrics.importer import import_file
    from metrics.sheets.workbook import WorkbookError, read_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            if not is_events(read_file(path, upload.name)):  # figures belong on the 数据 page
                st.error(t("as.refused"))
                st.text(t("as.not_events", file=upload.name))
                return
            summary = import_file(path, Store(root), actor=actor, display_name=upload.name)
        except WorkbookError as err:
            st.error(t("as.refused"))
            st.text(err.message(lang))
            return
        except ImportRefused as refused:
            st.error(t("as.refused"))
            st.text("\n".join(p.render(lang) for p in refused.problems[:200]))
            return
    x = summary.extra
    st.success(t("as.imported", file=plain(summary.file), added=x["added"], corrected=x["corrected"],
                 unchanged=x["unchanged"]))
    if summary.warnings:
        st.text("\n".join(p.render(lang) for p in summary.warnings))
