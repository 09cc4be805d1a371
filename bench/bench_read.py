"""How much read_file() adds on top of the bare fastest readers, on a 50k-row long template.

    .venv/bin/python bench/bench_read.py [--rows 50000] [--rounds 7]

Writes the workbooks into a temporary folder, then times, interleaved round by round (so machine
noise hits every contender alike) and keeping the best round:
- bare calamine: ``CalamineWorkbook.from_path(...).get_sheet_by_index(0).to_python()``
- fastexcel: ``read_excel(...).load_sheet(0).to_arrow()``
- calamine-gc0: the same with the cyclic GC paused (read_file pauses it too)
- ``read_file()``: calamine + "" -> None + hidden rows/cols + percent cells
and prints read_file / calamine. Variants: no percent styles (the usual template), a third of the
完成值 cells percent-formatted with some hidden rows (worst case for the byte scan), and the same
rows as .xls (calamine + xlrd formatting_info).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import fastexcel  # noqa: E402
import python_calamine as pc  # noqa: E402

from metrics.sheets.workbook import read_file  # noqa: E402

HEADER = ["期间", "单位", "指标", "目标值", "节点目标", "完成值", "备注"]
UNITS = ["衡阳县", "衡南县", "衡山县", "衡东县", "祁东县", "耒阳市", "常宁市", "珠晖区", "雁峰区", "石鼓区", "蒸湘区", "南岳区"]
INDICATORS = ["地区生产总值", "固定资产投资", "GDP增速", "规模工业增加值增速", "社会消费品零售总额", "一般公共预算收入"]


def _records(n: int) -> list[list[object]]:
    rnd = random.Random(20240601)
    out = []
    for i in range(n):
        out.append([
            f"{2019 + i // 20000}Q{i % 4 + 1}",
            UNITS[i % len(UNITS)],
            INDICATORS[i % len(INDICATORS)],
            round(rnd.uniform(10, 5000), 2),
            round(rnd.uniform(5, 2500), 2) if i % 2 else None,
            rnd.uniform(0, 6000),
            "口径调整" if i % 50 == 0 else None,
        ])
    return out


def write_xlsx(path: Path, n: int, percent: bool) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append(HEADER)
    for i, rec in enumerate(_records(n)):
        if percent and i % 3 == 0:
            cell = WriteOnlyCell(ws, value=rec[5] / 1e5)
            cell.number_format = "0.0%"
            rec[5] = cell
        if percent and i % 1000 == 0:
            ws.row_dimensions[i + 2].hidden = True
        ws.append(rec)
    wb.save(path)


def write_xls(path: Path, n: int) -> None:
    import xlwt

    n = min(n, 65535)
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("数据")
    pct = xlwt.easyxf(num_format_str="0.0%")
    for c, h in enumerate(HEADER):
        ws.write(0, c, h)
    for i, rec in enumerate(_records(n), start=1):
        for c, v in enumerate(rec):
            if v is not None:
                ws.write(i, c, v / 1e5 if c == 5 and i % 3 == 0 else v, pct if c == 5 and i % 3 == 0 else xlwt.Style.default_style)
        if i % 1000 == 0:
            ws.row(i).hidden = True
    book.save(str(path))


def bare_calamine(path: Path) -> object:
    wb = pc.CalamineWorkbook.from_path(str(path))
    try:
        return wb.get_sheet_by_index(0).to_python()
    finally:
        wb.close()


def bare_calamine_gc_off(path: Path) -> object:
    """The same with the cyclic GC paused, as read_file() does: shows what that trick alone buys."""
    gc.disable()
    try:
        return bare_calamine(path)
    finally:
        gc.enable()


def bare_fastexcel(path: Path) -> object:
    return fastexcel.read_excel(str(path)).load_sheet(0).to_arrow()


def race(contenders: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {k: [] for k in contenders}
    for f in contenders.values():
        f()  # warm the page cache and imports
    for _ in range(rounds):
        for name, f in contenders.items():
            t0 = time.perf_counter()
            f()
            times[name].append(time.perf_counter() - t0)
    return times


def report(title: str, times: dict[str, list[float]]) -> None:
    base = min(times["calamine"])
    print(f"\n{title}")
    for name, ts in times.items():
        print(f"  {name:12s} best {min(ts) * 1000:7.1f} ms   median {statistics.median(ts) * 1000:7.1f} ms"
              f"   best/calamine {min(ts) / base:5.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        plain, pct, xls = Path(tmp, "long.xlsx"), Path(tmp, "long_pct.xlsx"), Path(tmp, "long.xls")
        write_xlsx(plain, args.rows, percent=False)
        write_xlsx(pct, args.rows, percent=True)
        write_xls(xls, args.rows)
        for path, title in [(plain, "xlsx, no percent styles (the usual template)"),
                            (pct, "xlsx, 1/3 of 完成值 percent-formatted, hidden rows"),
                            (xls, ".xls (xlwt), same rows, percent cells and hidden rows")]:
            grids = read_file(path)
            g = grids[0]
            print(f"\n{path.name}: {path.stat().st_size / 1e6:.1f} MB, {g.n_rows} x {g.n_cols}, "
                  f"hidden rows {len(g.hidden_rows)}, percent cells {len(g.percent_cells)}")
            contenders: dict[str, Callable[[], object]] = {
                "calamine": lambda p=path: bare_calamine(p),
                "calamine-gc0": lambda p=path: bare_calamine_gc_off(p),
                "read_file": lambda p=path: read_file(p),
            }
            if path.suffix == ".xlsx":
                contenders["fastexcel"] = lambda p=path: bare_fastexcel(p)
            report(title, race(contenders, args.rounds))


if __name__ == "__main__":
    main()
