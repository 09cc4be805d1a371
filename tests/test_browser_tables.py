"""In Chromium (issue 13 item 6): at 1440×900 no table scrolls sideways (the source of each figure is
in an expander under its table, not a wide column), on the pages leaders read most."""

from __future__ import annotations

import pytest
from playwright import sync_api

from tests.conftest_ui import DESKTOP, browser_sign_in, errors_on, launch, streamlit_server, wait_ready

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


def test_tables_with_the_ledger_column_still_fit_at_1440(demo_store, tmp_path, monkeypatch):
    """A 督查员 sees one more column (挂账) on every figure table: it must not make them scroll either."""
    import re

    from metrics import users
    from metrics.access import Actor

    url = f"sqlite:///{tmp_path / 'tables.sqlite3'}"
    password = "衡阳-督查-表格-2021"
    users.add_user(url, Actor.cli_operator(), "duban", "inspector", password=password, display_name="督查员")
    monkeypatch.setenv("METRICS_DB", url)
    with streamlit_server(demo_store.root, anonymous=False) as server, sync_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport=DESKTOP).new_page()
        browser_sign_in(page, server, "duban", password)
        page.wait_for_timeout(1500)
        for path in ["/?tab=短板", *PAGES[1:5]]:
            page.goto(server + path)
            wait_ready(page)
            page.wait_for_timeout(800)
            assert not errors_on(page), path
            assert re.search("督查员", page.locator('[data-testid="stSidebar"]').inner_text()), path
            assert [t for t in page.evaluate(WIDE) if t["over"] > 1] == [], path
        browser.close()
