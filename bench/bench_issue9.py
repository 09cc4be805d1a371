"""Issue 9 in one run: every ratio of the store's scaling goals, each against its baseline measured
in the same run, printed as one table (a script that prints figures, not a timed test).

    .venv/bin/python bench/bench_issue9.py                  # the real one (province ≈ 7M rows)
    .venv/bin/python bench/bench_issue9.py --scale 0.1      # a quick run (200 units, 30 one-row imports)
    .venv/bin/python bench/bench_issue9.py --skip browser   # without Chromium

Rows of the table:

1. cold ``Store.figures`` after 300 one-row imports ÷ the same store before them     goal <= 1.2
   (one-row imports at both ends too: their ratio and the disk each adds, for information)
2. province ``Store.figures`` (cold) ÷ bare ``pd.read_parquet`` of the same view     goal <= 1.5
3. first overview render in Chromium after a new version, province ÷ demo          goal <= 4
4. import of a 50k-row long template ÷ the fastest bare read of the file           goal <= 2
5. server (``streamlit run``) RSS after one visit of every page at province scale   goal <= 2.0 GB
6. this benchmark's own peak memory (getrusage)                                     goal < 8 GB

Stores are built under bench/out/ and kept (the province one by bench_dashboard.province_store);
every run works on copies, so the kept stores never change.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import metrics.store as store_mod  # noqa: E402
from metrics.importer import import_file  # noqa: E402
from metrics.store import Store  # noqa: E402

OUT = ROOT / "bench" / "out"
GB = 1024 ** 3
ROWS: list[tuple] = []   # (what, measured, baseline, ratio, goal, met)


def cold() -> None:
    """Empty the in-process caches: a read as a fresh server does it."""
    store_mod._cached_part.cache_clear()
    store_mod._cached_catalog_table.cache_clear()
    store_mod._cached_manifest.cache_clear()
    store_mod._VIEW_CACHE.clear()
    gc.collect()


def row(what: str, measured: str, baseline: str, ratio: float | None, goal: str, met: bool | None) -> None:
    ROWS.append((what, measured, baseline, "" if ratio is None else f"{ratio:.2f}", goal,
                 "" if met is None else ("met" if met else "NOT met")))
    print(f"  {what}: {measured} / {baseline} = {'' if ratio is None else f'{ratio:.2f}'} ({goal})", flush=True)


def peak_mb() -> tuple[float, float]:
    """(this process, the largest waited-for child) peak resident memory in MB."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


# -- 1. cold read after one-row imports ---------------------------------------------------------------


def best_cold_read(root: Path, repeat: int, as_of: int | None = None) -> float:
    times = []
    for _ in range(repeat):
        cold()
        t0 = time.perf_counter()
        Store(root).figures(as_of)
        times.append(time.perf_counter() - t0)
    return min(times)


def one_row_facts(store: Store, k: int) -> pd.DataFrame:
    """A correction of one figure the store already holds (what a 补报 file brings)."""
    latest = max(v for v in range(1, store.latest_version() + 1) if store.manifest(v)["kind"] == "figures")
    rows = store.version_figures(latest).head(1).copy()
    rows["actual"] = 1000.0 + k * 0.01
    rows["target"] = rows["milestone"] = float("nan")
    rows["note"] = None
    rows["source_file"], rows["sheet"], rows["row"] = f"补报{k:03d}.xlsx", "Sheet1", 2
    return rows


def one_row_file(store: Store, tmp: Path, k: int) -> Path:
    """The same correction as a long-template workbook (period, unit and indicator by name)."""
    from openpyxl import Workbook

    facts = one_row_facts(store, k)
    units, indicators = store.catalog()
    uname = units.set_index("code")["name"].astype(str)[facts["unit_code"].iloc[0]]
    iname = indicators.set_index("code")["name"].astype(str)[facts["indicator_code"].iloc[0]]
    wb = Workbook()
    ws = wb.active
    ws.append(["期间", "单位", "指标", "目标值", "节点目标", "完成值", "备注"])
    ws.append([str(facts["period"].iloc[0]), uname, iname, None, None, float(facts["actual"].iloc[0]), None])
    path = tmp / f"补报{k:03d}.xlsx"
    wb.save(path)
    return path


