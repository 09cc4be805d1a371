"""Names and messages from data are shown as text on every page: a unit named like a Markdown image or
an HTML tag never becomes one (no browser fetches an address from the data)."""

from __future__ import annotations

import re
import shutil

import pytest

from metrics import users
from metrics.access import Actor
from metrics.db import database_url
from metrics.store import Store
from tests.conftest_ui import assert_clean, html_bodies, open_app
from tests.test_pages_data_presenter import ADMIN, _long_sheet

IMAGE = "![x](http://attacker.invalid/md.png)"
TAG = '<img src="http://attacker.invalid/tag.png">'
LIVE = [re.compile(r"!\[[^\]]*\]\(http"), re.compile(r"<img\b", re.I), re.compile(r"src=\"?http", re.I)]


def _live_markup(text: str) -> list[str]:
    """Markup that would fetch: a Markdown image (not backslash-escaped) or an <img> tag."""
    unescaped = re.sub(r"\\.", "", text)        # \! \[ … are shown as characters
    return [p.pattern for p in LIVE if p.search(unescaped)]


@pytest.fixture(scope="module")
def hostile_store(demo_store, tmp_path_factory) -> Store:
    root = tmp_path_factory.mktemp("hostile") / "store"
    shutil.copytree(demo_store.root, root)
    store = Store(root)
    units, indicators = store.catalog()
    counties = units.index[units["type"] == "县市区"]
    units.loc[counties[0], "name"] = IMAGE
    units.loc[counties[1], "name"] = TAG
    indicators.loc[indicators.index[0], "name"] = "![i](http://attacker.invalid/ind.png)"
    store.commit_catalog(units, indicators, original=b"hostile", file_name="hostile.xlsx", user="test")
    users.add_user(database_url(root), Actor.cli_operator(), ADMIN[0], "admin", password=ADMIN[1])
    return store


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/counties.py", "pages/indicator.py",
                                  "pages/departments.py", "pages/province.py"])
def test_no_live_markup_from_names(hostile_store, page):
    at = open_app(hostile_store.root, page)
    assert_clean(at)
    html = [h.proto.body for h in at.get("html")]          # raw HTML: no Markdown is read there
    assert not [h[:80] for h in html if re.search(r"<img\b", h, re.I)]
    markdown = [m.value for m in at.markdown] + [e.value for kind in (
        "caption", "error", "warning", "info", "success", "subheader", "header", "title") for e in at.get(kind)]
    assert not [(t[:80], found) for t in markdown if (found := _live_markup(t))]


def test_map_and_matrix_show_the_names_as_text(hostile_store):
    at = open_app(hostile_store.root, "pages/overview.py")
    bodies = "\n".join(html_bodies(at))
    assert "&lt;img src=" in bodies and "attacker.invalid/tag.png" in bodies      # shown, escaped
    assert "&#33;&#91;x&#93;&#40;http&#58;<!---->//attacker" in bodies           # the SVG map's label: no autolink
    assert "<img" not in bodies


def test_upload_errors_show_hostile_labels_as_text(hostile_store, tmp_path):
    at = open_app(hostile_store.root, "pages/data.py", login=ADMIN)
    sheet = _long_sheet([["2021年1-9月", "![y](http://attacker.invalid/up.png)", "<img src=x>", None, None, 1]])
    at.file_uploader[0].set_value(("![z](http://attacker.invalid/name.png).xlsx", sheet,
                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    at.button[0].click().run()
    message = at.error[0].value
    assert "attacker.invalid/up.png" in message and "attacker.invalid/name.png" in message
    assert not _live_markup(message)


@pytest.mark.parametrize("name", ["衡" * 200 + ".xlsx", "../../../etc/passwd.xlsx", "..\\..\\报表\\补报.xlsx",
                                  "a/b\\c:d*?.xlsx"])
def test_odd_upload_names_import_under_a_safe_name(hostile_store, tmp_path, name):
    units, _ = hostile_store.catalog()
    county = units.loc[units["type"] == "县市区", "name"].iloc[2]
    at = open_app(hostile_store.root, "pages/data.py", login=ADMIN)
    value = 300 + len(name) + name.count("\\")                              # a new figure each time
    at.file_uploader[0].set_value((name, _long_sheet([["2021年1-9月", county, "新增学位", None, None, value]]),
                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    at.button[0].click().run()
    assert_clean(at)
    at.button(key="upl_confirm").click().run()                               # the preview, then 确认导入
    assert_clean(at)
    assert not at.error, at.error[0].value if at.error else ""
    shown = at.success[0].value
    assert re.sub(r"\\(.)", r"\1", shown).count(name) == 1                     # shown as given
    assert "/tmp" not in shown and str(hostile_store.root) not in shown
    version = hostile_store.latest_version()
    assert hostile_store.manifest(version)["kind"] == "figures"
    stored_name, data = hostile_store.original(version)
    assert "/" not in stored_name and "\\" not in stored_name and len(stored_name.encode()) <= 180
    assert data[:2] == b"PK"
