"""Helpers for the dashboard's tests and benchmark: a real ``streamlit run`` on a free port and
Debian's Chromium driven by Playwright (never ``playwright install``: no browser downloads).

Imported by tests/test_browser.py, tests/test_pages_*.py and bench/bench_dashboard.py.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}
GRAPHICS = ('[data-testid="stPlotlyChart"] .main-svg, svg.yjx-map path, [data-testid="yjx-matrix"] td, '
            '[data-testid="yjx-movers"] td')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerDied(RuntimeError):
    """The streamlit process exited or never became healthy; carries its own output."""


def allow_anonymous(store: Path | str, allowed: bool = True) -> str:
    """Set the store's ``anonymous_read`` as the demo does (on), or off; returns the database URL."""
    from metrics import site
    from metrics.access import Actor
    from metrics.db import database_url, upgrade

    url = database_url(Path(store))
    upgrade(url)
    if site.get(url, "anonymous_read") != allowed:
        site.set_setting(url, Actor.cli_operator(), "anonymous_read", allowed)
    return url


@contextlib.contextmanager
def streamlit_server(store: Path | str, script: str = "server.py", timeout: float = 60.0,
                     cwd: Path = ROOT, anonymous: bool = True) -> Iterator[str]:
    """``streamlit run`` on a free port against a store (anonymous reading on unless ``anonymous=False``);
    yields the base URL, stops it afterwards.  If the server dies or never gets healthy, the error
    carries the server's own output."""
    allow_anonymous(store, anonymous)
    port = free_port()
    env = {**os.environ, "METRICS_STORE": str(store), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.headless", "true",
           "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise ServerDied(f"streamlit exited with {proc.returncode}:\n{_read(log)}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise ServerDied(f"streamlit did not become healthy in {timeout}s:\n{_read(log)}")
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _read(log) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")[-5000:]


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def browser_sign_in(page, url: str, name: str, password: str, shown_as: str | None = None) -> None:
    """Open ``url`` and sign in as a person does; returns once the account box names the account
    (``shown_as``, e.g. "张管理（管理员）") or offers 退出登录."""
    page.goto(url)
    wait_ready(page)
    page.get_by_label("账号").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    if shown_as:
        page.wait_for_selector(f"text=当前用户：{shown_as}", timeout=60_000)
    else:
        page.get_by_role("button", name="退出登录").wait_for(timeout=60_000)


def wait_ready(page, timeout: float = 60_000, charts: bool = False, settle_ms: int = 150) -> None:
    """Wait until the app is connected, its script has finished running and every chart is drawn.

    Plotly charts mount a moment after the script finishes (their code loads lazily), so a page
    known to have charts (``charts=True``) also waits for at least one drawn graphic: a plotly
    chart's SVG, the SVG map or the status matrix."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=timeout)
    page.wait_for_selector('[data-testid="stMain"] :is(h1, h2)', timeout=timeout)  # the script has run once
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning';
        }""", timeout=timeout)
    page.wait_for_function(  # and stays so: the same number of elements twice, 300 ms apart (a rerun
        # right after the first run, e.g. once the session cookie is read, empties the page for a moment)
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            const idle = app && app.getAttribute('data-test-script-state') === 'notRunning';
            const n = idle ? document.querySelectorAll('[data-testid="stMain"] *').length : -1;
            const same = n > 0 && window.__yjxElements === n;
            window.__yjxElements = n;
            return same;
        }""", polling=300, timeout=timeout)
    page.wait_for_function(  # every plotly chart has drawn its SVG
        """(atLeastOne) => {
            const all = Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'));
            const drawn = document.querySelectorAll(GRAPHICS).length;
            return (!atLeastOne || drawn > 0) && all.every(c => c.querySelector('.main-svg'));
        }""".replace("GRAPHICS", repr(GRAPHICS)), arg=charts, timeout=timeout)
    if settle_ms:
        page.wait_for_timeout(settle_ms)


def at_least(page, selector: str, n: int, timeout: float = 30_000) -> int:
    """Wait until ``selector`` (a Playwright selector) matches at least ``n`` elements, then return how
    many it matches.

    Counting at once races the browser: a rerun or a lazily mounted table can still be on its way
    when the script state says idle, above all on a loaded machine."""
    deadline = time.monotonic() + timeout / 1000
    while (count := page.locator(selector).count()) < n and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    return count


def errors_on(page) -> list[str]:
    """Texts of exception and error elements on the page (none is expected)."""
    found = []
    for sel in ('[data-testid="stException"]', '[data-testid="stAlertContentError"]'):
        found += [e.inner_text()[:300] for e in page.query_selector_all(sel)]
    return found


def horizontal_overflow(page) -> int:
    """How many pixels the main content is wider than the viewport (0 = no sideways scrolling)."""
    return page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]') || document.body;
        return Math.max(document.documentElement.scrollWidth, main.scrollWidth) - window.innerWidth;
    }""")