def timed_import(store: Store, path: Path) -> float:
    cold()
    t0 = time.perf_counter()
    summary = import_file(path, store, user="")
    assert summary.version is not None, summary
    return time.perf_counter() - t0


def du(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def cold_read_part(work: Path, repeat: int, extra: int) -> None:
    from bench_dashboard import demo_store

    root = work / "demo_versions"
    shutil.copytree(demo_store(), root, ignore=shutil.ignore_patterns("*.sqlite3*", "*.lock"))
    store = Store(root)
    shutil.rmtree(root / "checkpoints", ignore_errors=True)
    store.write_checkpoint()           # the copy's checkpoint as the current code writes it
    v0 = store.latest_version()
    read_0 = best_cold_read(root, repeat)
    imports_0 = [timed_import(store, one_row_file(store, work, k)) for k in range(3)]
    size0 = du(root)
    for k in range(3, extra):          # the same one-row corrections, committed as the importer does
        store.commit_figures(one_row_facts(store, k), original=b"%d" % k, file_name=f"补报{k:03d}.xlsx", user="bench")
    size1 = du(root)
    v1 = store.latest_version()
    read_1 = best_cold_read(root, repeat)
    read_1_at_0 = best_cold_read(root, repeat, as_of=v0)
    imports_1 = [timed_import(store, one_row_file(store, work, extra + k)) for k in range(3)]
    ratio = read_1 / read_0
    row(f"cold Store.figures, demo: {v1} ÷ {v0} versions", f"{read_1 * 1000:.0f} ms", f"{read_0 * 1000:.0f} ms",
        ratio, "<= 1.2", ratio <= 1.2)
    row(f"  as of version {v0} in the {v1}-version store", f"{read_1_at_0 * 1000:.0f} ms", f"{read_0 * 1000:.0f} ms",
        read_1_at_0 / read_0, "(info)", None)
    row(f"one-row import (long template), {v1} ÷ {v0} versions", f"{min(imports_1):.3f} s", f"{min(imports_0):.3f} s",
        min(imports_1) / min(imports_0), "(info: independent of size)", None)
    row("disk per one-row import", f"{(size1 - size0) / max(1, extra - 3) / 1024:.1f} KB", "", None, "(info)", None)
    shutil.rmtree(root, ignore_errors=True)


# -- 2. province read ÷ bare read ---------------------------------------------------------------------


def province_read_part(work: Path, province: Path, repeat: int) -> None:
    store = Store(province)
    store.checkpoint_if_due()          # the store as the current code would have left it after its last import
    cold()
    view = store.figures()
    bare_path = work / "province_view.parquet"
    view.to_parquet(bare_path)
    rows = len(view)
    del view
    cold()
    bare, mine, codes = [], [], []
    for _ in range(repeat):   # interleaved: the machine's noise hits both alike
        t0 = time.perf_counter()
        frame = pd.read_parquet(bare_path)
        bare.append(time.perf_counter() - t0)
        del frame
        cold()
        t0 = time.perf_counter()
        frame = store.figures(cache=False)
        mine.append(time.perf_counter() - t0)
        del frame
        cold()
        t0 = time.perf_counter()
        frame = store.figures(codes=True, cache=False)
        codes.append(time.perf_counter() - t0)
        del frame
        cold()
    bare_path.unlink()
    ratio = min(mine) / min(bare)
    row(f"province Store.figures ÷ bare pd.read_parquet ({rows:,} rows)", f"{min(mine):.2f} s", f"{min(bare):.2f} s",
        ratio, "<= 1.5", ratio <= 1.5)
    row("  Store.figures(codes=True), what the dashboard reads", f"{min(codes):.2f} s", f"{min(bare):.2f} s",
        min(codes) / min(bare), "(info)", None)


# -- 3 and 5. the server in Chromium ----------------------------------------------------------------------

PAGES = ["overview", "counties", "departments", "parks", "province", "indicator", "assessment", "bulletin",
         "ledger", "tasks", "meetings", "todo", "reporting", "data"]


def _server_pid(url: str) -> int:
    port = url.rsplit(":", 1)[1]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(cmd) and port.encode() in cmd and b"--server.port" in cmd:
            return int(entry.name)
    raise RuntimeError(f"no streamlit process on port {port}")


def _status_mb(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def server_part(work: Path, name: str, source: Path, every_page: bool, timeout_ms: float) -> dict:
    """A copy of the store served by ``streamlit run``: the overview loaded (and, with ``every_page``,
    every page visited once, then the server's RSS), then a one-row import, then the time until the
    overview has rendered again for the new version (every chart drawn)."""
    from playwright.sync_api import sync_playwright

    from tests.conftest_ui import DESKTOP, launch, streamlit_server, wait_ready

    root = work / f"{name}_served"
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("*.sqlite3*", "*.lock"))
    out: dict = {}
    with sync_playwright() as p, streamlit_server(root, timeout=120) as url:
        pid = _server_pid(url)
        browser = launch(p)
        page = browser.new_page(viewport=DESKTOP)
        page.set_default_timeout(timeout_ms)
        t0 = time.perf_counter()
        page.goto(f"{url}/overview")
        wait_ready(page, timeout=timeout_ms, charts=True, settle_ms=0)
        out["cold_start"] = time.perf_counter() - t0
        if every_page:
            for name_ in PAGES:
                t0 = time.perf_counter()
                page.goto(f"{url}/{name_}")
                wait_ready(page, timeout=timeout_ms, settle_ms=0)
                print(f"    {name_:12s} {time.perf_counter() - t0:6.1f} s  server RSS "
                      f"{_status_mb(pid, 'VmRSS'):7,.0f} MB", flush=True)
            page.goto("about:blank")
            time.sleep(2)
            out["rss"] = _status_mb(pid, "VmRSS")
            out["peak"] = _status_mb(pid, "VmHWM")
        store = Store(root)
        result = store.commit_figures(one_row_facts(store, 1), original=b"new", file_name="补报.xlsx", user="bench")
        assert result.version is not None
        page.goto("about:blank")
        t0 = time.perf_counter()
        page.goto(f"{url}/overview")
        wait_ready(page, timeout=timeout_ms, charts=True, settle_ms=0)
        out["first_render"] = time.perf_counter() - t0
        out["rss_after_new"] = _status_mb(pid, "VmRSS")
        out["peak_after_new"] = _status_mb(pid, "VmHWM")
        browser.close()
    shutil.rmtree(root, ignore_errors=True)
    return out


def browser_part(work: Path, province: Path, timeout_ms: float) -> None:
    from bench_dashboard import demo_store

    demo = server_part(work, "demo", demo_store(), every_page=False, timeout_ms=timeout_ms)
    prov = server_part(work, "province", province, every_page=True, timeout_ms=timeout_ms)
    ratio = prov["first_render"] / demo["first_render"]
    row("first overview render after a new version, province ÷ demo", f"{prov['first_render']:.1f} s",
        f"{demo['first_render']:.1f} s", ratio, "<= 4", ratio <= 4)
    row("  server start to first overview (cold), province ÷ demo", f"{prov['cold_start']:.1f} s",
        f"{demo['cold_start']:.1f} s", prov["cold_start"] / demo["cold_start"], "(info)", None)
    row(f"server RSS after one visit of each of {len(PAGES)} pages, province", f"{prov['rss'] / 1024:.2f} GB", "",
        None, "<= 2.0 GB", prov["rss"] <= 2048)
    row("  server peak RSS (VmHWM) / RSS after the new version", f"{prov['peak_after_new'] / 1024:.2f} GB",
        f"{prov['rss_after_new'] / 1024:.2f} GB", None, "(info)", None)


# -- 4. the 50k-row import ----------------------------------------------------------------------------


def import_part(work: Path, rounds: int, scale: float) -> None:
    import bench_import as bi
    import fastexcel
    import python_calamine

    logging.getLogger("fastexcel").setLevel(logging.ERROR)
    bi.QUARTERS = max(1, round(8 * min(1.0, scale * 4)))
    catalog, figures = work / "catalog.xlsx", work / "figures.xlsx"
    bi.write_catalog(catalog)
    rows = bi.write_figures(figures)
    runs = iter(range(1000))

    def full_import() -> float:
        store = Store(work / f"imp{next(runs)}")
        import_file(catalog, store)
        t0 = time.perf_counter()
        summary = import_file(figures, store)
        elapsed = time.perf_counter() - t0
        assert summary.rows == rows and summary.version == 2, summary
        shutil.rmtree(store.root, ignore_errors=True)
        return elapsed

    def calamine() -> float:
        t0 = time.perf_counter()
        python_calamine.CalamineWorkbook.from_path(str(figures)).get_sheet_by_index(0).to_python()
        return time.perf_counter() - t0

    def fast() -> float:
        t0 = time.perf_counter()
        fastexcel.read_excel(str(figures)).load_sheet(0).to_arrow()
        return time.perf_counter() - t0

    full_import()   # starts the reading worker's forkserver once, as a running server has it
    imported = bare_c = bare_f = float("inf")
    for _ in range(rounds):   # interleaved rounds, best of each
        bare_c, bare_f, imported = min(bare_c, calamine()), min(bare_f, fast()), min(imported, full_import())
    bare = min(bare_c, bare_f)
    ratio = imported / bare
    row(f"import {rows:,} rows ÷ fastest bare read ({'fastexcel' if bare_f < bare_c else 'calamine'})",
        f"{imported:.3f} s", f"{bare:.3f} s", ratio, "<= 2", ratio <= 2)


# -----------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="province units and one-row imports × this")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip", choices=["versions", "province", "browser", "import"], action="append", default=[])
    args = ap.parse_args(argv)
    from bench_dashboard import province_store

    OUT.mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)
    os.environ.setdefault("METRICS_READ_ISOLATED", "1")
    t_start = time.perf_counter()
    n_units = max(40, round(2000 * args.scale))
    extra = max(10, round(300 * args.scale))
    province = province_store(n_units=n_units) if {"province", "browser"} - set(args.skip) else None
    with tempfile.TemporaryDirectory(prefix="bench-issue9-") as tmp:
        work = Path(tmp)
        steps = [("versions", lambda: cold_read_part(work, args.repeat, extra)),
                 ("province", lambda: province_read_part(work, province, args.repeat)),
                 ("import", lambda: import_part(work, max(3, args.repeat + 2), args.scale)),
                 ("browser", lambda: browser_part(work, province, timeout_ms=600_000))]
        for name, step in steps:
            if name in args.skip:
                continue
            print(f"[{name}]", flush=True)
            step()
            cold()
    me, child = peak_mb()
    row("this benchmark's own peak memory (getrusage, self)", f"{me / 1024:.2f} GB", "", None, "< 8 GB", me < 8192)
    row("  largest child process's peak (import workers, servers)", f"{child / 1024:.2f} GB", "", None, "(info)", None)
    print()
    print(f"Issue 9 benchmark, scale {args.scale} ({time.perf_counter() - t_start:.0f} s)")
    widths = [max(len(str(r[i])) for r in [("what", "measured", "baseline", "ratio", "goal", ""), *ROWS])
              for i in range(6)]
    header = ("what", "measured", "baseline", "ratio", "goal", "")
    for r in [header, *ROWS]:
        print("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
