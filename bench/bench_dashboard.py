"""Benchmark of the dashboard (a script that prints figures, not a timed test).

    .venv/bin/python bench/bench_dashboard.py              # all three, stores built under bench/out/
    .venv/bin/python bench/bench_dashboard.py --only apptest

In one run, against baselines measured the same way in the same run:

1. browser: warm load of the overview in Chromium (navigation to every chart drawn), divided by the
   warm load of an empty Streamlit page with one title.                         goal <= 2.5x
2. redraw: after a filter change (the period), the time until the overview has redrawn, divided by
   the same on a page with one selectbox (bound to the URL, as every filter of the dashboard is)
   and one chart.                                                              goal <= 1.5x
3. apptest: the overview's AppTest rerun on province-scale data (about 2,000 units × 300 indicators ×
   12 months ≈ 7M rows) divided by the same on the demo data.                   goal <= 2x
4. rss: a fresh process visits every page once (AppTest, the dashboard's caches) at province scale;
   its resident memory afterwards and its peak.                                 goal <= 2.0 GB

Both servers and both AppTests use the repository's .streamlit/config.toml (font, theme).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from metrics import periods as per  # noqa: E402
from metrics.store import Store  # noqa: E402
from tests.conftest_ui import DESKTOP, launch, open_app, streamlit_server, wait_ready  # noqa: E402
from ui import geo  # noqa: E402

OUT = ROOT / "bench" / "out"
EMPTY_PAGE = 'import streamlit as st\n\nst.title("云绩效")\n'
ONE_CHART_PAGE = '''import plotly.graph_objects as go
import streamlit as st

st.title("一个图")
choice = st.selectbox("期间", ["2021年第二季度", "2021年第三季度"], index=1, key="period", bind="query-params")
fig = go.Figure(go.Bar(x=[1, 2, 3], y=["甲", "乙", "丙"], orientation="h"))
fig.update_layout(title=choice)
st.plotly_chart(fig)
'''


# -- stores -----------------------------------------------------------------------------------------


def demo_store() -> Path:
    """The demo sheets imported once through the CLI with their received days (as start.sh does)."""
    root = OUT / "demo_store"
    if Store(root).latest_version() == 0:
        import importlib.util

        spec = importlib.util.spec_from_file_location("demo_received", ROOT / "data" / "demo" / "received" / "import_demo.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert module.import_demo(root) == 0
    return root


def province_store(n_units: int = 2000, n_ind: int = 300, seed: int = 11) -> Path:
    """A province-scale synthetic store: the 12 real counties (the map draws), ~1,700 towns under
    them, departments, parks and the 14 市州; 300 monthly indicators that apply to every assessed
    type; one figure row per month, unit and indicator of 2021 (≈ 7M rows)."""
    root = OUT / f"province_store_{n_units}x{n_ind}"
    if Store(root).latest_version() > 0:
        return root
    rng = np.random.default_rng(seed)
    counties = list(geo.COUNTY_ADCODES.items())
    prefs = list(geo.PREFECTURE_ADCODES.items())
    n_dept, n_park = 200, 60
    n_town = n_units - len(counties) - n_dept - n_park - len(prefs)
    rows = [(code, name, "县市区", "城区" if name.endswith("区") else "县市", "") for name, code in counties]
    rows += [(f"{counties[k % 12][1]}{k:04d}", f"镇{k}", "乡镇", counties[k % 12][0], counties[k % 12][1])
             for k in range(n_town)]
    rows += [(f"D{k:03d}", f"部门{k}", "市直部门", f"部门组{k % 4}", "") for k in range(n_dept)]
    rows += [(f"P{k:03d}", f"园区{k}", "园区", "国家级园区" if k < 10 else "省级园区", "") for k in range(n_park)]
    rows += [(code, name, "市州", "全省", "") for name, code in prefs]
    units = pd.DataFrame(rows, columns=["code", "name", "type", "group", "parent"])
    units["aliases"] = [[] for _ in range(len(units))]
    kind = np.where(rng.random(n_ind) < 0.6, "amount", "rate")
    rate_codes = np.flatnonzero(kind == "rate")
    province_rates = set(rate_codes[:5].tolist())
    indicators = pd.DataFrame({
        "code": [f"I{k:03d}" for k in range(n_ind)], "name": [f"指标{k:03d}" for k in range(n_ind)],
        "category": [("经济发展", "乡村振兴", "民生", "生态环保", "安全稳定")[k % 5] for k in range(n_ind)],
        "measure": np.where(kind == "rate", "%", "亿元"), "kind": kind,
        "direction": np.where(rng.random(n_ind) < 0.15, "lower", "higher"),
        "weight": rng.choice([2.0, 3.0, 5.0], n_ind), "scoring": np.where(kind == "rate", "rank", "ratio"),
        "frequency": "month", "lead": [f"部门{k % n_dept}" for k in range(n_ind)],
        "applies_to": [["县市区", "乡镇", "市直部门", "园区"] + (["市州"] if k in province_rates else [])
                       for k in range(n_ind)],
        "aliases": [[] for _ in range(n_ind)], "band": np.nan, "additive": kind == "amount",
    })
    store = Store(root)
    store.commit_catalog(units, indicators, original=b"synthetic", file_name="catalog.xlsx", user="bench")
    is_pref = (units["type"] == "市州").to_numpy()
    for month in range(1, 13):
        code = f"2021-{month:02d}"
        u = np.repeat(np.arange(len(units)), n_ind)
        i = np.tile(np.arange(n_ind), len(units))
        keep = ~is_pref[u] | np.isin(i, list(province_rates))
        u, i = u[keep], i[keep]
        rate = kind[i] == "rate"
        base = 50 + (u * 7919 + i * 104729) % 950
        target = np.where(rate, 5 + (base % 50) / 10, base).astype(float)
        target[is_pref[u]] = np.nan
        e = month / 12
        actual = np.where(rate, np.round(target + rng.normal(0, 1.2, len(u)), 1),
                          np.round(target * e * rng.normal(1.0, 0.15, len(u)), 2))
        actual[is_pref[u]] = np.round(8 + rng.normal(0, 1.5, int(is_pref[u].sum())), 1)
        actual[rng.random(len(u)) < 0.01] = np.nan
        facts = pd.DataFrame({
            "period": code, "date": pd.Timestamp(per.end_date(code)),
            "unit_code": pd.Categorical(units["code"].to_numpy()[u]),
            "indicator_code": pd.Categorical(indicators["code"].to_numpy()[i]),
            "target": target, "milestone": np.nan, "actual": actual, "note": None,
            "source_file": f"{code}.xlsx", "sheet": "数据", "row": np.arange(2, len(u) + 2)})
        store.commit_figures(facts, original=b"synthetic", file_name=f"{code}.xlsx", user="bench")
        print(f"  province store: {code} {len(facts):,} rows", file=sys.stderr)
    return root


# -- measurements -----------------------------------------------------------------------------------


def _median_time(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        action()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def browser_load(store: Path, repeat: int) -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        empty = Path(tmp) / "empty_page.py"
        empty.write_text(EMPTY_PAGE, encoding="utf-8")
        browser = launch(p)
        page = browser.new_page(viewport=DESKTOP)
        out = {}
        for name, script, charts in (("empty", str(empty), False), ("overview", "dashboard.py", True)):
            with streamlit_server(store, script=script) as url:
                def load(url=url, charts=charts):
                    page.goto(url)
                    wait_ready(page, charts=charts, settle_ms=0)
                load()  # cold: fills the caches of the server and the browser
                load()
                out[name] = _median_time(load, repeat)
        browser.close()
    out["ratio"] = out["overview"] / out["empty"]
    return out


def browser_redraw(store: Path, repeat: int) -> dict:
    """Time from choosing another period to the page redrawn (charts drawn, script finished)."""
    from playwright.sync_api import sync_playwright

    options = ["2021年第二季度", "2021年第三季度"]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        one = Path(tmp) / "one_chart.py"
        one.write_text(ONE_CHART_PAGE, encoding="utf-8")
        browser = launch(p)
        page = browser.new_page(viewport=DESKTOP)
        out = {}
        for name, script, probe in (("one_chart", str(one), ".gtitle"), ("overview", "dashboard.py", None)):
            with streamlit_server(store, script=script) as url:
                page.goto(url)
                wait_ready(page, charts=True)
                times = []
                for k in range(repeat + 2):  # two warm-up switches fill the caches of both periods
                    option = options[k % 2]
                    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="期间").first
                    box.click()
                    box.locator("input").fill(option)
                    target = page.get_by_role("option", name=option, exact=True)
                    target.wait_for()
                    t0 = time.perf_counter()
                    target.click()
                    if probe:
                        page.wait_for_function("([sel, text]) => { const e = document.querySelector(sel);"
                                               " return e && e.textContent.includes(text); }", arg=[probe, option])
                    else:
                        page.wait_for_function("(text) => { const e = document.querySelector("
                                               "'[data-testid=\"yjx-fresh\"]'); return e && e.innerText.includes(text); }",
                                               arg=option)
                    wait_ready(page, charts=True, settle_ms=0)
                    if k >= 2:
                        times.append(time.perf_counter() - t0)
                out[name] = statistics.median(times)
        browser.close()
    out["ratio"] = out["overview"] / out["one_chart"]
    return out


def apptest_rerun(demo: Path, province: Path, repeat: int) -> dict:
    out = {}
    for name, store in (("demo", demo), ("province", province)):
        t0 = time.perf_counter()
        at = open_app(store, timeout=1800)
        first = time.perf_counter() - t0
        assert not at.exception, [e.value for e in at.exception]
        at.run()
        out[name] = _median_time(at.run, repeat)
        out[f"{name}_first"] = first
        out[f"{name}_rows"] = len(Store(store).figures())
    out["ratio"] = out["province"] / out["demo"]
    return out


PAGES = ["overview", "counties", "departments", "parks", "province", "indicator", "data", "assessment", "bulletin"]


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_child(store: str) -> None:
    """In a fresh process (as a fresh server): one visit of every page through AppTest, which runs the
    pages in this process with the dashboard's caches; prints the resident memory after each."""
    import gc

    for page in PAGES:
        t0 = time.perf_counter()
        at = open_app(store, f"pages/{page}.py", timeout=1800)
        assert not at.exception, [e.value for e in at.exception]
        del at
        gc.collect()
        print(f"  after {page:12s} RSS {_status_mb('VmRSS'):8,.0f} MB  ({time.perf_counter() - t0:.1f} s)", flush=True)
    print(f"RSS {_status_mb('VmRSS'):.0f} peak {_status_mb('VmHWM'):.0f}", flush=True)


