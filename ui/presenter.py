"""Presenter mode for the dispatch meeting's projector (1920×1080).

A fixed sequence — overview → county ranking → shortfalls → province ranking — then any pages the
presenter pinned; the slide number is in the URL (``slide``), next/previous are the pagination's
arrows (and the keyboard's ← → / PageUp PageDown, which a presenter's clicker sends), and the
period and the date the data belong to stay on screen.
"""

from __future__ import annotations

import streamlit as st

from ui import cache, charts, fmt, layout, sections
from ui.filters import Filters
from ui.safe import md

FIXED = ("overview", "county_ranking", "shortfalls", "province")

# clicker and keyboard: press the pagination's own arrow buttons in the page around this frame
KEYS_JS = """
<script>
// Re-registered on every run: this frame is rebuilt on each rerun, and a listener left by an
// earlier frame dies with it.  Capture phase, so a focused button cannot swallow the key.
const doc = window.parent.document;
if (doc.__yjxKeys) doc.removeEventListener('keydown', doc.__yjxKeys, true);
doc.__yjxKeys = (e) => {
  const tag = (e.target && e.target.tagName || '').toLowerCase();
  if (tag === 'input' || tag === 'textarea') return;
  const next = ['ArrowRight', 'PageDown'].includes(e.key);
  const prev = ['ArrowLeft', 'PageUp'].includes(e.key);
  if (!next && !prev) return;
  const button = doc.querySelector(next ? '[data-testid="stPaginationNext"]' : '[data-testid="stPaginationPrev"]');
  if (!button || button.disabled) return;
  e.preventDefault();
  e.stopPropagation();
  button.click();
};
doc.addEventListener('keydown', doc.__yjxKeys, true);
</script>
"""


def sequence(pins: list[str]) -> list[str]:
    return [*FIXED, *[p for p in pins if p not in FIXED]]


def slide_title(t, slide: str) -> str:
    if slide in FIXED:
        return t(f"pres.slide.{slide}")
    return t("pres.slide.pinned", page=t(f"page.{slide}"))


def _overview(f: Filters, t) -> None:
    data = cache.overview(f.root, f.version, f.period, f.group, f.category)
    sections.cards(f, t, data)
    left, right = st.columns([2, 3])
    with left:
        sections.county_map(f, t, None, "pres_map", big=True)
    with right:
        sections.overview_matrix(f, t, "pres_matrix", big=True)


def _shortfalls(f: Filters, t) -> None:
    sections.shortfalls(f, t, "pres_short", big=True)


def _province(f: Filters, t) -> None:
    data = cache.province(f.root, f.version, f.period, None)
    left, right = st.columns(2)
    with left:
        sections.province(f, t, data["ranks"], "pres_prov", big=True)
    with right:
        if len(data["history"]):
            st.markdown(f"### {t('prov.history')}")
            layout.chart(charts.lines(data["history"], "period", "rank", "indicator_name",
                                      x_labels=sections.period_labeler(f), reverse=True,
                                      y_title=t("prov.rank_axis"), big=True), "pres_prov_history")


def _pinned(f: Filters, t, page: str) -> None:
    if page == "counties":
        sections.county_ranking(f, t, "pres_pin_counties", big=True)
    elif page in ("departments", "parks"):
        unit_type = {"departments": "市直部门", "parks": "园区"}[page]
        data = cache.type_page(f.root, f.version, f.period, unit_type, f.group)
        sections.composite_ranking(f, t, data["ranking"], f"pres_pin_{page}", big=True)
    elif page == "indicator":
        codes = sections.indicator_options(f)
        code = st.session_state.get("ind") or (codes[0] if codes else None)
        if code:
            data = cache.indicator_page(f.root, f.version, f.period, code, f.group)
            st.subheader(md(data["info"].get("name", code)))
            _indicator_bars(f, t, data)
    elif page == "province":
        _province(f, t)


def _indicator_bars(f: Filters, t, data: dict) -> None:
    r = data["ranking"]
    amount = data["info"].get("kind") == "amount"
    text = [fmt.pct(c) if amount else fmt.value(a, m, d) for c, a, m, d in
            zip(r["completion"], r["actual"], r["measure"], r["decimals"], strict=True)]
    e = r["expected_progress"].dropna()
    fig = charts.ranking_bars(r, "unit_name", "completion" if amount else "actual", text, sections.short_label(t),
                              expected=float(e.median()) if amount and len(e) else None,
                              expected_name=t("col.expected"), targets=None if amount else "target",
                              target_name=t("ind.target"), percent=amount, big=True)
    layout.chart(fig, "pres_pin_ind")


def run(f: Filters, pins: list[str], t) -> None:
    slides = sequence(pins)
    head, nav, leave = st.columns([5, 3, 1], vertical_alignment="center")
    with nav:
        n = st.pagination(len(slides), key="slide", bind="query-params", max_visible_pages=len(slides))
    slide = slides[min(max(n, 1), len(slides)) - 1]
    with head:
        st.markdown(f"## {slide_title(t, slide)}")
    with leave:
        st.button(t("pres.exit"), key="pres_exit", on_click=lambda: st.session_state.update(present=False),
                  icon=":material/close:")
    layout.freshness(f, t)
    if slide == "overview":
        _overview(f, t)
    elif slide == "county_ranking":
        sections.county_ranking(f, t, "pres_counties", big=True)
    elif slide == "shortfalls":
        _shortfalls(f, t)
    elif slide == "province":
        _province(f, t)
    else:
        _pinned(f, t, slide)
    st.caption(t("pres.slide", n=slides.index(slide) + 1, total=len(slides)) + "　·　" + t("pres.keys"))
    st.iframe(KEYS_JS, height=1, tab_index=-1)

