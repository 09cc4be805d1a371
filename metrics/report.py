"""``python -m metrics report``: the assessment's numbers for one period, from the command line.

Why: the numbers read at a dispatch meeting must be reproducible by anyone with the store, outside
the dashboard, in a form a spreadsheet or a script reads (CSV with fixed column names, JSON, xlsx),
at full precision, and as of any earlier version of the store.

    python -m metrics report --period 2021Q3 [--store DIR] [--level indicator|unit] [--group NAME]
                             [--format csv|json|xlsx] [--out FILE] [--as-of-version N] [--scheme FILE]
    python -m metrics report --level assessment --year 2021 [--group NAME] [--as-of YYYY-MM-DD] …
                             (the year's graded result: metrics/assessment/report.py)
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from metrics import export
from metrics import periods as per
from metrics.compute import (
    INDICATOR_COLUMNS,
    INDICATOR_EXTRA_COLUMNS,
    PROVENANCE_COLUMNS,
    UNIT_COLUMNS,
    UNIT_EXTRA_COLUMNS,
    Engine,
)
from metrics.scheme import SchemeError, load_scheme_file
from metrics.store import Store, StoreError

LEVEL_COLUMNS = {
    "indicator": INDICATOR_COLUMNS + INDICATOR_EXTRA_COLUMNS + PROVENANCE_COLUMNS,
    "unit": UNIT_COLUMNS + UNIT_EXTRA_COLUMNS,
}


def add_parser(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser | None = None
               ) -> argparse.ArgumentParser:
    """Register ``report``; ``common`` is a parent parser that may already define --store and --lang."""
    parents = [common] if common is not None else []
    have = {opt for parent in parents for action in parent._actions for opt in action.option_strings}
    p = subparsers.add_parser(
        "report", parents=parents, help="the assessment's numbers for one period (CSV, JSON or xlsx)",
        description="Per unit and indicator (or per unit) numbers of one period, as docs/metrics.md "
                    "defines them; CSV to stdout by default.")
    p.add_argument("--period", help="period code or written form: 2021Q3, 2021-09, 2021年1-9月 … "
                                    "(required except for --level assessment)")
    if "--store" not in have:
        p.add_argument("--store", help="store directory (default: $METRICS_STORE or data/store)")
    if "--lang" not in have:
        p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--level", choices=("indicator", "unit", "assessment"), default="indicator",
                   help="one row per unit and indicator (default), one per unit, or the year's assessment result")
    p.add_argument("--year", type=int, help="--level assessment: the assessed year (its result needs YYYYQ4 figures)")
    p.add_argument("--as-of", dest="as_of", help="--level assessment: as of this day (YYYY-MM-DD, Asia/Shanghai): "
                                                 "figures of the latest version committed by then, events as they stood")
    p.add_argument("--group", help="only the units of this ranking group (分组), e.g. 城区")
    p.add_argument("--format", choices=("csv", "json", "xlsx"), default="csv")
    p.add_argument("--out", help="file to write (default: stdout)")
    p.add_argument("--as-of-version", type=int, dest="as_of_version",
                   help="read the catalog and figures as of this store version (default: the latest)")
    p.add_argument("--scheme", help="scheme file to use instead of schemes/<year>.toml over schemes/default.toml")
    p.set_defaults(func=run)
    return p


def _say(args: argparse.Namespace, zh: str, en: str) -> None:
    print(en if getattr(args, "lang", "zh") == "en" else zh, file=sys.stderr)


def build(args: argparse.Namespace) -> pd.DataFrame:
    """The report's table (raises ValueError with a message for the user)."""
    if not args.period:
        raise ValueError(("--period 必填（如 --period 2021Q3）", "--period is required (e.g. --period 2021Q3)"))
    try:
        period = per.parse_period(args.period)
    except per.PeriodError as err:
        raise ValueError((f"--period {args.period}：{err.reason_zh}", f"--period {args.period}: {err.reason_en}")) from err
    store = Store(args.store or None)
    try:
        catalog = store.catalog(args.as_of_version)
        figures = store.figures(args.as_of_version)
    except StoreError as err:
        raise ValueError((f"数据库：{err}", f"store: {err}")) from err
    if catalog is None:
        raise ValueError(("数据库中还没有目录（单位、指标）：请先导入目录", "the store has no catalog yet: import one first"))
    scheme = None
    if args.scheme:
        try:
            scheme = load_scheme_file(args.scheme, year=per.end_date(period).year)
        except (SchemeError, OSError) as err:
            raise ValueError((f"考核方案 {args.scheme}：{err}", f"scheme {args.scheme}: {err}")) from err
    units, indicators = catalog
    try:
        engine = Engine(units, indicators, figures, scheme)
        table = engine.indicator_table(period) if args.level == "indicator" else engine.unit_table(period)
    except SchemeError as err:
        raise ValueError((f"考核方案：{err}", f"scheme: {err}")) from err
    if args.group:
        groups = sorted(set(table["group"].astype(str)))
        if args.group not in groups:
            raise ValueError((f"没有分组“{args.group}”；可选：{'、'.join(groups)}",
                              f"no group “{args.group}”; known: {', '.join(groups)}"))
        table = table[table["group"].astype(str) == args.group]
    return table[LEVEL_COLUMNS[args.level]].reset_index(drop=True)


def records(table: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts: None for an empty value, ints for counts, floats at full precision."""
    columns = {}
    for name in table.columns:
        col = table[name]
        values = col.astype(object).tolist()
        columns[name] = [None if v is None or v is pd.NA or (isinstance(v, float) and not math.isfinite(v))
                         else (v.item() if isinstance(v, np.generic) else v) for v in values]
    return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def render(table: pd.DataFrame, fmt: str) -> bytes:
    """CSV (header row, empty cells for empty values), JSON (a list of objects) or xlsx."""
    if fmt == "csv":  # text that would start a formula gets a leading ' (metrics.export)
        return export.csv_bytes(table, bom=False, na_rep="")
    if fmt == "json":  # strict JSON: an empty value is null, never a bare NaN or Infinity
        return (export.json_text(records(table), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    return export.xlsx_bytes(table, "report", widths=False, freeze=False)


def run(args: argparse.Namespace) -> int:
    """Exit status: 0 written, 1 nothing to report (no catalog, unknown group, bad store), 2 bad period."""
    if args.level == "assessment":
        from metrics.assessment.report import run as run_assessment

        return run_assessment(args)
    try:
        table = build(args)
    except ValueError as err:
        zh, en = err.args[0] if isinstance(err.args[0], tuple) else (str(err), str(err))
        _say(args, zh, en)
        return 2 if zh.startswith("--period") else 1
    emit(args, render(table, args.format), len(table))
    return 0


def emit(args: argparse.Namespace, data: bytes, rows: int) -> None:
    """The rendered report into --out (saying so on stderr) or onto stdout."""
    if args.out:
        Path(args.out).write_bytes(data)
        _say(args, f"已写入 {args.out}：{rows} 行", f"wrote {args.out}: {rows} rows")
    elif hasattr(sys.stdout, "buffer"):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(data.decode("utf-8"))
