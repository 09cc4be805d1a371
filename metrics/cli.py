"""The command line: ``python -m metrics import|versions|report|catalog-from-card``; words in zh (default) or en."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import threading
import time
from pathlib import Path

from metrics import periods
from metrics.export import json_text
from metrics.importer import ImportSummary, import_file
from metrics.messages import ImportRefused, Problem
from metrics.sheets import catalog_sheet
from metrics.sheets.isolate import read_file_isolated
from metrics.sheets.workbook import WorkbookError
from metrics.store import Store

STAGES = {"read": ("读取", "reading"), "check": ("校验", "checking"), "store": ("写入", "storing")}
MAX_LISTED = 200


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


class Progress:
    """Quiet for quick files; names the stage on stderr once a file has taken more than a second."""

    def __init__(self, name: str, lang: str, after: float = 1.0) -> None:
        self.name, self.lang, self.after = name, lang, after
        self.started = time.perf_counter()
        self.stage = "read"
        self.shown = False
        self.timer = threading.Timer(after, self._show)
        self.timer.daemon = True
        self.timer.start()

    def _show(self) -> None:
        self.shown = True
        elapsed = time.perf_counter() - self.started
        words = STAGES[self.stage]
        print(f"… {self.name}: {_t(self.lang, *words)} ({elapsed:.1f}s)", file=sys.stderr, flush=True)

    def __call__(self, stage: str) -> None:
        self.stage = stage
        if self.shown:
            self._show()

    def close(self) -> None:
        self.timer.cancel()


def _store(args: argparse.Namespace) -> Store:
    return Store(args.store or None)


def summary_dict(summary: ImportSummary, lang: str) -> dict:
    changed = summary.version is not None or bool(summary.extra.get("added") or summary.extra.get("corrected"))
    return {
        "file": summary.file, "kind": summary.kind, "status": "dry_run" if summary.dry_run else
        ("imported" if changed else "unchanged"), **({"events": summary.extra} if summary.kind == "events" else {}),
        "version": summary.version, "rows": summary.rows, "units": summary.units, "indicators": summary.indicators,
        "periods": summary.periods, "rows_per_period": summary.rows_per_period,
        "rows_per_indicator": summary.rows_per_indicator,
        "rows_per_period_indicator": summary.rows_per_period_indicator,
        "skipped_sheets": [{"sheet": s, "reason": r[1 if lang == "en" else 0]} for s, r in summary.skipped],
        "warnings": [_problem_dict(p, lang) for p in summary.problems if p.level == "warning"],
        "notes": [_problem_dict(p, lang) for p in summary.problems if p.level == "note"],
        "seconds": round(summary.seconds, 3),
        **({"diff": summary.diff.to_dict(summary.names)} if summary.diff is not None else {}),
    }


def _problem_dict(problem: Problem, lang: str) -> dict:
    """A located problem for scripts, with the Excel cell ("D7") when it names one."""
    data = problem.to_dict(lang)
    data["cell"] = f"{problem.column}{problem.row}" if problem.column and problem.row is not None else None
    return data


def _print_summary(summary: ImportSummary, lang: str) -> None:
    t = lambda zh, en: _t(lang, zh, en)  # noqa: E731
    body: list[str] = []
    if summary.kind == "events":
        from metrics.assessment.importing import summary_lines

        head, *body = summary_lines(summary, lang)
    elif summary.dry_run:
        head = t(f"✔ 校验通过（试运行，未写入）：{summary.file}", f"✔ valid (dry run, nothing written): {summary.file}")
    elif summary.version is None:
        head = t(f"= 未新增版本：{summary.file} 的每个数值都与当前数据相同",
                 f"= no new version: every figure in {summary.file} equals the current data")
    else:
        head = t(f"✔ 已导入 {summary.file} → 版本 {summary.version}", f"✔ imported {summary.file} → version {summary.version}")
    print(head)
    if body:
        print("\n".join(body))
    elif summary.kind == "catalog":
        print(t(f"  目录：单位 {summary.units} 个，指标 {summary.indicators} 个",
                f"  catalog: {summary.units} units, {summary.indicators} indicators"))
    else:
        print(t(f"  行数 {summary.rows}，单位 {summary.units} 个，指标 {summary.indicators} 个，期间 {'、'.join(summary.periods)}",
                f"  {summary.rows} rows, {summary.units} units, {summary.indicators} indicators, periods {', '.join(summary.periods)}"))
    warnings = summary.warnings
    print(t(f"  警告 {len(warnings)} 条", f"  {len(warnings)} warning(s)"))
    for p in warnings[:MAX_LISTED]:
        print("    ⚠ " + p.render(lang))
    notes = [p for p in summary.problems if p.level == "note"]
    if notes:
        print(t(f"  说明 {len(notes)} 条", f"  {len(notes)} note(s)"))
        for p in notes[:MAX_LISTED]:
            print("    · " + p.render(lang))
    for sheet, reason in summary.skipped:
        print(t(f"  跳过工作表“{sheet}”：{reason[0]}", f"  skipped sheet “{sheet}”: {reason[1]}"))
    if summary.dry_run and summary.diff is not None:
        from metrics.preview import lines

        print("\n".join(lines(summary.diff, summary.names, lang)))


def cmd_import(args: argparse.Namespace) -> int:
    lang = args.lang
    store = _store(args)
    try:
        period = periods.parse_period(args.period) if args.period else None
    except periods.PeriodError as err:
        print(_t(lang, f"--period {args.period}：{err.reason_zh}", f"--period {args.period}: {err.reason_en}"),
              file=sys.stderr)
        return 2
    from metrics.access import Forbidden
    from metrics.acting import refuse

    try:
        actor = _cli_actor(args.user, store)
    except Forbidden as refused:
        return refuse(lang, refused)
    received = None
    if args.received:
        try:
            received = _parse_day(args.received)
        except ValueError:
            print(_t(lang, f"--received {args.received}：日期应写作 2022-01-05", f"--received {args.received}: write the "
                     "date as 2022-01-05"), file=sys.stderr)
            return 2
    files = sorted(args.files, key=lambda f: not _is_catalog_file(Path(f)))
    failed, results = 0, []
    for file in files:
        progress = Progress(Path(file).name, lang)
        try:
            summary = import_file(file, store, period=period, user=args.user, dry_run=args.dry_run, progress=progress,
                                  actor=actor, received=received)
        except ImportRefused as refused:
            failed += 1
            progress.close()
            errors = refused.problems
            if args.json:
                results.append({"file": Path(file).name, "status": "refused",
                                "errors": [_problem_dict(p, lang) for p in errors]})
                continue
            print(_t(lang, f"✘ 拒绝导入 {Path(file).name}：{len(errors)} 个错误，数据未改动",
                     f"✘ refused {Path(file).name}: {len(errors)} error(s), nothing was changed"))
            for p in errors[:MAX_LISTED]:
                print("    ✘ " + p.render(lang))
            if len(errors) > MAX_LISTED:
                print(_t(lang, f"    …另有 {len(errors) - MAX_LISTED} 个错误", f"    … and {len(errors) - MAX_LISTED} more"))
            continue
        progress.close()
        if args.json:
            results.append(summary_dict(summary, lang))
        else:
            _print_summary(summary, lang)
    if args.json:
        print(json_text({"files": results, "latest_version": store.latest_version()}, ensure_ascii=False, indent=2))
    return 1 if failed else 0


def _parse_day(text: str):
    """2022-01-05, 2022/1/5 or 2022年1月5日 -> a date."""
    import datetime as dt
    import re

    m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*", text)
    if not m:
        raise ValueError(text)
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _cli_actor(user: str | None, store: Store):
    """Who writes to the database (an events workbook): see metrics.acting.cli_actor."""
    from metrics.acting import cli_actor
    from metrics.db import database_url

    return cli_actor(database_url(store.root), user)


def _is_catalog_file(path: Path) -> bool:
    try:
        return catalog_sheet.is_catalog(read_file_isolated(path))
    except (WorkbookError, OSError):
        return False


def cmd_versions(args: argparse.Namespace) -> int:
    table = _store(args).versions()
    if table.empty:
        print(_t(args.lang, "（数据库为空）", "(the store is empty)"))
        return 0
    shown = table.reindex(columns=[c for c in VERSION_COLUMNS if c in table.columns]).copy()
    shown["sha256"] = shown["sha256"].str[:12]
    shown["periods"] = shown.get("periods", "").map(_join_periods) if "periods" in shown else ""
    if "acting" in table.columns:   # the command line without --user: the server's operator, said as such
        operator = table["acting"].eq("operator").to_numpy()
        shown.loc[operator, "user"] = shown.loc[operator, "user"] + _t(args.lang, "（服务器操作员）", " (server operator)")
    headers = VERSION_HEADERS_EN if args.lang == "en" else VERSION_HEADERS_ZH
    print(shown.rename(columns=headers).fillna("").to_string(index=False))
    return 0


VERSION_COLUMNS = ["version", "kind", "file_name", "user", "time", "rows", "units", "indicators", "periods", "sha256"]
VERSION_HEADERS_ZH = {"version": "版本", "kind": "类型", "file_name": "文件", "user": "导入人", "time": "时间(UTC)",
                      "rows": "行数", "units": "单位数", "indicators": "指标数", "periods": "期间", "sha256": "SHA-256"}
VERSION_HEADERS_EN = {c: c for c in VERSION_COLUMNS}


def _join_periods(value: object) -> str:
    if isinstance(value, list | tuple) or hasattr(value, "tolist"):
        items = list(value)
        return ",".join(items[:3]) + ("…" if len(items) > 3 else "")
    return "" if value is None or value != value else str(value)


def cmd_catalog_from_card(args: argparse.Namespace) -> int:
    """Draft 单位 and 指标 from a card, for the user to review and import."""
    from metrics.card_catalog import draft_catalog

    lang = args.lang
    try:
        out, draft = draft_catalog(args.card, args.out)
    except WorkbookError as err:
        print(err.message(lang), file=sys.stderr)
        return 2
    except OSError as err:
        print(f"{args.card}: {err}", file=sys.stderr)
        return 2
    if args.json:
        print(json_text({"file": str(out), "units": [u.name for u in draft.units],
                          "indicators": [i.name for i in draft.indicators], "tables": draft.tables,
                          "skipped_sheets": [{"sheet": s, "reason": r} for s, r in draft.skipped]},
                         ensure_ascii=False, indent=2))
        return 0 if draft.tables else 1
    if not draft.tables:
        print(_t(lang, f"✘ {Path(args.card).name} 中没有找到分县市区表格，未生成目录草稿",
                 f"✘ no county table found in {Path(args.card).name}; no draft written"))
        return 1
    print(_t(lang, f"✔ 已生成目录草稿 {out}：单位 {len(draft.units)} 个，指标 {len(draft.indicators)} 个"
                   f"（来自 {len(draft.tables)} 张分县市区表格）",
             f"✔ catalog draft written to {out}: {len(draft.units)} units, {len(draft.indicators)} indicators "
             f"(from {len(draft.tables)} county tables)"))
    print(_t(lang, "  请核对编码（U01…、ZB… 为占位符）、单位全称、方向、权重、频次后导入：",
             "  review the codes (U01…, ZB… are placeholders), full unit names, directions, weights and "
             "frequencies, then import:"))
    print(f"  python -m metrics import {out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m metrics", description="云绩效 Cloud Performance")
    sub = parser.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", help="store directory (default: $METRICS_STORE or data/store)")
    common.add_argument("--lang", choices=("zh", "en"), default="zh")

    p = sub.add_parser("import", parents=[common], help="import sheets (figures or a catalog)")
    p.add_argument("files", nargs="+")
    p.add_argument("--period", help="period for sheets that do not name one, e.g. 2021Q3")
    p.add_argument("--user", help="the account importing: its role and units apply (default: the server's operator, "
                                  "unrestricted, recorded as such)")
    p.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--received", metavar="DATE",
                   help="the day the sheet arrived (paper or mail entered later), e.g. 2022-01-05; "
                        "default: the import's own day (Asia/Shanghai)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("versions", parents=[common], help="list store versions")
    p.set_defaults(func=cmd_versions)

    p = sub.add_parser("catalog-from-card", parents=[common],
                       help="draft a catalog (单位, 指标) from a statistics bureau card for review")
    p.add_argument("card", help="the card workbook (月报卡 .xlsx/.xls)")
    p.add_argument("--out", help="the draft to write (default: <card>_目录草稿.xlsx beside the card)")
    p.add_argument("--json", action="store_true", help="print what was drafted as JSON")
    p.set_defaults(func=cmd_catalog_from_card)

    try:
        from metrics import report
    except ImportError:  # the engine is optional for importing
        report = None
    if report is not None:
        report.add_parser(sub, common)
    from metrics import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{info.name}").add_parser(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
