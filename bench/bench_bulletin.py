"""Benchmark of the bulletin (a script that prints figures, not a timed test).

    .venv/bin/python bench/bench_bulletin.py                 # demo, then province scale
    .venv/bin/python bench/bench_bulletin.py --only demo

For each store (the demo; the province-scale store of bench_dashboard.py, ≈ 2,000 units × 300
monthly indicators ≈ 7M rows, built once under bench/out/): the engine's results for the period
(the baseline, what the dashboard computes for the same page, measured in the same run), writing
the content model, and a full city bulletin in each format from a fresh model (charts drawn
included).  Prints seconds, the ratio to the baseline, the document's size and the peak memory.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_compute import peak_mb, reset_peak  # noqa: E402
from bench_dashboard import demo_store, province_store  # noqa: E402

from metrics import bulletin  # noqa: E402
from metrics.bulletin import content, scope, source  # noqa: E402
from metrics.store import Store  # noqa: E402


def run(name: str, root: Path, period: str) -> None:
    store = Store(root)
    gc.collect()
    reset_peak()
    started = time.perf_counter()
    src = source.load(store, period)
    src.ctx.now  # noqa: B018 - computed in load
    baseline = time.perf_counter() - started
    rows = len(store.figures())
    chosen = scope.parse("全市", src.ctx.units)
    options = content.Options(version=src.version, settings=dict(src.scheme.section("bulletin")))
    started = time.perf_counter()
    model = content.build(src.ctx, chosen, options)
    build = time.perf_counter() - started
    print(f"{name}: {rows:,} figure rows, period {period}")
    print(f"  baseline: engine results for the period (and the previous one) {baseline:6.2f}s")
    print(f"  content model (sentences, tables, chart data)       {build:6.2f}s  ({build / baseline:.2f}x baseline)")
    for fmt in bulletin.FORMATS:
        fresh = content.build(src.ctx, chosen, options)   # charts not drawn yet
        started = time.perf_counter()
        data = bulletin.render(fresh, fmt)
        seconds = time.perf_counter() - started
        total = build + seconds
        print(f"  {fmt:4}: render {seconds:6.2f}s, full bulletin {total:6.2f}s ({total / baseline:.2f}x baseline), "
              f"{len(data) / 1024:,.0f} KB, {sum(len(s.blocks) for s in model.sections)} blocks")
    print(f"  peak memory {peak_mb():,.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("demo", "province"))
    args = parser.parse_args(argv)
    if args.only in (None, "demo"):
        run("demo", demo_store(), "2021Q3")
    if args.only in (None, "province"):
        run("province scale", province_store(), "2021-09")
    return 0


if __name__ == "__main__":
    sys.exit(main())
