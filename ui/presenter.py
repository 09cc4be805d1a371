"""Presenter mode for the dispatch meeting's projector (1920×1080).

A fixed sequence — overview → county ranking → shortfalls → province ranking — then any pages the
presenter pinned; the slide number is in the URL (``slide``), next/previous are the pagination's
arrows (and the keyboard's ← → / PageUp PageDown, which a presenter's clicker sends), and the
period and the date the data belong to stay on screen.
"""

from __future__ import annotations

import streamlit as st

from ui import cache, charts, figures, fmt, layout, sections
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


ROWS = 18        # status-matrix rows per column block on the projector (each block 12 units wide)
OVERVIEW_BLOCKS = 2   # blocks beside the map on the overview slide
MORE_BLOCKS = 3       # blocks on each continuation slide


def matrix_blocks(df) -> list[list[str]]:
    """The matrix's indicators (in its order) cut into blocks that fit a slide's height."""
    names = list(dict.fromkeys(df["indicator_name"])) if len(df) else []
    return [names[i:i + ROWS] for i in range(0, len(names), ROWS)]


def matrix_slides(blocks: int) -> list[str]:
    """Continuation slides the matrix needs after the overview slide (a 300-indicator scheme gets several)."""
    rest = max(0, blocks - OVERVIEW_BLOCKS)
    return [f"matrix:{k}" for k in range(1, -(-rest // MORE_BLOCKS) + 1)]


def sequence(pins: list[str], extra: list[str] | None = None) -> list[str]:
    return [FIXED[0], *(extra or []), *FIXED[1:], *[p for p in pins if p not in FIXED]]


def slide_title(t, slide: str) -> str:
    if slide.startswith("matrix:"):
        return t("pres.slide.matrix", n=slide.split(":")[1])
    if slide in FIXED:
        return t(f"pres.slide.{slide}")
    return t("pres.slide.pinned", page=t(f"page.{slide}"))


def _overview(f: Filters, t, data: dict) -> None:
    sections.cards(f, t, data)
    left, right = st.columns([2, 4])
    with left:
        sections.county_map(f, t, None, "pres_map", big=True)
    with right:
        _matrix_blocks(f, t, data["matrix"], 0, OVERVIEW_BLOCKS)


def _matrix_blocks(f: Filters, t, df, first: int, count: int) -> None:
    """Blocks of the status matrix side by side, so the whole slide fits 1080 px."""
    blocks = matrix_blocks(df)[first:first + count]
    if not blocks:
        return
    for col, names in zip(st.columns(count), blocks, strict=False):
        with col:
            st.html(figures.matrix(df[df["indicator_name"].isin(names)], f.lang, True))
    layout.status_legend(t)


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
    data = cache.overview(f.root, f.version, f.period, f.group, f.category)
    slides = sequence(pins, matrix_slides(len(matrix_blocks(data["matrix"]))))
    head, nav, leave = st.columns([4, 5, 1], vertical_alignment="center")
    with nav:  # every slide's number visible: room for all of them
        n = st.pagination(len(slides), key="slide", bind="query-params", max_visible_pages=None, width="stretch")
    slide = slides[min(max(n, 1), len(slides)) - 1]
    with head:
        st.markdown(f"## {slide_title(t, slide)}")
    with leave:
        # where we are and how to step, as the exit button's tooltip: the slide's height is the content's
        st.button(t("pres.exit"), key="pres_exit", on_click=lambda: st.session_state.update(present=False),
                  icon=":material/close:", help=t("pres.slide", n=slides.index(slide) + 1, total=len(slides))
                  + "　·　" + t("pres.keys"))
        st.iframe(KEYS_JS, height=1, tab_index=-1)  # up here: the slide's foot is the content's
    layout.freshness(f, t)
    if slide == "overview":
        _overview(f, t, data)
    elif slide.startswith("matrix:"):
        k = int(slide.split(":")[1])
        _matrix_blocks(f, t, data["matrix"], OVERVIEW_BLOCKS + (k - 1) * MORE_BLOCKS, MORE_BLOCKS)
    elif slide == "county_ranking":
        sections.county_ranking(f, t, "pres_counties", big=True)
    elif slide == "shortfalls":
        _shortfalls(f, t)
    elif slide == "province":
        _province(f, t)
    else:
        _pinned(f, t, slide)

