"""``python -m metrics report --level assessment --year 2021 [--group G] [--format csv|json|xlsx]``:
the year's graded tables with exactly RESULT_COLUMNS.

CSV and xlsx carry the events as text (the raw sums and every event with its document); JSON carries
them as a list.  Text from the workbooks is neutralised so that Excel never evaluates it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys

import pandas as pd

from metrics.assessment.annual import NoResult, annual_result, end_of_day
from metrics.assessment.events import Event
from metrics.assessment.result import RESULT_COLUMNS
from metrics.export import csv_safe, xlsx_bytes
from metrics.scheme import SchemeError, load_scheme_file
from metrics.store import Store, StoreError


def build(args: argparse.Namespace) -> pd.DataFrame:
    """The graded table (RESULT_COLUMNS plus event_list/bonus_raw/deduction_raw); ValueError((zh, en), code)."""
    if args.year is None:
        raise ValueError(("--level assessment 需要 --year（如 --year 2021）", "--level assessment needs --year (e.g. --year 2021)"), 2)
    at = None
    if getattr(args, "as_of", None):
        try:
            at = end_of_day(dt.date.fromisoformat(args.as_of))
        except ValueError as err:
            raise ValueError((f"--as-of {args.as_of}：应为日期，如 2022-01-15", f"--as-of {args.as_of}: expected a date "
                              "such as 2022-01-15"), 2) from err
    store = Store(args.store or None)
    scheme = None
    if args.scheme:
        try:
            scheme = load_scheme_file(args.scheme, year=int(args.year))
        except (SchemeError, OSError) as err:
            raise ValueError((f"考核方案 {args.scheme}：{err}", f"scheme {args.scheme}: {err}"), 1) from err
    from metrics.db import database_url

    try:
        result = annual_result(store, database_url(store.root), int(args.year), as_of_version=args.as_of_version,
                               at=at, scheme=scheme)
    except NoResult as err:
        raise ValueError((err.zh, err.en), 1) from err
    except (StoreError, SchemeError) as err:
        raise ValueError((f"数据：{err}", f"data: {err}"), 1) from err
    table = result.table
    if args.group:
        groups = list(dict.fromkeys(table["group"].astype(str)))
        if args.group not in groups:
            raise ValueError((f"没有分组“{args.group}”；可选：{'、'.join(groups)}",
                              f"no group “{args.group}”; known: {', '.join(groups)}"), 1)
        table = table[table["group"].astype(str) == args.group]
    return table.reset_index(drop=True)


def _event_dict(e: Event) -> dict:
    return {"id": e.id, "kind": e.kind, "item": e.item, "points": None if e.points is None else float(e.points),
            "basis": e.basis, "date": e.date.isoformat() if e.date else None}


def _plain(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def render(table: pd.DataFrame, fmt: str) -> bytes:
    """CSV (true/false flags, integers without decimals, empty cells), JSON (events as a list) or xlsx."""
    if fmt == "json":
        out = []
        for r in table.to_dict("records"):
            row = {c: _plain(r[c]) for c in RESULT_COLUMNS if c != "events"}
            row["events"] = {"text": r["events"], "bonus_raw": r["bonus_raw"], "deduction_raw": r["deduction_raw"],
                             "items": [_event_dict(e) for e in r["event_list"]]}
            out.append(row)
        return (json.dumps(out, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    plain = table[RESULT_COLUMNS].copy()
    if fmt == "csv":
        for flag in ("veto", "capped_grade"):
            plain[flag] = plain[flag].map({True: "true", False: "false"})
        return csv_safe(plain).to_csv(index=False, na_rep="", lineterminator="\n").encode("utf-8")
    return xlsx_bytes(plain, "assessment")


def run(args: argparse.Namespace) -> int:
    """Exit status: 0 written, 1 no result (no year-end figures, no catalog, unknown group), 2 bad arguments."""
    try:
        table = build(args)
    except ValueError as err:
        (zh, en), code = err.args
        print(en if getattr(args, "lang", "zh") == "en" else zh, file=sys.stderr)
        return code
    from metrics.report import emit

    emit(args, render(table, args.format), len(table))
    return 0