def full_screenshot(page, path: Path | str) -> None:
    """The whole page: Streamlit scrolls inside its main container, so grow the viewport to fit it."""
    size = page.viewport_size
    height = page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]');
        return Math.max(main ? main.scrollHeight : 0, document.documentElement.scrollHeight);
    }""")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(height, 12000))})
    page.wait_for_timeout(400)
    wait_ready(page)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


# -- AppTest helpers --------------------------------------------------------------------------------

DASHBOARD = str(ROOT / "dashboard.py")


def open_app(store: Path | str, page: str | None = None, timeout: float = 120, anonymous: bool = True,
             login: tuple[str, str] | None = None, **params):
    """Run the dashboard in AppTest against a store, on a page, with URL query parameters.

    Bound filters take the option *as displayed* in the URL (e.g. ``period=2021年第二季度``).
    The store is given to each run through $METRICS_STORE, which is put back afterwards so other
    tests see the environment they started with.  Anonymous reading is on (as in the demo) unless
    ``anonymous=False``; ``login=(name, password)`` signs in first, as the sign-in page does.
    """
    from streamlit.testing.v1 import AppTest

    db = allow_anonymous(store, anonymous)

    at = AppTest.from_file(DASHBOARD, default_timeout=timeout)
    run = at._run

    def run_with_store(*args, **kwargs):
        old = os.environ.get("METRICS_STORE")
        os.environ["METRICS_STORE"] = str(store)
        try:
            return run(*args, **kwargs)
        finally:
            if old is None:
                os.environ.pop("METRICS_STORE", None)
            else:
                os.environ["METRICS_STORE"] = old

    at._run = run_with_store  # every run, including widget.set_value(...).run()
    for key, value in params.items():
        at.query_params[key] = value
    if login is not None:
        sign_in(at, db, *login)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def sign_in(at, db: str, name: str, password: str) -> None:
    """Sign ``at`` in through :func:`metrics.signin.login` (what the sign-in form calls), no browser."""
    from metrics import signin
    from ui import identity

    opened, _actor = signin.login(db, name, password)
    at.session_state[identity.SESSION_KEY] = opened.id


def plotly_specs(at) -> list[dict]:
    """Every plotly figure on the page as the dict the browser receives."""
    import json

    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def assert_clean(at) -> None:
    """No exception and no error element on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def reference(store_root: Path | str, period: str | None = None):
    """The metrics the pages must show, computed directly from the engine (no Streamlit)."""
    from metrics import periods as per
    from metrics import views
    from metrics.compute import Engine
    from metrics.store import Store

    store = Store(store_root)
    units, indicators = store.catalog()
    figures = store.figures()
    engine = Engine(units, indicators, figures)
    options = views.period_options(figures)
    period = period or views.default_period(options)
    codes = views.trend_periods(options, period)
    return views.Context(units=units, indicators=indicators, period=period, now=engine.compute(period),
                         prev=engine.compute(per.previous(period)), figures=figures,
                         hist_loader=lambda: engine.compute(list(codes), provenance=False))


def arr(value) -> list:
    """A plotly array as a list, whether plain or base64-typed ({"dtype", "bdata"}) as plotly sends it."""
    import base64

    import numpy as np

    if isinstance(value, dict) and "bdata" in value:
        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        if "shape" in value:
            data = data.reshape([int(n) for n in str(value["shape"]).split(",")])
        return data.tolist()
    return list(value)


def html_bodies(at) -> list[str]:
    """Bodies of every st.html and st.markdown element (the matrix, the map, the movers)."""
    return [h.proto.body for h in at.get("html")] + [m.value for m in at.markdown]


def status_matrix(at_or_html) -> dict:
    """The status matrix as {"cols", "rows", "cells": {(row, col): (text, title, status)}}."""
    import xml.etree.ElementTree as ET

    body = at_or_html if isinstance(at_or_html, str) else next(
        b for b in html_bodies(at_or_html) if 'data-testid="yjx-matrix"' in b)
    root = ET.fromstring(body)
    cols = [th.findtext("span") for th in root.iter("thead").__next__().iter("th")][1:]
    rows, cells = [], {}
    for tr in root.find("table/tbody"):
        name = tr.find("th").text
        rows.append(name)
        for col, td in zip(cols, tr.findall("td"), strict=True):
            if td.get("class"):
                cells[(name, col)] = (td.text, td.get("title"), td.get("class").removeprefix("s-"))
    return {"cols": cols, "rows": rows, "cells": cells}


def svg_map(at_or_svg) -> dict:
    """The SVG map as {"units": {adcode: (points, fill, title)}, "labels": [...], "callouts": [...]}."""
    import re
    import xml.etree.ElementTree as ET

    body = at_or_svg if isinstance(at_or_svg, str) else next(b for b in html_bodies(at_or_svg) if "yjx-map" in b)
    ns = {"s": "http://www.w3.org/2000/svg"}
    root = ET.fromstring(body)
    units = {}
    for path in root.findall("s:path", ns):
        points = len(re.findall(r"[MLml]", path.get("d")))
        units[path.get("data-adcode")] = (points, path.get("fill"), path.findtext("s:title", namespaces=ns))
    labels = ["".join(t.itertext()) for t in root.findall("s:text[@class='label']", ns)]
    callouts = ["".join(g.find("s:text", ns).itertext()) for g in root.findall("s:g[@class='callout']", ns)]
    return {"units": units, "labels": labels, "callouts": callouts}
