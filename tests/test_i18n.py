"""One dictionary per language: a key missing in either, a placeholder that differs, or a key the
code asks for that neither has, fails here."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from metrics import periods
from metrics.reporting import calendar
from metrics.supervision import meetings, states
from ui import fmt, presenter, supervision_data, supervision_decide, tables
from ui.app import PAGES
from ui.filters import PINNABLE
from ui.i18n import DICTS, EN, LANGS, ZH, text

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]
LITERAL = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")
FSTRING = re.compile(r"""\bt\(\s*f["']([a-z_.]+)\{|\bt\(\s*["']([a-z_.]+\.)["']\s*\+""")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_the_same_keys():
    assert set(ZH) - set(EN) == set(), "missing in English"
    assert set(EN) - set(ZH) == set(), "missing in Chinese"
    assert tuple(DICTS) == LANGS


@pytest.mark.parametrize("key", sorted(ZH))
def test_placeholders_match_and_nothing_is_blank(key):
    assert ZH[key].strip() and EN[key].strip()
    assert _fields(ZH[key]) == _fields(EN[key])


def test_every_key_the_code_asks_for_exists():
    used = set()
    for path in SOURCES:
        used |= set(LITERAL.findall(path.read_text(encoding="utf-8")))
    assert used, "the scan found no t(...) calls"
    assert sorted(used - set(ZH)) == []


def test_every_key_family_the_code_builds_exists():
    """Keys built at run time: t(f"status.{s}"), t(f"page.{name}") …"""
    prefixes = set()
    for path in SOURCES:
        prefixes |= {a or b for a, b in FSTRING.findall(path.read_text(encoding="utf-8"))}
    families = {
        "status.": fmt.STATUS_ORDER, "status.short.": fmt.STATUS_ORDER, "col.": fmt.STATUS_ORDER,
        "page.": [name for name, _, _ in PAGES] + list(PINNABLE), "ind.kind.": ("amount", "rate"),
        "ind.direction.": ("higher", "lower"), "pres.slide.": presenter.FIXED, "ov.": ("top", "bottom"),
        "sv.col.": supervision_data.HEADERS, "sv.decision.": supervision_decide.KINDS,
        "sv.sec.": meetings.SECTIONS, "sv.event.": states.EVENT_KINDS,
        "sv.todo.": ("rectify", "feedback", "urged", "accept", "unledgered"),
        "rep.state.": calendar.STATES, "rep.window.": calendar.WINDOWS,
        "rep.metric.": ("on_time", "late", "missing"), "ver.kind.": ("figures", "catalog"),
        "prov.standing.": ("top", "middle", "bottom"), "filter.freq.": periods.KINDS,
        "col.yoy_": tables.YOY_PARTS,
    }
    assert prefixes <= set(families), f"a key family without a list here: {prefixes - set(families)}"
    for prefix in prefixes:
        for name in families[prefix]:
            assert f"{prefix}{name}" in ZH, f"{prefix}{name}"


def test_text_formats_and_defaults_to_chinese():
    assert text("zh", "pres.slide", n=2, total=5) == "第 2/5 页"
    assert text("en", "pres.slide", n=2, total=5) == "Slide 2/5"
    assert text("fr", "page.overview") == ZH["page.overview"]
