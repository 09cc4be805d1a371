"""In Chromium (issue 13 item 6): at 1440×900 no table scrolls sideways (the source of each figure is
in an expander under its table, not a wide column), on the pages leaders read most."""

from __future__ import annotations

import pytest
from playwright import sync_api

from tests.conftest_ui import DESKTOP, errors_on, launch, streamlit_server, wait_ready

PAGES = ["/?lang=中文", "/counties?unit=衡阳县", "/parks?unit=衡阳高新区", "/departments?unit=市发展和改革委员会",
         "/indicator?ind=PM2.5平均浓度 ↓（G01）", "/province", "/data"]
# each table's scroller: wider content than its box means a sideways scroll bar
WIDE = """() => Array.from(document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller'))
    .filter(s => s.clientWidth > 0)
    .map(s => ({over: s.scrollWidth - s.clientWidth,
                head: (s.closest('[data-testid="stDataFrame"]').getAttribute('aria-label') || '')}))"""


@pytest.fixture(scope="module")
def server(demo_store):
    with streamlit_server(demo_store.root) as url:
        yield url


def test_no_table_scrolls_sideways_at_1440(server):
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport=DESKTOP).new_page()
        seen = 0
        for path in PAGES:
            page.goto(server + path)
            wait_ready(page)
            page.wait_for_timeout(800)
            assert not errors_on(page), path
            tables = page.evaluate(WIDE)
            seen += len(tables)
            assert [t for t in tables if t["over"] > 1] == [], path
        assert seen >= 8
        browser.close()
