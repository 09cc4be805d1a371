"""The shared filters: year, period, group, unit, indicator category (and language, presenter mode).

They are rendered once, in the entry file, and bound to the URL (``bind="query-params"``), so every
view is a link a leader can be sent.  Options depend on the page shown (the unit filter lists
counties on the county page, departments on the department page …) and on the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from metrics import periods as per
from metrics import views
from ui import cache
from ui.i18n import LANGS, translator

PAGE_TYPES = {"counties": "县市区", "departments": "市直部门", "parks": "园区"}
PINNABLE = ("counties", "departments", "parks", "indicator", "province")


@dataclass(frozen=True)
class Filters:
    root: str
    version: int
    lang: str
    year: int
    period: str
    group: str | None
    unit: str | None
    category: str | None
    present: bool = False
    page: str = "overview"

    @property
    def key(self) -> tuple:
        return (self.root, self.version, self.period)


def language() -> str:
    lang = st.sidebar.segmented_control(
        "语言 Language", LANGS, default="zh", key="lang", bind="query-params", required=True,
        format_func=lambda v: "中文" if v == "zh" else "English")
    return lang if lang in LANGS else "zh"


def presenter(t) -> tuple[bool, list[str]]:
    """The presenter toggle and the pages pinned after the fixed sequence."""
    on = st.sidebar.toggle(t("app.present"), key="present", bind="query-params", help=t("app.present_help"))
    pins = st.sidebar.multiselect(t("app.pins"), PINNABLE, key="pins", bind="query-params",
                                  format_func=lambda p: t(f"page.{p}"), help=t("app.pins_help"),
                                  placeholder=t("app.pins_placeholder"))
    return bool(on), list(pins)


def _group_label(t, value: str) -> str:
    if not value:
        return t("filter.all")
    unit_type, group = views.split_group(value)
    return f"{unit_type} · {group}" if unit_type != group else str(group)


def _url_kind(lang: str, kinds: list[str]) -> str | None:
    """A link with a period but no frequency (older links): the frequency of that period."""
    if "freq" in st.query_params or "period" not in st.query_params:
        return None
    try:
        code = per.parse_period(st.query_params["period"])
    except Exception:  # noqa: BLE001 - a hand-edited link; the default applies
        return None
    k = per.kind(code)
    return k if k in kinds else None


def render(root: str, ver: int, lang: str, page: str, present: bool) -> Filters:
    """Draw the filters in the sidebar and return their values."""
    t = translator(lang)
    opts = cache.filter_options(root, ver)
    names = opts["names"]
    sb = st.sidebar
    sb.subheader(t("filter.title"))
    year = sb.selectbox(t("filter.year"), opts["years"], key="year", bind="query-params")
    in_year = [c for c in opts["periods"] if per.year_of(c) == year]
    kinds = [k for k in per.KINDS if any(per.kind(c) == k for c in in_year)]
    default = views.default_period(in_year)
    shown_kind = _url_kind(lang, kinds) or (per.kind(default) if default else None)
    freq = sb.segmented_control(t("filter.freq"), kinds, default=shown_kind if shown_kind in kinds else None,
                                key="freq", bind="query-params", required=True,
                                format_func=lambda k: t(f"filter.freq.{k}")) if kinds else None
    freq = freq if freq in kinds else (kinds[0] if kinds else None)
    of_kind = [c for c in in_year if per.kind(c) == freq]   # date order, oldest first
    default = views.default_period(of_kind)
    period = sb.selectbox(t("filter.period"), of_kind, index=of_kind.index(default) if default else 0,
                          key="period", bind="query-params", format_func=lambda c: per.label(c, lang))
    unit_type = PAGE_TYPES.get(page)
    groups = [g for g in opts["groups"] if unit_type is None or g.startswith(unit_type + "/")]
    group = sb.selectbox(t("filter.group"), ["", *groups], key="group", bind="query-params",
                         format_func=lambda g: _group_label(t, g)) or None
    unit = None
    if unit_type:
        unit_codes = opts["units_of"].get((unit_type, group if group in groups else None), [])
        if unit_codes:
            unit = sb.selectbox(t("filter.unit"), unit_codes, key="unit", bind="query-params",
                                format_func=lambda c: names.get(c, c))
    category = sb.selectbox(t("filter.category"), ["", *opts["categories"]], key="cat", bind="query-params",
                            format_func=lambda c: c or t("filter.all")) or None
    sb.caption(t("filter.link"))
    return Filters(root=root, version=ver, lang=lang, year=int(year), period=str(period), group=group, unit=unit,
                   category=category, present=present, page=page)


def current() -> Filters:
    """The filters the entry file drew on this run (pages call this)."""
    return st.session_state["_filters"]
