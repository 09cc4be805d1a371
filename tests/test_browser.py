"""The dashboard in a real Chromium (Debian's /usr/bin/chromium) against a real ``streamlit run``.

Every page renders without an exception or error element and draws its charts, nothing is
fetched from the internet, a filter change updates the page, presenter mode steps forward, and
screenshots at 1440×900 and 390×844 are saved under test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import re
from urllib.parse import quote

import pytest

from tests.conftest_ui import (
    ARTIFACTS,
    CHROMIUM,
    DESKTOP,
    GRAPHICS,
    PHONE,
    PROJECTOR,
    at_least,
    errors_on,
    full_screenshot,
    horizontal_overflow,
    launch,
    streamlit_server,
    wait_ready,
)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium")]
sync_api = pytest.importorskip("playwright.sync_api")

PAGES = {  # name -> path and query (bound filters take the option as displayed)
    "overview": "",
    "counties": "counties?unit=" + quote("衡阳县"),
    "departments": "departments?unit=" + quote("市发展和改革委员会"),
    "parks": "parks?unit=" + quote("衡阳高新区"),
    "indicator": "indicator",
    "province": "province",
    "data": "data",
}
LOCAL = re.compile(r"^(http://127\.0\.0\.1[:/]|data:|blob:|about:)")


@pytest.fixture(scope="module")
def server(demo_store):
    with streamlit_server(demo_store.root) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def outside(browser):
    """Pages with a record of every request that left this machine."""
    contexts, requests = [], []

    def make(viewport):
        ctx = browser.new_context(viewport=viewport)
        contexts.append(ctx)
        page = ctx.new_page()
        page.on("request", lambda r: requests.append(r.url) if not LOCAL.match(r.url) else None)
        return page

    yield make, requests
    for ctx in contexts:
        ctx.close()


def _shoot(page, name: str, size: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"))
    full_screenshot(page, ARTIFACTS / f"{name}-{size}-full.png")


@pytest.mark.parametrize(("viewport", "size"), [(DESKTOP, "1440x900"), (PHONE, "390x844")])
def test_every_page_renders_and_draws(server, outside, viewport, size):
    make, requests = outside
    page = make(viewport)
    for name, path in PAGES.items():
        page.goto(f"{server}/{path}")
        wait_ready(page, charts=name != "data")
        assert errors_on(page) == [], name
        assert page.locator('[data-testid="stException"]').count() == 0
        if name != "data":
            assert at_least(page, GRAPHICS, 1), f"{name}: no chart drawn"
        if name == "overview":
            # the map and the matrix mount after the script has run: wait for them, then count
            page.wait_for_function("""() => document.querySelectorAll('svg.yjx-map path.unit').length >= 12
                && document.querySelectorAll('[data-testid="yjx-matrix"] td[title]').length > 100""",
                                   timeout=60_000)
            assert page.locator("svg.yjx-map path.unit").count() == 12, "the 12 counties on the map"
            assert page.locator('[data-testid="yjx-matrix"] td[title]').count() > 100
        assert at_least(page, '[data-testid="yjx-fresh"]', 1) == 1, f"{name}: no freshness line"
        if viewport is PHONE:
            assert horizontal_overflow(page) <= 0, f"{name}: sideways scrolling on a phone"
        _shoot(page, name, size)
    assert requests == [], "nothing may be fetched from the internet"


def test_cjk_font_is_served_locally_and_used(server, outside):
    make, _ = outside
    page = make(DESKTOP)
    page.goto(server)
    wait_ready(page, charts=True)
    assert page.evaluate("() => document.fonts.check('16px NotoSansSC', '衡阳')")
    loaded = page.evaluate("() => Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family)")
    assert any("NotoSansSC" in f for f in loaded)
    map_font = page.locator("svg.yjx-map text").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert "NotoSansSC" in map_font
    page.goto(f"{server}/indicator")
    wait_ready(page, charts=True)
    chart_font = page.locator('[data-testid="stPlotlyChart"] .main-svg text').first.evaluate(
        "e => getComputedStyle(e).fontFamily")
    assert "NotoSansSC" in chart_font


def test_cards_stack_on_a_phone(server, outside):
    make, _ = outside
    page = make(PHONE)
    page.goto(server)
    wait_ready(page, charts=True)
    # 5 headline cards, 本旬未按时报送, and the supervision office's counts below them
    assert at_least(page, '[data-testid="stMetric"]', 11) == 11
    labels = [m.inner_text().split(chr(10))[0].strip() for m in page.locator('[data-testid="stMetric"]').all()]
    assert labels[:6] == ["达到序时进度", "落后序时进度", "红灯", "未报送单位", "全省排名", "本旬未按时报送"], labels
    boxes = [m.bounding_box() for m in page.locator('[data-testid="stMetric"]').all()]
    # the headline cards one above another (the supervision counts sit indented in their own box)
    assert len({round(b["x"]) for b in boxes[:6]}) == 1, "cards are one above another"
    assert all(b2["y"] > b1["y"] for b1, b2 in zip(boxes, boxes[1:], strict=False))
    assert all(b["x"] + b["width"] <= PHONE["width"] for b in boxes)


def test_a_filter_change_updates_the_page_and_the_url(server, outside):
    make, _ = outside
    page = make(DESKTOP)
    page.goto(server)
    wait_ready(page)
    fresh = page.locator('[data-testid="yjx-fresh"]')
    assert "2021年第四季度" in fresh.inner_text()
    red_before = page.locator('[data-testid="stMetric"]').nth(2).locator('[data-testid="stMetricValue"]').inner_text()
    sidebar = page.locator('[data-testid="stSidebar"]')
    box = sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="期间")
    box.click()
    box.locator("input").fill("2021年第二季度")
    page.get_by_role("option", name="2021年第二季度", exact=True).click()
    page.wait_for_function("() => document.querySelector('[data-testid=\"yjx-fresh\"]').innerText.includes('第二季度')")
    wait_ready(page)
    assert "period=" in page.url
    red_after = page.locator('[data-testid="stMetric"]').nth(2).locator('[data-testid="stMetricValue"]').inner_text()
    assert red_after != red_before
    page.goto(page.url)  # the link reproduces the view
    wait_ready(page)
    assert "2021年第二季度" in page.locator('[data-testid="yjx-fresh"]').inner_text()


def test_language_switch(server, outside):
    make, _ = outside
    page = make(DESKTOP)
    page.goto(server)
    wait_ready(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    page.wait_for_function("() => document.querySelector('h1') && document.querySelector('h1').innerText.includes('Overview')")
    wait_ready(page)
    assert "Period:" in page.locator('[data-testid="yjx-fresh"]').inner_text()
    assert errors_on(page) == []


def test_overview_tabs_open_on_click_and_by_link(server, outside):
    make, _ = outside
    page = make(DESKTOP)
    page.goto(server)
    wait_ready(page, charts=True)
    assert at_least(page, '[data-testid="yjx-movers"] td', 1)
    page.get_by_role("tab", name="短板").click()
    page.wait_for_function("() => location.search.includes('tab=')")
    page.wait_for_selector('[role="tabpanel"]:visible [data-testid="stDataFrame"]')  # computed on opening
    wait_ready(page, charts=True)
    assert page.locator('[role="tabpanel"]:visible [data-testid="stPlotlyChart"]').count() == 1
    # the shortfalls table (its sources sit in an expander under it: issue 13 item 6)
    tables = '[role="tabpanel"]:visible [data-testid="stDataFrame"]'
    assert page.locator(f'{tables}:not([data-testid="stExpander"] *)').count() == 1
    assert page.locator(f'{tables}').count() == 2
    page.goto(page.url)  # a link to the tab opens it
    page.wait_for_selector('[role="tabpanel"]:visible [data-testid="stDataFrame"]')
    wait_ready(page, charts=True)
    assert errors_on(page) == []


def test_county_tabs_draw_their_charts(server, outside):
    make, _ = outside
    page = make(DESKTOP)
    page.goto(f"{server}/{PAGES['counties']}")
    wait_ready(page, charts=True)
    for tab in page.get_by_role("tab").all():
        tab.click()
        wait_ready(page)
        assert at_least(page, f'[role="tabpanel"]:visible :is({GRAPHICS})', 1), tab.inner_text()
    assert errors_on(page) == []


def test_presenter_mode_steps_forward(server, outside):
    make, requests = outside
    page = make(PROJECTOR)
    page.goto(f"{server}/?present=true&pins=" + quote("指标"))
    wait_ready(page, charts=True)
    sync_api.expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden(timeout=30_000)
    sync_api.expect(page.locator('[data-testid="stHeader"]')).to_be_hidden(timeout=30_000)
    assert page.locator("h2").first.inner_text() == "总览"
    assert "2021年第四季度" in page.locator('[data-testid="yjx-fresh"]').inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "presenter-1-1920x1080.png"))
    expected = ["县市区综合排名", "短板", "全省排名", "追加：指标"]
    for n, title in enumerate(expected, start=2):
        if n % 2:
            page.locator('[data-testid="stPaginationNext"]').click()
        else:
            page.keyboard.press("ArrowRight")  # a presenter's clicker
        page.wait_for_function(f"() => document.querySelector('h2') && document.querySelector('h2').innerText === '{title}'")
        wait_ready(page)
        assert f"slide={n}" in page.url
        assert errors_on(page) == []
        assert "数据截至 2021-12-31" in page.locator('[data-testid="yjx-fresh"]').inner_text()
        page.screenshot(path=str(ARTIFACTS / f"presenter-{n}-1920x1080.png"))
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => document.querySelector('h2').innerText === '全省排名'")
    assert requests == []


SCROLL_JS = """() => Math.max(document.documentElement.scrollHeight,
    ...Array.from(document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"], section.main'))
        .map(e => e.scrollHeight))"""


def test_presenter_slides_fit_the_projector(server, outside):
    """Every slide of the sequence (all pinnable pages pinned, one by its English name) fits 1920×1080
    without scrolling; the pager shows every slide; PageDown/PageUp step; chart labels are big."""
    make, _ = outside
    page = make(PROJECTOR)
    pins = "&".join("pins=" + quote(p) for p in ("Counties", "市直部门", "parks", "指标"))
    page.goto(f"{server}/?present=true&{pins}")
    wait_ready(page, charts=True)
    titles = ["总览", "县市区综合排名", "短板", "全省排名", "追加：县市区", "追加：市直部门", "追加：园区", "追加：指标"]
    for n, title in enumerate(titles, start=1):
        if n > 1:
            page.keyboard.press("PageDown")
        page.wait_for_function(f"() => document.querySelector('h2') && document.querySelector('h2').innerText === '{title}'")
        wait_ready(page)
        assert errors_on(page) == []
        page.wait_for_function("""() => Array.from(document.querySelectorAll('[data-testid="stPagination"] button'))
            .filter(b => /^\\d+$/.test(b.innerText.trim())).length === 8""", timeout=30_000)
        visible = page.locator('[data-testid="stPagination"] button:visible').all_inner_texts()
        assert [str(i) for i in range(1, len(titles) + 1)] == [v for v in visible if v.isdigit()], visible
        height = page.evaluate(SCROLL_JS)
        page.screenshot(path=str(ARTIFACTS / f"presenter-fit-{n}-1920x1080.png"))
        assert height <= PROJECTOR["height"], f"slide {n} ({title}) scrolls: {height}px"
        sizes = page.evaluate("""() => Array.from(document.querySelectorAll(
            '[data-testid="stPlotlyChart"] .main-svg text.xtick, [data-testid="stPlotlyChart"] .main-svg .ytick text'))
            .map(e => parseFloat(getComputedStyle(e).fontSize))""")
        assert not sizes or min(sizes) >= 24, f"slide {n}: chart labels of {min(sizes)}px"
    page.keyboard.press("PageUp")
    page.wait_for_function("() => document.querySelector('h2').innerText === '追加：园区'")
