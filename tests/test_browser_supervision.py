"""云督查 in a real Chromium: a 督查员 signs in, opens an item from a red row on the county page, moves it
through 整改中 and 申请销号 with an attached file, and strikes it off.  Screenshots of each step under
test-artifacts/ (supervision-*.png)."""

from __future__ import annotations

import os
import re
from urllib.parse import quote

import pytest

from metrics import users
from metrics.access import Actor
from metrics.supervision import queries
from tests.conftest_ui import (
    ARTIFACTS,
    CHROMIUM,
    DESKTOP,
    browser_sign_in,
    errors_on,
    launch,
    streamlit_server,
    wait_ready,
)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium")]
sync_api = pytest.importorskip("playwright.sync_api")
PASSWORD = "衡阳-督查-销号-2021"


def _shot(page, step: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"supervision-{step}.png"), full_page=True)


def _submit(page, label: str, reason: str = "", file=None) -> None:
    form = page.locator('[data-testid="stForm"]').filter(has_text="提交").last
    form.get_by_text(label, exact=True).click()
    if reason:
        form.locator("textarea").first.fill(reason)
    if file is not None:
        form.locator('input[type="file"]').set_input_files(str(file))
        page.wait_for_timeout(1500)
    form.get_by_role("button", name="提交").click()
    page.wait_for_timeout(500)
    wait_ready(page)


def test_open_from_a_red_row_and_strike_off(demo_store, tmp_path):
    url = f"sqlite:///{tmp_path / 'browser.sqlite3'}"
    users.add_user(url, Actor.cli_operator(), "duban", "inspector", password=PASSWORD, display_name="督查员")
    old = os.environ.get("METRICS_DB")
    os.environ["METRICS_DB"] = url
    try:
        with streamlit_server(demo_store.root, anonymous=False) as server, sync_api.sync_playwright() as p:
            browser = launch(p)
            page = browser.new_context(viewport=DESKTOP).new_page()
            browser_sign_in(page, server, "duban", PASSWORD)
            page.wait_for_timeout(1500)       # the one-time code traded for the session cookie
            page.goto(f"{server}/counties?unit={quote('衡阳县')}")
            wait_ready(page)
            _shot(page, "0-county")
            sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
            assert "督查台账" in sidebar and "待办" in sidebar and not re.search(r"View \d+ more", sidebar), sidebar
            page.get_by_text(re.compile(r"督查事项（0）")).click()
            link = page.locator('a[href*="red_unit="]').first
            link.scroll_into_view_if_needed()
            _shot(page, "1-county-red-rows")
            href = link.get_attribute("href")
            page.goto(href if href.startswith("http") else f"{server}/{href.lstrip('/')}")
            wait_ready(page)
            form = page.locator('[data-testid="stForm"]').filter(has_text="发现期间")
            assert "已根据红灯" in page.locator('[data-testid="stAlert"]').first.inner_text()
            form.get_by_label("责任领导").fill("刘建国（副县长）")
            form.locator("textarea").nth(1).fill("制定整改方案\n加快项目入库")
            _shot(page, "2-prefilled-form")
            form.get_by_role("button", name="挂账").click()
            page.wait_for_timeout(500)
            wait_ready(page)
            assert "已挂账：DC-" in page.locator("body").inner_text()
            frame = queries.items(url)
            assert len(frame) == 1 and frame["unit_code"].iloc[0] == "430421" and frame["indicator_code"].iloc[0]
            code = frame["code"].iloc[0]
            _submit(page, "开始整改")
            assert queries.detail(url, code)["status"] == "整改中"
            evidence = tmp_path / "整改报告.pdf"
            evidence.write_bytes(b"%PDF-1.4\n% rectification report\n")
            _submit(page, "申请销号", "已完成整改，附整改报告", evidence)
            item = queries.detail(url, code)
            assert item["status"] == "申请销号" and item["events"][-1]["files"][0]["name"] == "整改报告.pdf"
            _shot(page, "3-applying")
            _submit(page, "验收销号", "经核实已整改到位，同意销号")
            closed = queries.detail(url, code)
            assert closed["status"] == "已销号" and closed["events"][-1]["files"] == []   # the form was cleared
            assert "已办理" in page.locator("body").inner_text()
            _shot(page, "4-struck-off")
            assert errors_on(page) == []
            browser.close()
    finally:
        if old is None:
            os.environ.pop("METRICS_DB", None)
        else:
            os.environ["METRICS_DB"] = old
