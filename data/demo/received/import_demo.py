"""The day each demo sheet "arrived", so the reporting calendar (报送) has something to show.

Imports the demo into a store the way an office would have entered it: the catalog first, then every
sheet with ``--received`` its day of arrival (``dates.csv``: most on or before the due day, a few
late; the figures the sheets leave blank are the missing ones).  The 旬 workbooks compile a quarter's
旬; they are imported one 旬 at a time, each on its due day (a few late), as 旬 reports arrive.  ``scripts/start.sh`` and the test
suite's demo store both build through :func:`import_demo`.

    python data/demo/received/import_demo.py --store DIR
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent
TABLE = HERE / "dates.csv"


def received_dates() -> dict[str, str]:
    """File name -> the day it arrived (ISO)."""
    with TABLE.open(encoding="utf-8") as fh:
        return {row["file"]: row["received"] for row in csv.DictReader(fh)}


def demo_files() -> list[Path]:
    return sorted(p for p in DEMO.iterdir() if p.suffix in (".xlsx", ".xls", ".csv"))


def import_demo(store: Path | str, quiet: bool = True) -> int:
    """Import the catalog and every demo sheet with its received day; 0 when all went in."""
    import contextlib
    import io

    sys.path.insert(0, str(HERE.parents[2]))
    from metrics.cli import main

    dates = received_dates()
    sink = io.StringIO() if quiet else sys.stdout
    failed = 0
    files = demo_files()
    catalog = [p for p in files if p.name == "catalog.xlsx"]
    with contextlib.redirect_stdout(sink), tempfile.TemporaryDirectory() as tmp:
        failed |= main(["import", *map(str, catalog), "--store", str(store)])
        for p in files:
            if p.name == "catalog.xlsx":
                continue
            if p.name.endswith("_旬报指标.xlsx"):   # a quarter's 旬 compiled in one workbook: one arrival per 旬
                for piece, day in dekad_pieces(p, Path(tmp)):
                    failed |= main(["import", str(piece), "--store", str(store), "--received", day])
                continue
            extra = ["--received", dates[p.name]] if p.name in dates else []
            failed |= main(["import", str(p), "--store", str(store), *extra])
    return failed


#: 旬 that arrived after their due day (two days after the 旬)
LATE_DEKADS = {"2021年6月上旬": 2}


def dekad_pieces(path: Path, out: Path) -> list[tuple[Path, str]]:
    """The rows of each 旬 of a 旬 workbook as its own CSV (the way the 旬 reports arrive), with the
    day each arrived: its due day (two days after the 旬), a few later (``LATE_DEKADS``)."""
    import datetime as dt

    import openpyxl

    from metrics import periods as per

    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb["数据"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    by_period: dict[str, list] = {}
    for row in body:
        by_period.setdefault(str(row[0]), []).append(row)
    pieces = []
    for label, part in by_period.items():
        end = per.end_date(per.parse_period(label))
        day = end + dt.timedelta(days=2 + LATE_DEKADS.get(label, 0))
        piece = out / f"{path.stem}_{label}.csv"
        with piece.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(["" if v is None else v for v in r] for r in part)
        pieces.append((piece, day.isoformat()))
    return pieces


def describe(store: Path | str) -> str:
    """What the store now holds, in words, then the last versions under their column headers (what
    ``scripts/start.sh`` prints after the import)."""
    sys.path.insert(0, str(HERE.parents[2]))
    from metrics.store import Store

    s = Store(store)
    log = s.versions()
    figures = log[log["kind"] == "figures"]
    units, indicators = s.catalog()
    from metrics import periods as per

    codes = {p for ps in figures.get("periods", []) for p in (list(ps) if ps is not None else [])}
    ends = sorted(per.end_date(c) for c in codes)
    span = f"{ends[0]:%Y年%m月%d日}至{ends[-1]:%Y年%m月%d日}" if ends else "—"
    stated = int(figures["received"].notna().sum()) if "received" in figures else 0
    lines = [
        f"已导入演示数据：目录 1 份（{len(units)} 个单位、{len(indicators)} 项指标），数据文件 {len(figures)} 个，"
        f"共 {int(figures['rows'].sum())} 行，期末日期 {span}；"
        f"其中 {stated} 个文件登记了收到日期（报送日历用）。数据库当前版本 v{s.latest_version()}。",
        "最近导入的三个版本：",
    ]
    shown = log.tail(3)[["version", "kind", "file_name", "rows", "time"]].copy()
    shown.columns = ["版本", "类型", "文件", "行数", "导入时间(UTC)"]
    shown["类型"] = shown["类型"].map({"figures": "数据", "catalog": "目录"}).fillna(shown["类型"])
    lines.append(shown.to_string(index=False))
    return "\n".join(lines)


if __name__ == "__main__":
    args = sys.argv[1:]
    root = args[args.index("--store") + 1] if "--store" in args else "data/store"
    code = import_demo(root, quiet="--verbose" not in args)
    print(describe(root))
    sys.exit(code)
