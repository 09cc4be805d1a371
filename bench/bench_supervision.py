"""Benchmark of 云督查 (a script that prints figures, not a timed test).

    .venv/bin/python bench/bench_supervision.py [--items 10000] [--store DIR]

On the demo store (bench/out/demo_store, or --store) with a fresh SQLite database holding N ledger
items (opened through the service in batches, each with an audit row; a third with a feedback, a
tenth urged): the baseline is what every dashboard page does first (the engine's results for the
latest quarter), measured in the same run.  Then: reading the ledger with every derived column;
the 督查台账 page rendered in AppTest (first run and a rerun); a dispatch meeting's agenda generated
as of a date (figures of that day, carry-forward over the previous meeting).  Seconds, the ratio to
the baseline, and the process's peak memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_compute import peak_mb  # noqa: E402
from bench_dashboard import demo_store  # noqa: E402

from metrics.access import PERMISSIONS, Actor  # noqa: E402
from metrics.compute import Engine  # noqa: E402
from metrics.db import upgrade  # noqa: E402
from metrics.store import Store  # noqa: E402
from metrics.supervision import agenda, ledger, meetings, queries  # noqa: E402
from metrics.supervision.ledger import ItemInput  # noqa: E402

ACTOR = Actor(name="bench", role="operator", permissions=frozenset(PERMISSIONS), operator=True)


def fill(url: str, store: Store, n: int) -> float:
    units, _ = store.catalog()
    codes = units[units["type"].isin(["县市区", "市直部门", "园区", "乡镇"])]["code"].tolist()
    started = time.perf_counter()
    day = dt.date(2021, 1, 4)
    batch = 1000
    opened: list[str] = []
    for k in range(0, n, batch):
        items = [ItemInput(source="督查", unit_code=codes[j % len(codes)], responsible_unit=codes[j % len(codes)],
                           problem=f"基准测试事项 {j}：进度滞后", leader="基准（测试）", deadline=day + dt.timedelta(days=30 + j % 300),
                           requirements=[("整改", None), ("复查", None)]) for j in range(k, min(n, k + batch))]
        opened += ledger.open_items(url, ACTOR, items, on=day + dt.timedelta(days=k // batch))
    for j, code in enumerate(opened):
        if j % 3 == 0:
            ledger.feedback(url, ACTOR, code, "推进中", 50, on=dt.date(2021, 3, 1))
        if j % 10 == 0:
            ledger.urge(url, ACTOR, code, "请抓紧", on=dt.date(2021, 3, 8))
        if j >= n // 3:
            break
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--store")
    args = parser.parse_args(argv)
    root = Path(args.store) if args.store else demo_store()
    store = Store(root)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        filled = fill(url, store, args.items)
        print(f"filled {args.items} items through the service (with feedback and 催办): {filled:.1f} s")

        started = time.perf_counter()
        units, indicators = store.catalog()
        Engine(units, indicators, store.figures()).compute("2021Q4")
        baseline = time.perf_counter() - started
        print(f"baseline: engine results of 2021Q4 (every page's first step): {baseline:.2f} s")

        def report(label: str, seconds: float) -> None:
            print(f"{label}: {seconds:.2f} s  ({seconds / baseline:.2f}× baseline)")

        started = time.perf_counter()
        frame = queries.items(url, on=dt.date(2021, 10, 1))
        report(f"ledger read with derived columns ({len(frame)} items, {int(frame['overdue'].sum())} overdue)",
               time.perf_counter() - started)

        on = dt.date(2021, 10, 11)
        meetings.create(url, ACTOR, "周调度", dt.date(2021, 10, 4))
        started = time.perf_counter()
        figures = agenda.figure_sections(store, on, queries.items(url, on=on), meetings.explained_reds(url),
                                         version=store.latest_version())
        mid = meetings.create(url, ACTOR, "周调度", on, figures=figures)
        seconds = time.perf_counter() - started
        a = meetings.meeting(url, mid)["agenda"]
        report(f"agenda generated ({len(a['carried'])} carried, {len(a['overdue_items'])} overdue, "
               f"{len(a['behind'])} reds/behind, {len(a['unledgered'])} 未挂账红灯)", seconds)

        os.environ["METRICS_DB"] = url
        from tests.conftest_ui import open_app

        started = time.perf_counter()
        at = open_app(root, "pages/ledger.py", timeout=600)
        first = time.perf_counter() - started
        assert not at.exception, [e.value for e in at.exception]
        shown = len(at.dataframe[0].value)
        report(f"督查台账 page in AppTest, first run (store caches cold, {shown} rows listed)", first)
        started = time.perf_counter()
        at.run()
        report("督查台账 page rerun (caches warm)", time.perf_counter() - started)
    print(f"peak memory: {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
