"""Sections of the 督查台账 page and the ledger panels other pages call (one call each)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pandas as pd
import streamlit as st

from metrics import export
from metrics import periods as per
from metrics.access import Forbidden
from metrics.messages import ImportRefused
from metrics.store import Store
from metrics.supervision import importing, ledger, queries
from metrics.supervision.dates import today, urge_label
from metrics.supervision.settings import max_evidence_bytes, settings
from metrics.supervision.sheetdates import split_requirement
from metrics.supervision.states import MOVES, SEVERITIES, STATES, Refused, allowed_moves
from ui import identity
from ui import supervision_data as data
from ui.fmt import STATUS_ORDER
from ui.safe import md


def _figures(frame: pd.DataFrame, f, t) -> tuple[list[str], list[str]]:
    """Each item's indicator: its latest figure (period and actual) and light, from the indicator watch data."""
    latest = data.latest_rows(f.root, f.version)
    have = {} if latest.empty or "actual" not in latest else {
        (u, i): (p, a, st_) for u, i, p, a, st_ in zip(latest["unit_code"], latest["indicator_code"], latest["period"],
                                                        latest["actual"], latest["status"], strict=True)}
    figure, light = [], []
    for u, i in zip(frame["unit_code"], frame["indicator_code"], strict=True):
        hit = have.get((u, i)) if i else None
        if hit is None:
            figure.append(""), light.append("")
            continue
        p, a, s = hit
        figure.append(f"{p} {'—' if pd.isna(a) else f'{float(a):,.2f}'.rstrip('0').rstrip('.')}")
        light.append(t(f"status.{s}") if s in STATUS_ORDER else s)
    return figure, light


def table(frame: pd.DataFrame, f, t) -> pd.DataFrame:
    """The ledger as shown: names for codes, 逾期 and 催办 as words, the indicator's latest figure and
    light beside an item on an indicator, headers in the page's language (all plain text cells)."""
    units, inds = data.unit_names(f.root, f.version), data.indicator_names(f.root, f.version)
    figure, light = _figures(frame, f, t)
    return data.headed(pd.DataFrame({
        "code": frame["code"], "status": frame["status"],
        "overdue": frame["overdue"].map({True: "逾期", False: ""}),
        "unit": frame["unit_code"].map(lambda c: units.get(c, c)),
        "indicator": frame["indicator_code"].map(lambda c: inds.get(c, c) if c else ""),
        "figure": figure, "figure_status": light,
        "period": frame["period"].fillna(""), "problem": frame["problem"],
        "responsible": frame["responsible_unit"].map(lambda c: units.get(c, c)), "leader": frame["leader"],
        "deadline": frame["deadline"].astype(str), "feedback_due": frame["feedback_due"].map(lambda d: str(d or "")),
        "urge": frame["urge_level"].map(urge_label), "percent": frame["percent"],
    }), t)


def counts(f, t) -> None:
    frame = data.items(f.root)
    c = queries.counts(frame, today())
    cols = st.columns(5)
    cols[0].metric(t("sv.open"), c["open"])
    cols[1].metric(t("sv.overdue"), c["overdue"])
    cols[2].metric(t("sv.applying"), c["applying"])
    cols[3].metric(t("sv.unledgered"), len(data.unledgered(f.root, f.version)))
    cols[4].metric(t("sv.urged"), c["urged_week"])


def filtered(f, t) -> pd.DataFrame:
    frame = data.items(f.root)
    units = data.unit_names(f.root, f.version)
    c1, c2, c3, c4, c5 = st.columns([2, 2, 2, 1, 1])
    status = c1.multiselect(t("sv.status"), STATES, key="sv_status", placeholder=t("app.choose"))
    present = sorted(set(frame["unit_code"]) | set(frame["responsible_unit"])) if len(frame) else []
    unit = c2.selectbox(t("sv.unit"), [""] + present, format_func=lambda c: units.get(c, c) if c else "—",
                        key="sv_unit")
    leader = c3.text_input(t("sv.leader"), key="sv_leader", max_chars=40)
    overdue = c4.checkbox(t("sv.overdue_only"), key="sv_overdue")
    actor = identity.current_actor()
    mine = c5.checkbox(t("sv.mine"), key="sv_mine", disabled=not actor.unit_scoped)
    return queries.filter_items(frame, status=status, unit=unit or None, leader=leader or None, overdue=overdue,
                                units=set(actor.units) if mine and actor.unit_scoped else None)


