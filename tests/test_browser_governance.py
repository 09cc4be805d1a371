"""In Chromium: a 填报员 signs in through the sign-in page (the session survives a reload), uploads a
sheet with another unit's row (refused, the row named), fixes it, previews the diff and confirms.
Screenshots go to test-artifacts/ (looked at when the flow changes)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from playwright import sync_api

from metrics import users
from metrics.access import Actor
from metrics.catalog import Catalog
from metrics.db import database_url
from metrics.store import Store
from tests.conftest_ui import (
    ARTIFACTS,
    DESKTOP,
    browser_sign_in,
    errors_on,
    launch,
    streamlit_server,
    wait_ready,
)

PASSWORD = "衡阳-浏览器-测试1"


def _sheet(path, rows) -> str:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["期间", "单位", "指标", "目标值", "节点目标", "完成值", "备注"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return str(path)


@pytest.fixture
def reporter_store(demo_store, tmp_path):
    shutil.copytree(demo_store.root, tmp_path / "store")
    store = Store(tmp_path / "store")
    units = users.resolve_units(["衡南县"], Catalog(*store.catalog()))
    users.add_user(database_url(store.root), Actor.cli_operator(), "wang", "reporter", units=units,
                   password=PASSWORD, display_name="王填报")
    return store


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"governance-{name}.png"), full_page=True)


def _upload(page, path):
    page.locator('input[type="file"]').set_input_files(path)
    page.locator('[data-testid="stFileUploader"]').get_by_text(Path(path).name).first.wait_for(timeout=30_000)
    page.get_by_role("button", name="预览").click()
    page.wait_for_timeout(300)
    wait_ready(page)


def test_reporter_signs_in_is_refused_another_unit_then_previews_and_confirms(reporter_store, tmp_path):
    store = reporter_store
    before = store.latest_version()
    with streamlit_server(store.root, anonymous=False) as url, sync_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport=DESKTOP).new_page()
        browser_sign_in(page, url, "wang", PASSWORD, "王填报（填报员）")
        wait_ready(page)
        page.wait_for_timeout(1000)
        page.reload()                                          # the session survives a reload
        wait_ready(page)
        page.wait_for_selector("text=当前用户：王填报（填报员）", timeout=30_000)
        page.goto(url + "/data")
        wait_ready(page)
        _upload(page, _sheet(tmp_path / "衡南县报表.xlsx", [["2021年1-9月", "衡南县", "新增学位", None, None, 1234],
                                                           ["2021年1-9月", "珠晖区", "新增学位", None, None, 999]]))
        page.wait_for_selector("text=不在账号 wang 负责的单位内")
        [error] = errors_on(page)
        assert "第 3 行" in error and "珠晖区" in error and store.latest_version() == before
        _shot(page, "1-refused")
        _upload(page, _sheet(tmp_path / "衡南县报表改.xlsx", [["2021年1-9月", "衡南县", "新增学位", None, None, 1234]]))
        page.wait_for_selector("text=导入预览（尚未写入）")
        assert store.latest_version() == before and not errors_on(page)
        _shot(page, "2-preview")
        page.get_by_role("button", name="确认导入").click()
        page.wait_for_selector("text=已导入 衡南县报表改.xlsx")
        wait_ready(page)
        assert store.latest_version() == before + 1 and store.manifest(before + 1)["user"] == "wang"
        _shot(page, "3-imported")
        browser.close()
