"""Two ``streamlit run`` replicas sharing PostgreSQL and an S3 server, behind Debian's nginx on the
configuration rendered from deploy/: an administrator's import through replica A's 数据 page is shown
by replica B, the balancer's health route answers, and the site keeps serving when replica A dies.
Checked in Chromium (screenshots in test-artifacts/replica_*.png)."""

from __future__ import annotations

import json
import os
import shutil
import urllib.request

from conftest_ui import ARTIFACTS, browser_sign_in, launch, wait_ready
from playwright.sync_api import sync_playwright
from replica_servers import REPO, free_port, start_nginx, start_streamlit, stop, wait_http

from metrics import site, users
from metrics.access import Actor
from metrics.importer import import_file
from metrics.store import Store

DEMO = REPO / "data" / "demo"
PASSWORD = "衡阳-副本-测试1"


def _health(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/healthz", timeout=5) as resp:
        return json.loads(resp.read())


def _fresh(page) -> str:
    return page.get_by_test_id("yjx-fresh").inner_text()


def _preview_and_confirm(page, url: str, sheet) -> None:
    """On a replica's 数据 page: choose the file, 预览, then 确认导入 (the commit then runs on that replica)."""
    page.goto(url + "/data")
    wait_ready(page)
    page.locator('input[type="file"]').set_input_files(str(sheet))
    page.locator('[data-testid="stFileUploader"]').get_by_text(sheet.name).first.wait_for(timeout=30_000)
    page.get_by_role("button", name="预览", exact=True).click()
    page.wait_for_selector("text=导入预览（尚未写入）", timeout=120_000)
    page.get_by_role("button", name="确认导入").click()


def test_two_replicas_behind_nginx(s3_store, pg_database, tmp_path):
    store = Store(s3_store)
    import_file(DEMO / "catalog.xlsx", store, db_url=pg_database)
    import_file(DEMO / "2021Q2_县市区主要指标.xlsx", store, db_url=pg_database)
    users.add_user(pg_database, Actor.cli_operator(), "zhang", "admin", password=PASSWORD, display_name="张管理")
    site.set_setting(pg_database, Actor.cli_operator(), "anonymous_read", False)   # the session's database: start closed
    env = {k: v for k, v in os.environ.items() if k.startswith(("AWS_", "METRICS_DB"))} | {"METRICS_STORE": s3_store}
    ports = [free_port(), free_port()]
    replicas = [start_streamlit(p, env | {"METRICS_REPLICA": name}, tmp_path / f"{name}.log")
                for p, name in zip(ports, ("A", "B"), strict=True)]
    balancer, temp = None, None
    try:
        for p, proc in zip(ports, replicas, strict=True):
            wait_http(f"http://127.0.0.1:{p}/healthz", timeout=90, proc=proc)
        front = free_port()
        balancer, temp = start_nginx([f"127.0.0.1:{p}" for p in ports], front)
        site_url = f"http://127.0.0.1:{front}"
        wait_http(f"{site_url}/healthz", proc=balancer)
        assert _health(f"http://127.0.0.1:{ports[0]}") | {"replica": "A"} == _health(f"http://127.0.0.1:{ports[1]}") | {"replica": "A"}
        assert _health(site_url)["version"] == 2 and _health(site_url)["ok"] is True

        ARTIFACTS.mkdir(exist_ok=True)
        with sync_playwright() as pw:
            browser = launch(pw)
            # an administrator signs in on replica A (the site asks everyone to sign in at first) …
            a_url = f"http://127.0.0.1:{ports[0]}"
            a = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
            browser_sign_in(a, a_url, "zhang", PASSWORD, "张管理（管理员）")
            wait_ready(a)
            site.set_setting(pg_database, Actor.cli_operator(), "anonymous_read", True)   # … then opens reading
            b = browser.new_page(viewport={"width": 1440, "height": 900})
            b.goto(f"http://127.0.0.1:{ports[1]}/")
            wait_ready(b)
            assert "v2" in _fresh(b) and "2021年第二季度" in _fresh(b)

            # the administrator imports through replica A's 数据 page: replica B shows it on its next run
            sheet = DEMO / "2021Q3_县市区主要指标.xlsx"
            _preview_and_confirm(a, a_url, sheet)
            a.wait_for_selector(f"text=已导入 {sheet.name}", timeout=120_000)
            assert Store(s3_store).manifest(3)["user"] == "zhang"
            a.screenshot(path=str(ARTIFACTS / "replica_a_imported.png"))
            b.reload()
            wait_ready(b)
            assert "v3" in _fresh(b) and "2021Q3_县市区主要指标.xlsx" in _fresh(b) and "2021年第三季度" in _fresh(b)
            b.screenshot(path=str(ARTIFACTS / "replica_b_after_import.png"))

            # through nginx: the sticky cookie is set and the websocket reaches a replica
            ctx = browser.new_context(viewport={"width": 1440, "height": 900})
            page = ctx.new_page()
            page.goto(site_url + "/")
            wait_ready(page)
            assert "v3" in _fresh(page)
            assert any(c["name"] == "metrics_route" for c in ctx.cookies())

            # replica A dies: every viewer (whichever replica its cookie hashed to) is served by B
            stop(replicas[0])
            assert _health(site_url)["replica"] == "B"
            for _ in range(3):
                other = browser.new_context(viewport={"width": 1440, "height": 900})
                p = other.new_page()
                p.goto(site_url + "/")
                wait_ready(p)
                assert "v3" in _fresh(p)
                other.close()
            page.reload()
            wait_ready(page)
            assert "v3" in _fresh(page)
            page.screenshot(path=str(ARTIFACTS / "replica_nginx_after_a_died.png"))
            browser.close()
    finally:
        if balancer is not None:
            stop(balancer)
        for proc in replicas:
            stop(proc)
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


# Replica A's import stops after every file of its version is written, before the commit, and writes a
# marker: the test then kills replica A, as a machine dying mid-import would.
HANG_AT_COMMIT = """
import os, pathlib, time
if os.environ.get("METRICS_TEST_HANG_MARKER"):
    import metrics.store as _store

    def _hang(where):
        pathlib.Path(os.environ["METRICS_TEST_HANG_MARKER"]).write_text(str(where))
        time.sleep(600)

    _store._before_publish = _hang
"""


def test_replica_killed_mid_import_leaves_no_partial_version(s3_store, pg_database, tmp_path):
    import signal
    import time

    from metrics.stored.verify import verify

    store = Store(s3_store)
    import_file(DEMO / "catalog.xlsx", store, db_url=pg_database)
    import_file(DEMO / "2021Q2_县市区主要指标.xlsx", store, db_url=pg_database)
    users.add_user(pg_database, Actor.cli_operator(), "zhao", "admin", password=PASSWORD, display_name="赵管理")
    site.set_setting(pg_database, Actor.cli_operator(), "anonymous_read", False)   # the session's database: start closed
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(HANG_AT_COMMIT, encoding="utf-8")
    marker = tmp_path / "written"
    env = {k: v for k, v in os.environ.items() if k.startswith(("AWS_", "METRICS_DB"))} | {"METRICS_STORE": s3_store}
    ports = [free_port(), free_port()]
    replicas = [start_streamlit(ports[0], env | {"METRICS_REPLICA": "A", "PYTHONPATH": str(hook),
                                                 "METRICS_TEST_HANG_MARKER": str(marker)}, tmp_path / "A.log"),
                start_streamlit(ports[1], env | {"METRICS_REPLICA": "B"}, tmp_path / "B.log")]
    try:
        for p, proc in zip(ports, replicas, strict=True):
            wait_http(f"http://127.0.0.1:{p}/healthz", timeout=90, proc=proc)
        ARTIFACTS.mkdir(exist_ok=True)
        with sync_playwright() as pw:
            browser = launch(pw)
            a_url, b_url = (f"http://127.0.0.1:{p}" for p in ports)
            a = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
            browser_sign_in(a, a_url, "zhao", PASSWORD, "赵管理（管理员）")
            site.set_setting(pg_database, Actor.cli_operator(), "anonymous_read", True)   # viewers read without signing in
            sheet = DEMO / "2021Q3_县市区主要指标.xlsx"
            _preview_and_confirm(a, a_url, sheet)
            end = time.monotonic() + 120
            while not marker.exists() and time.monotonic() < end:
                time.sleep(0.2)
            assert marker.exists(), "replica A never reached its commit"
            replicas[0].send_signal(signal.SIGKILL)               # replica A dies with its version written
            replicas[0].wait(10)

            # replica B keeps serving, and no reader sees the half-made version 3
            b = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
            b.goto(b_url + "/")
            wait_ready(b)
            b.screenshot(path=str(ARTIFACTS / "replica_b_after_a_killed.png"))
            assert "v2" in _fresh(b) and "2021年第二季度" in _fresh(b)
            assert _health(b_url)["version"] == 2
            browser.close()
        assert Store(s3_store).latest_version() == 2 and list(Store(s3_store).versions()["version"]) == [1, 2]
        assert verify(s3_store).ok

        # the next import (another replica) is not blocked by the dead one and takes number 3
        import_file(sheet, Store(s3_store), db_url=pg_database)
        assert list(Store(s3_store).versions()["version"]) == [1, 2, 3]
        assert verify(s3_store).ok
    finally:
        for proc in replicas:
            stop(proc)