def listing(frame: pd.DataFrame, f, t, key: str = "ledger") -> None:
    shown = table(frame, f, t)
    st.caption(t("sv.count", n=len(shown)))
    st.dataframe(shown, hide_index=True, width="stretch", height=min(36 * (len(shown) + 1) + 4, 460))
    downloads(shown, t, key)


def downloads(frame: pd.DataFrame, t, key: str) -> None:
    c1, c2, _ = st.columns([1, 1, 4])
    # the bytes are made when the button is clicked: an Excel file of 10,000 items takes seconds
    c1.download_button(t("sv.export_csv"), lambda: export.csv_bytes(frame), f"{key}.csv", "text/csv", key=f"{key}_csv",
                       on_click="ignore")
    c2.download_button(t("sv.export_xlsx"), lambda: export.xlsx_bytes(frame, key), f"{key}.xlsx", key=f"{key}_xlsx",
                       on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def detail(frame: pd.DataFrame, f, t) -> None:
    if frame.empty:
        return
    st.subheader(t("sv.detail"), anchor=False)
    code = st.selectbox(t("sv.pick"), list(frame["code"]), key="sv_pick")
    item = queries.detail(data.db(f.root), code)
    if item is None:
        return
    units = data.unit_names(f.root, f.version)
    st.text(f"{code}  {item['status']}  {units.get(item['unit_code'], item['unit_code'])}  责任领导：{item['leader']}")
    st.text(item["problem"])
    reqs = pd.DataFrame([{"seq": r["seq"], "text": r["text"], "deadline": str(r["deadline"]), "done": r["done"]}
                         for r in item["requirements"]])
    st.caption(t("sv.requirements"))
    st.dataframe(data.headed(reqs, t), hide_index=True, width="stretch")
    hist = pd.DataFrame([{"on": str(e["on"]), "kind": _event_word(e["kind"], t), "to": e["to"] or "",
                          "actor": e["actor"], "text": e["text"] or "",
                          "percent": "" if e["percent"] is None else f"{e['percent']}%",
                          "files": "、".join(x["name"] for x in e["files"])}
                         for e in item["events"]])
    st.caption(t("sv.history"))
    st.dataframe(data.headed(hist, t), hide_index=True, width="stretch")
    actions(code, item, f, t)


def _event_word(kind: str, t) -> str:
    """An event's kind as the page's language says it (挂账, 申请销号, 催办 …); an unknown kind as stored."""
    try:
        return t(f"sv.event.{kind}")
    except KeyError:
        return kind


def _run(t, fn, *args, **kw):
    try:
        out = fn(*args, **kw)
    except Forbidden as exc:
        st.error(exc.message(t.lang if hasattr(t, "lang") else "zh"))
        return None
    except Refused as exc:
        st.error(exc.zh)
        return None
    data.bump()
    return out


def actions(code: str, item: dict, f, t) -> None:
    actor = identity.current_actor()
    url = data.db(f.root)
    moves = allowed_moves(item["status"])
    labels = {m: MOVES[m].en if f.lang == "en" else MOVES[m].zh for m in moves}
    extra = [x for x in ("feedback", "urge") if item["status"] in ("挂账", "整改中")]
    labels.update({"feedback": t("sv.event.feedback"), "urge": t("sv.event.urge")})
    choices = moves + extra
    if not choices:
        return
    mb = settings()["evidence_max_mb"]
    with st.form(f"sv_act_{code}", clear_on_submit=True):
        st.caption(t("sv.move"))
        what = st.radio(t("sv.move"), choices, format_func=labels.get, horizontal=True, label_visibility="collapsed")
        text = st.text_area(t("sv.reason"), max_chars=4000)
        percent = st.number_input(t("sv.percent"), 0, 100, value=None)
        files = st.file_uploader(t("sv.files", mb=mb), accept_multiple_files=True)
        if st.form_submit_button(t("sv.do"), type="primary"):
            uploads = [(u.name, u) for u in files or []]
            if what == "feedback":
                _run(t, ledger.feedback, url, actor, code, text, percent, uploads, Store(f.root).root,
                     max_evidence_bytes())
                state = item["status"]
            elif what == "urge":
                level = _run(t, ledger.urge, url, actor, code, text)
                state = urge_label(level) if level else None
            else:
                state = _run(t, ledger.transition, url, actor, code, what, reason=text, files=uploads,
                             store_root=Store(f.root).root, max_bytes=max_evidence_bytes())
            if state:
                st.session_state["sv_notice"] = t("sv.done", code=code, state=state)
                st.rerun()


def red_choices(f) -> pd.DataFrame:
    from metrics.supervision.watch import behind_rows

    return behind_rows(data.latest_rows(f.root, f.version))


def _choices_with_link(f) -> tuple[pd.DataFrame, int | None]:
    """The red / behind rows to pick from, and the one a link asked for (``red_unit``, ``red_ind``,
    optionally ``red_period``: a red cell of any period, not only the latest, can be 挂账)."""
    rows = red_choices(f)
    qp = st.query_params
    unit, ind, period = qp.get("red_unit"), qp.get("red_ind"), qp.get("red_period")
    if not unit or not ind:
        return rows, None
    hit = rows[(rows["unit_code"] == unit) & (rows["indicator_code"] == ind)]
    if period:
        hit = hit[hit["period"] == period]
        if hit.empty:
            linked = data.pair_row(f.root, f.version, unit, ind, period)
            linked = linked[linked["status"].isin(["red", "yellow"])]
            if linked.empty:
                return rows, None
            rows = pd.concat([linked, rows], ignore_index=True)
            return rows, 1
    return rows, (int(hit.index[0]) + 1) if len(hit) else None


def new_item_form(f, t) -> None:
    """挂账 by hand, or pre-filled from a red / behind row (picked here or passed in the URL)."""
    rows, preset = _choices_with_link(f)
    units, inds = data.unit_names(f.root, f.version), data.indicator_names(f.root, f.version)
    labels = [""] + [f"{r.unit_name}｜{r.indicator_name}｜{per.label(r.period, f.lang)}｜{'红' if r.status == 'red' else '黄'}"
                     for r in rows.itertuples()]
    pick = st.selectbox(t("sv.open_from_red"), range(len(labels)), format_func=lambda i: labels[i],
                        index=preset or 0, help=t("sv.open_from_red_help"), key="sv_red")
    red = rows.iloc[pick - 1] if pick else None
    if red is not None:
        st.info(t("sv.prefilled", unit=red["unit_name"], indicator=red["indicator_name"],
                          period=per.label(str(red["period"]), f.lang)))
    codes = list(units)
    with st.form("sv_new"):
        c1, c2, c3 = st.columns(3)
        unit = c1.selectbox(t("sv.unit"), codes, format_func=units.get,
                            index=codes.index(red["unit_code"]) if red is not None else 0)
        ind_codes = [""] + list(inds)
        indicator = c2.selectbox(t("sv.indicator"), ind_codes, format_func=lambda c: inds.get(c, "—"),
                                 index=ind_codes.index(red["indicator_code"]) if red is not None else 0)
        period = c3.text_input(t("sv.period"), value=str(red["period"]) if red is not None else "", max_chars=16)
        gap = ""
        if red is not None and pd.notna(red.get("gap_pp")):
            gap = f"差 {abs(float(red['gap_pp'])):.1f} 个百分点"
        problem = st.text_area(t("sv.problem"), max_chars=4000, value=(
            f"{red['indicator_name']}{per.label(str(red['period']))}{'亮红灯' if red['status'] == 'red' else '落后序时进度'}{('，' + gap) if gap else ''}"
            if red is not None else ""))
        c4, c5, c6 = st.columns(3)
        responsible = c4.selectbox(t("sv.responsible"), codes, format_func=units.get,
                                   index=codes.index(red["unit_code"]) if red is not None else 0)
        leader = c5.text_input(t("sv.leader"), max_chars=64)
        contact = c6.text_input(t("sv.contact"), max_chars=128)
        c7, c8 = st.columns(2)
        deadline = c7.date_input(t("sv.deadline"), value=today() + dt.timedelta(days=30))
        severity = c8.selectbox(t("sv.severity"), SEVERITIES)
        reqs = st.text_area(t("sv.reqs"), max_chars=4000)
        if st.form_submit_button(t("sv.submit_open"), type="primary"):
            source = ""
            if red is not None:
                source = f"{red.get('actual_file', '')} {red.get('actual_sheet', '')} 第{red.get('actual_row', '')}行"
            item = ledger.ItemInput(
                source="指标" if indicator else "督查", unit_code=unit, indicator_code=indicator or None,
                period=period or None, problem=problem, responsible_unit=responsible, leader=leader, contact=contact,
                deadline=deadline, severity=severity, gap=gap, figure_source=source,
                requirements=[split_requirement(x, deadline.year) for x in reqs.splitlines() if x.strip()])
            code = _run(t, ledger.open_item, data.db(f.root), identity.current_actor(), item)
            if code:
                st.session_state["sv_notice"] = t("sv.opened", code=code)
                st.rerun()


def import_box(f, t) -> None:
    up = st.file_uploader(t("sv.import"), type=["xlsx", "xls", "csv"], key="sv_import")
    if up is None or not st.button(t("sv.import"), key="sv_import_go"):
        return
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload"
        path.write_bytes(up.getvalue())
        try:
            codes = importing.import_problem_list(path, up.name, Store(f.root), data.db(f.root),
                                                  identity.current_actor())
        except Forbidden as exc:
            st.error(exc.zh)
            return
        except ImportRefused as refused:
            st.error(t("sv.refused"))
            st.dataframe(pd.DataFrame([{"where": p.render(f.lang)} for p in refused.problems]), hide_index=True)
            return
    data.bump()
    st.success(t("sv.imported", n=len(codes)))


def unledgered_section(f, t) -> None:
    st.subheader(t("sv.unledgered_title"), anchor=False)
    frame = data.unledgered(f.root, f.version)
    cols = [c for c in ("period", "unit_name", "indicator_name", "actual", "target", "attainment", "gap_pp")
            if c in frame.columns]
    st.dataframe(data.headed(frame[cols], t), hide_index=True, width="stretch")
    if frame.empty or not identity.current_actor().may("ledger.manage"):
        return
    labels = [f"{r.unit_name}｜{r.indicator_name}｜{r.period}" for r in frame.itertuples()]
    with st.form("sv_explain", clear_on_submit=True):
        st.caption(t("sv.explain"))
        pick = st.selectbox(t("sv.explain_row"), range(len(labels)), format_func=labels.__getitem__)
        text = st.text_area(t("sv.explain_text"), max_chars=4000)
        if st.form_submit_button(t("sv.explain_submit")):
            r = frame.iloc[pick]
            done = _run(t, lambda: ledger.explain_red(data.db(f.root), identity.current_actor(), str(r["unit_code"]),
                                                      str(r["indicator_code"]), str(r["period"]), text) or True)
            if done:
                st.session_state["sv_notice"] = t("sv.explained", row=labels[pick])
                st.rerun()


def watch_section(f, t) -> None:
    st.subheader(t("sv.watch"), anchor=False)
    w = data.watch_frame(f.root, f.version)
    if w.empty:
        st.caption(t("sv.none"))
        return
    w = w.assign(can_close=w["can_close"].map({True: t("sv.can_close"), False: ""}),
                 ranks=w["ranks"].map(lambda rs: "→".join("—" if r is None else str(r) for r in rs)))
    st.dataframe(data.headed(w, t), hide_index=True, width="stretch")


def panel(f, t, unit: str | None = None, indicator: str | None = None) -> None:
    """The ledger items on a unit or an indicator (county/department/park/indicator pages): one call."""
    if not unit and not indicator:
        return
    frame = data.items(f.root)
    if unit:
        frame = queries.filter_items(frame, units={unit})
    if indicator:
        frame = frame[frame["indicator_code"] == indicator]
    frame = frame[frame["status"].isin(["挂账", "整改中", "申请销号"])]
    with st.expander(f"{t('sv.panel')}（{len(frame)}）", expanded=False):
        if frame.empty:
            st.caption(t("sv.none"))
        else:
            st.dataframe(table(frame, f, t), hide_index=True, width="stretch")
        reds = red_choices(f)
        if unit:
            reds = reds[reds["unit_code"] == unit]
        if indicator:
            reds = reds[reds["indicator_code"] == indicator]
        covered = set(zip(frame["unit_code"], frame["indicator_code"], strict=True))
        reds = reds[[(u, i) not in covered for u, i in zip(reds["unit_code"], reds["indicator_code"], strict=True)]]
        if len(reds):
            st.caption(t("sv.open_from_red_help"))
            links = [f"[{md(r.unit_name)} {md(r.indicator_name)} {md(r.period)}（{'红' if r.status == 'red' else '黄'}）]"
                     f"(ledger?red_unit={quote(r.unit_code)}&red_ind={quote(r.indicator_code)})"
                     for r in reds.head(30).itertuples()]
            st.markdown(" · ".join(links))


def overview_counts(f, t) -> None:
    """The overview's supervision numbers: one call."""
    st.caption(t("sv.panel"))
    counts(f, t)
