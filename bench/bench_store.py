"""Store benchmark: does the cost of a read or an import grow with every version?

    .venv/bin/python bench/bench_store.py                 # demo part, then the province part
    .venv/bin/python bench/bench_store.py --only demo

In one run, each against a baseline measured the same way in the same run:

1. cold ``Store.figures`` (in-process caches emptied) of the demo store after 300 one-row imports
   (345 versions) ÷ the same at 45 versions                                          goal <= 1.2
2. a one-row import at 345 versions ÷ at 45 versions (an import independent of the store's size),
   and the disk each one-row import adds
3. province ``Store.figures`` (≈7M rows, cold) ÷ bare ``pd.read_parquet`` of the same view written
   as one Parquet file                                                                  goal <= 1.5

Stores are built under bench/out/ (the demo one through the CLI, the province one by
bench_dashboard.province_store) and kept for the next run.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
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
UNITS = ["珠晖区", "雁峰区", "石鼓区", "蒸湘区", "南岳区", "衡阳县", "衡南县", "衡山县", "衡东县", "祁东县", "耒阳市", "常宁市"]


def cold() -> None:
    store_mod._cached_part.cache_clear()
    store_mod._cached_catalog_table.cache_clear()
    store_mod._cached_manifest.cache_clear()
    store_mod._VIEW_CACHE.clear()


def best_cold_read(root: Path, repeat: int, as_of: int | None = None) -> float:
    times = []
    for _ in range(repeat):
        cold()
        t0 = time.perf_counter()
        Store(root).figures(as_of)
        times.append(time.perf_counter() - t0)
    return min(times)


def one_row_file(tmp: Path, k: int) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["期间", "单位", "指标", "目标值", "节点目标", "完成值", "备注"])
    ws.append(["2021年第三季度", UNITS[k % len(UNITS)], "地区生产总值", None, None, 1000 + k * 0.01, None])
    path = tmp / f"补报{k:03d}.xlsx"
    wb.save(path)
    return path


def timed_import(store: Store, path: Path) -> float:
    cold()
    t0 = time.perf_counter()
    summary = import_file(path, store, user="bench")
    assert summary.version is not None
    return time.perf_counter() - t0


def du(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def demo_part(repeat: int, extra: int = 300) -> dict:
    from bench_dashboard import demo_store

    base = demo_store()
    work = Path(tempfile.mkdtemp(prefix="bench-store-"))
    try:
        root = work / "store"
        shutil.copytree(base, root)
        store = Store(root)
        store.checkpoint_if_due()          # the copy as the current code would have left it
        v45 = store.latest_version()
        read_45 = best_cold_read(root, repeat)
        imports_45 = [timed_import(store, one_row_file(work, k)) for k in range(3)]
        size0 = du(root)
        for k in range(3, extra):
            import_file(one_row_file(work, k), store, user="bench")
        size1 = du(root)
        v345 = store.latest_version()
        read_345 = best_cold_read(root, repeat)
        read_345_at_45 = best_cold_read(root, repeat, as_of=v45)
        imports_345 = [timed_import(store, one_row_file(work, extra + k)) for k in range(3)]
        return {"v45": v45, "v345": v345, "read_45": read_45, "read_345": read_345, "read_345_at_45": read_345_at_45,
                "read_ratio": read_345 / read_45, "import_45": min(imports_45), "import_345": min(imports_345),
                "import_ratio": min(imports_345) / min(imports_45),
                "bytes_per_import": (size1 - size0) / (extra - 3),
                "rows": len(store.figures())}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def province_part(repeat: int) -> dict:
    from bench_dashboard import province_store

    root = province_store()
    store = Store(root)
    work = Path(tempfile.mkdtemp(prefix="bench-province-"))
    try:
        cold()
        view = store.figures()
        bare_path = work / "view.parquet"
        view.to_parquet(bare_path)
        rows = len(view)
        del view
        bare, mine, codes = [], [], []
        for _ in range(repeat):   # interleaved: the machine's noise hits both alike
            t0 = time.perf_counter()
            frame = pd.read_parquet(bare_path)
            bare.append(time.perf_counter() - t0)
            del frame
            cold()
            t0 = time.perf_counter()
            frame = store.figures()
            mine.append(time.perf_counter() - t0)
            del frame
            cold()
            t0 = time.perf_counter()
            frame = store.figures(codes=True)
            codes.append(time.perf_counter() - t0)
            del frame
        return {"rows": rows, "bare": min(bare), "figures": min(mine), "figures_codes": min(codes),
                "ratio": min(mine) / min(bare), "ratio_codes": min(codes) / min(bare),
                "bare_median": statistics.median(bare)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=["demo", "province"], action="append")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    only = set(args.only or ["demo", "province"])
    OUT.mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)
    if "demo" in only:
        r = demo_part(args.repeat)
        print(f"cold Store.figures  {r['v345']} versions {r['read_345'] * 1000:.0f} ms / {r['v45']} versions "
              f"{r['read_45'] * 1000:.0f} ms = {r['read_ratio']:.2f}x (goal <= 1.2; {r['rows']:,} rows); "
              f"as of version {r['v45']} in the bigger store {r['read_345_at_45'] * 1000:.0f} ms")
        print(f"one-row import      {r['v345']} versions {r['import_345']:.3f} s / {r['v45']} versions "
              f"{r['import_45']:.3f} s = {r['import_ratio']:.2f}x; disk per one-row import "
              f"{r['bytes_per_import'] / 1024:.1f} KB")
    if "province" in only:
        r = province_part(args.repeat)
        print(f"province figures    Store.figures {r['figures']:.2f} s / bare pd.read_parquet {r['bare']:.2f} s = "
              f"{r['ratio']:.2f}x (goal <= 1.5; {r['rows']:,} rows); codes=True {r['figures_codes']:.2f} s = "
              f"{r['ratio_codes']:.2f}x")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"benchmark peak memory {peak:,.0f} MB (limit 8,192 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
