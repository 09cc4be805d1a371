"""Import benchmark: a 50k-row long-template workbook, import time / bare fastest read of the same file.

Run by hand: ``.venv/bin/python bench/bench_import.py``. Goal: at most 2x. Both are measured in the
same run, best of several repetitions, so machine noise cancels out. The import is timed twice: with
the file read in the bounded worker process (as the CLI and the dashboard do) and read in this
process (``METRICS_READ_ISOLATED=0``), so the worker's overhead shows as a ratio.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from pathlib import Path

import fastexcel
import openpyxl
import python_calamine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from metrics.importer import import_file  # noqa: E402
from metrics.store import Store  # noqa: E402

UNITS, INDICATORS, QUARTERS = 50, 125, 8   # 50 x 125 x 8 = 50,000 rows
ROUNDS = 7


def write_catalog(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(["编码", "名称", "类型", "分组", "上级", "别名"])
    for u in range(UNITS):
        ws.append([f"U{u:03d}", f"单位{u:03d}", "县市区", "A" if u % 2 else "B", "", ""])
    ws = wb.create_sheet("指标")
    ws.append(["编码", "名称", "类别", "计量单位", "类型", "方向", "权重", "计分方式", "频次", "牵头单位", "适用类型", "别名"])
    for i in range(INDICATORS):
        ws.append([f"I{i:03d}", f"指标{i:03d}", "经济发展", "亿元" if i % 3 else "%", "总量" if i % 3 else "比率",
                   "正向", 1, "", "季度", "", "县市区", ""])
    wb.save(path)


def write_figures(path: Path) -> int:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append(["期间", "单位", "指标", "目标值", "节点目标", "完成值", "备注"])
    n = 0
    for q in range(QUARTERS):
        period = f"{2020 + q // 4}年第{'一二三四'[q % 4]}季度"
        for u in range(UNITS):
            for i in range(INDICATORS):
                ws.append([period, f"单位{u:03d}", f"指标{i:03d}", 100.0 + i, None, round(20.5 + u * 0.37 + i * 0.01, 2), None])
                n += 1
    wb.save(path)
    return n


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    logging.getLogger("fastexcel").setLevel(logging.ERROR)
    work = Path(tempfile.mkdtemp())
    catalog, figures = work / "catalog.xlsx", work / "figures.xlsx"
    write_catalog(catalog)
    rows = write_figures(figures)
    size = figures.stat().st_size / 1e6

    def calamine_read():
        python_calamine.CalamineWorkbook.from_path(str(figures)).get_sheet_by_index(0).to_python()

    def fastexcel_read():
        fastexcel.read_excel(str(figures)).load_sheet(0).to_arrow()

    runs = iter(range(100))

    def full_import(isolated: bool = True):
        os.environ["METRICS_READ_ISOLATED"] = "1" if isolated else "0"
        store = Store(work / f"store{next(runs)}")
        import_file(catalog, store)
        start = time.perf_counter()
        summary = import_file(figures, store)
        assert summary.rows == rows and summary.version == 2
        return time.perf_counter() - start

    # interleaved rounds, best of each: the machine's noise hits all three alike
    bare_calamine = bare_fastexcel = imported = in_process = float("inf")
    full_import()  # starts the reading worker's forkserver once, as a running server has it
    for _ in range(ROUNDS):
        bare_calamine = min(bare_calamine, best(calamine_read, 1))
        bare_fastexcel = min(bare_fastexcel, best(fastexcel_read, 1))
        imported = min(imported, full_import())
        in_process = min(in_process, full_import(isolated=False))
    bare = min(bare_calamine, bare_fastexcel)
    print(f"rows: {rows:,}  file: {size:.1f} MB")
    print(f"bare read, python-calamine to_python: {bare_calamine:.3f} s")
    print(f"bare read, fastexcel to_arrow:        {bare_fastexcel:.3f} s")
    print(f"import (read + validate + store):     {imported:.3f} s   (read in the bounded worker)")
    print(f"import, read in this process:         {in_process:.3f} s")
    print(f"ratio worker / in-process import:     {imported / in_process:.2f}x")
    print(f"ratio import / fastest bare read:     {imported / bare:.2f}x   (goal <= 2x)")
    print(f"ratio import / bare calamine read:    {imported / bare_calamine:.2f}x")


if __name__ == "__main__":
    main()
