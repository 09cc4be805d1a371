"""In Chromium (issue 13 item 10): the Chinese 数据 page shows no English (Streamlit's own upload box
words, "View N more", an empty select's "No options"), no raw period code (2021Q3, 2021-07-D1), the
header's store version moves right after 确认导入, and switching language changes the sidebar on the
same click."""

from __future__ import annotations

import io
import re
import shutil

import openpyxl
import pytest
from playwright import sync_api

from metrics import users
from metrics.access import Actor
from metrics.db import database_url
from metrics.store import Store
from tests.conftest_ui import DESKTOP, browser_sign_in, errors_on, launch, streamlit_server, wait_ready

PASSWORD = "衡阳-浏览器-测试1"
# text the reader can see: text nodes with a box on screen (not screen-reader-only words, not a
# code block's command, not an icon's ligature name)
VISIBLE_TEXT = """() => {
  const out = [];
  const skip = '[data-testid="stIconMaterial"], [data-testid="stCode"], code, [data-testid="stSkipToContent"]';
  const walk = document.createTreeWalker(document.querySelector('[data-testid="stApp"]'), NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const el = walk.currentNode.parentElement;
    if (!el || el.closest(skip) || !walk.currentNode.textContent.trim()) continue;
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    if (r.width > 2 && r.height > 2 && s.visibility !== 'hidden' && parseFloat(s.fontSize) > 0
        && !el.closest('[aria-hidden="true"]') && el.checkVisibility()) out.push(walk.currentNode.textContent);
  }
  return out.join('\\n');
}"""
FILE_NAME = re.compile(r"[\w\-.（）()]+\.(?:xlsx|xls|csv)", re.I)
ALLOWED = {"Language", "English", "CSV", "Excel", "XLSX", "XLS", "KB", "MB"}
RAW_PERIOD = re.compile(r"\d{4}(?:Q[1-4]|-\d{2}-D[1-3]|-?W\d{1,2})|\b\d{4}-\d{2}\b(?!-)")


def english_words(page) -> list[str]:
    text = FILE_NAME.sub("", page.evaluate(VISIBLE_TEXT))
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ALLOWED]


def raw_periods(page) -> list[str]:
    return RAW_PERIOD.findall(FILE_NAME.sub("", page.evaluate(VISIBLE_TEXT)))


@pytest.fixture
def admin_store(demo_store, tmp_path):
    shutil.copytree(demo_store.root, tmp_path / "store")
    store = Store(tmp_path / "store")
    users.add_user(database_url(store.root), Actor.cli_operator(), "boss", "admin", password=PASSWORD,
                   display_name="李管理")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["期间", "单位", "指标", "目标值", "节点目标", "完成值", "备注"])
    ws.append(["2021年1-9月", "衡南县", "新增学位", None, None, 1299])
    buf = io.BytesIO()
    wb.save(buf)
    (tmp_path / "衡南县.xlsx").write_bytes(buf.getvalue())
    return store


def _sidebar_nav(page) -> str:
    return page.locator('[data-testid="stSidebarNav"]').inner_text()


def test_chinese_data_page_import_and_language_switch(admin_store, tmp_path):
    store = admin_store
    before = store.latest_version()
    with streamlit_server(store.root, anonymous=False) as url, sync_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport=DESKTOP).new_page()
        browser_sign_in(page, url, "boss", PASSWORD, "李管理（管理员）")
        page.goto(url + "/data")
        wait_ready(page)
        page.wait_for_selector('[data-testid="stFileUploaderDropzone"]')
        assert english_words(page) == [] and raw_periods(page) == []
        # the upload box speaks Chinese: its button and its limits line are ours
        box = page.locator('[data-testid="stFileUploaderDropzone"]')
        shown = box.evaluate("""b => Array.from(b.querySelectorAll('*')).map(e =>
            getComputedStyle(e, '::after').content).filter(c => c && c !== 'none' && c !== 'normal').join(' ')""")
        assert "选择文件" in shown and "50MB" in shown and "单个文件" in shown

        page.locator('input[type="file"]').set_input_files(str(tmp_path / "衡南县.xlsx"))
        box.get_by_text("衡南县.xlsx").first.wait_for(timeout=30_000)
        assert english_words(page) == []
        page.get_by_role("button", name="预览", exact=True).click()
        page.wait_for_selector("text=导入预览（尚未写入）", timeout=60_000)
        wait_ready(page)
        assert english_words(page) == [] and raw_periods(page) == [] and not errors_on(page)
        page.get_by_role("button", name="确认导入").click()
        page.wait_for_selector("text=已导入 衡南县.xlsx", timeout=60_000)
        wait_ready(page)
        assert store.latest_version() == before + 1
        # the header's store version is the new one on the same screen as the success message
        assert f"数据版本 v{before + 1}" in page.locator('[data-testid="yjx-fresh"]').first.inner_text()
        assert english_words(page) == [] and raw_periods(page) == []

        # one click on English: the sidebar's pages and filters are English at once (and back)
        page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
        page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebarNav\"]')"
                               ".innerText.includes('Overview')", timeout=30_000)
        wait_ready(page)
        nav = _sidebar_nav(page)
        assert "Overview" in nav and "Data" in nav and "总览" not in nav
        assert page.locator('[data-testid="stMain"] h1').first.inner_text() == "Data"
        page.locator('[data-testid="stSidebar"]').get_by_text("中文", exact=True).click()
        page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebarNav\"]')"
                               ".innerText.includes('总览')", timeout=30_000)
        wait_ready(page)
        nav = _sidebar_nav(page)
        assert "数据" in nav and "Overview" not in nav and "View" not in nav
        assert english_words(page) == []
        browser.close()