def server_rss(store: Path) -> dict:
    import subprocess

    out = subprocess.run([sys.executable, __file__, "--rss-child", str(store)], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    print(out.rstrip())
    last = out.strip().splitlines()[-1].split()
    return {"rss": float(last[1]), "peak": float(last[3])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["browser", "redraw", "apptest", "rss"], action="append")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rss-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_child:
        os.chdir(ROOT)
        rss_child(args.rss_child)
        return 0
    only = set(args.only or ["browser", "redraw", "apptest", "rss"])
    OUT.mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)
    demo = demo_store()
    results = {}
    if "browser" in only:
        r = browser_load(demo, args.repeat)
        results["browser"] = r
        print(f"warm load   overview {r['overview']:.3f}s / empty page {r['empty']:.3f}s = {r['ratio']:.2f}x "
              f"(goal <= 2.5x)")
    if "redraw" in only:
        r = browser_redraw(demo, args.repeat)
        results["redraw"] = r
        print(f"redraw      overview {r['overview']:.3f}s / one-chart page {r['one_chart']:.3f}s = {r['ratio']:.2f}x "
              f"(goal <= 1.5x)")
    if "apptest" in only:
        province = province_store()
        r = apptest_rerun(demo, province, args.repeat)
        results["apptest"] = r
        print(f"AppTest     province {r['province']:.3f}s ({r['province_rows']:,} rows) / demo {r['demo']:.3f}s "
              f"({r['demo_rows']:,} rows) = {r['ratio']:.2f}x (goal <= 2x); first runs "
              f"{r['province_first']:.1f}s / {r['demo_first']:.1f}s")
    if "rss" in only:
        r = server_rss(province_store())
        results["rss"] = r
        print(f"server RSS  after one visit of every page at province scale {r['rss'] / 1024:.2f} GB "
              f"(goal <= 2.0 GB), peak {r['peak'] / 1024:.2f} GB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
