"""The day each demo sheet "arrived", so the reporting calendar (报送) has something to show.

Imports the demo into a store the way an office would have entered it: the catalog first, then every
sheet with ``--received`` its day of arrival (``dates.csv``: most on or before the due day, a few
late; the figures the sheets leave blank are the missing ones).  ``scripts/start.sh`` and the test
suite's demo store both build through :func:`import_demo`.

    python data/demo/received/import_demo.py --store DIR
"""

from __future__ import annotations

import csv
import sys
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
    with contextlib.redirect_stdout(sink):
        failed |= main(["import", *map(str, catalog), "--store", str(store)])
        for p in files:
            if p.name == "catalog.xlsx":
                continue
            extra = ["--received", dates[p.name]] if p.name in dates else []
            failed |= main(["import", str(p), "--store", str(store), *extra])
    return failed


if __name__ == "__main__":
    args = sys.argv[1:]
    root = args[args.index("--store") + 1] if "--store" in args else "data/store"
    sys.exit(import_demo(root, quiet="--verbose" not in args))
