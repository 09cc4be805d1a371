"""``python -m metrics ledger list|open|import|export|feedback|urge|move``: the 挂账销号 ledger at the
command line.  Units and indicators by code, name or alias; dates as YYYY-MM-DD; ``--user NAME`` acts
as that account (its role is checked on every write), else the server's operator."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from contextlib import ExitStack
from pathlib import Path

from metrics import export
from metrics.access import Forbidden
from metrics.acting import cli_actor, db_url_for, refuse, say
from metrics.catalog import Catalog, LookupFailure
from metrics.messages import ImportRefused
from metrics.store import Store
from metrics.supervision import importing, ledger, queries
from metrics.supervision.dates import urge_label
from metrics.supervision.settings import max_evidence_bytes, names, settings
from metrics.supervision.sheetdates import split_requirement
from metrics.supervision.states import MOVES, STATES, Refused

LIST_COLUMNS = ["code", "status", "overdue", "source", "unit_code", "unit_name", "indicator_code", "indicator_name",
                "period", "problem", "responsible_unit", "responsible_unit_name", "leader", "deadline", "severity",
                "opened_on", "feedback_due", "feedback_overdue", "urge_level", "percent"]


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("ledger", parents=[common], help="督查台账: list, open, import, export, feedback, urge, move")
    p.add_argument("action", choices=("list", "open", "import", "export", "feedback", "urge", "move"))
    p.add_argument("target", nargs="?", help="item code (feedback, urge, move) or workbook (import)")
    p.add_argument("--status", action="append", choices=STATES, help="list/export: only this state (repeat)")
    p.add_argument("--unit", help="unit (list: found in or responsible; open: found in)")
    p.add_argument("--overdue", action="store_true", help="list/export: only 逾期 items")
    p.add_argument("--indicator", help="open: the indicator")
    p.add_argument("--period", help="open: period found, e.g. 2021Q1")
    p.add_argument("--problem", help="open: the problem (点穴式)")
    p.add_argument("--responsible", help="open: responsible unit (default: the unit)")
    p.add_argument("--cooperating", action="append", default=[], help="open: a 协办单位 (repeat)")
    p.add_argument("--leader", help="open: responsible leader, name and post (实名制)")
    p.add_argument("--contact", default="")
    p.add_argument("--requirement", action="append", default=[],
                   help="open: a requirement, optionally ending with its date: 完成入库（2021年6月30日前） (repeat)")
    p.add_argument("--deadline", help="open: overall deadline YYYY-MM-DD")
    p.add_argument("--severity", default="一般", choices=("一般", "较重", "严重"))
    p.add_argument("--source", default="督查", choices=("指标", "任务", "会议", "督查"))
    p.add_argument("--move", dest="move", choices=tuple(MOVES), help="move: start, apply, accept, reject, withdraw")
    p.add_argument("--text", default="", help="feedback/urge/move: the text or reason")
    p.add_argument("--percent", type=int, help="feedback: percent done")
    p.add_argument("--file", action="append", default=[], help="feedback/move apply: an evidence file (repeat)")
    p.add_argument("--date", help="the day it happens (default today, Asia/Shanghai), or list/export as of it")
    p.add_argument("--out", help="export: the .csv or .xlsx to write")
    p.add_argument("--dry-run", action="store_true", help="import: check only")
    p.add_argument("--user", help="the account acting (default: the server's operator)")
    p.add_argument("--json", action="store_true", help="list as JSON")
    p.set_defaults(func=run)


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def listing(store: Store, url: str, args: argparse.Namespace) -> object:
    on = _day(args.date)
    frame = queries.items(url, on=on, every_days=settings()["feedback_every_days"])
    unit = _resolve(store, args.unit, "unit") if args.unit else None
    frame = queries.filter_items(frame, status=args.status, unit=unit, overdue=args.overdue)
    units, inds = names(store)
    frame["unit_name"] = frame["unit_code"].map(units)
    frame["indicator_name"] = frame["indicator_code"].map(inds)
    frame["responsible_unit_name"] = frame["responsible_unit"].map(units)
    return frame[LIST_COLUMNS]


def _resolve(store: Store, label: str, kind: str) -> str:
    loaded = store.catalog()
    if loaded is None:
        return label
    cat = Catalog(*loaded)
    try:
        return cat.resolve_unit(label) if kind == "unit" else cat.resolve_indicator(label)
    except LookupFailure as failure:
        raise Refused(f"“{label}”不是目录中的{'单位' if kind == 'unit' else '指标'}",
                      f"“{label}” is not a catalog {kind}") from failure


def run(args: argparse.Namespace) -> int:
    lang, url = args.lang, db_url_for(args)
    store = Store(args.store) if args.store else Store()
    try:
        if args.action in ("list", "export"):
            frame = listing(store, url, args)
            if args.action == "export":
                out = Path(args.out or "督查台账.csv")
                data = export.xlsx_bytes(frame, "督查台账") if out.suffix.lower() == ".xlsx" else export.csv_bytes(frame)
                out.write_bytes(data)
                say(lang, f"✔ 已导出 {len(frame)} 条：{out}", f"✔ exported {len(frame)} items: {out}")
            elif args.json:
                print(export.json_text(queries.records(frame), ensure_ascii=False, indent=1))
            else:
                for r in frame.itertuples():
                    flag = "（逾期）" if r.overdue else ""
                    print(f"{r.code}  {r.status}{flag}  {r.unit_name or r.unit_code}  {r.problem[:40]}  "
                          f"{r.leader}  {r.deadline}")
                say(lang, f"共 {len(frame)} 条", f"{len(frame)} items")
            return 0
        actor = cli_actor(url, args.user)
        on = _day(args.date)
        if args.action == "open":
            return _open(store, url, actor, args, on)
        if args.action == "import":
            if not args.target:
                raise Refused("请给出问题清单文件", "give the 问题清单 workbook")
            codes = importing.import_problem_list(args.target, Path(args.target).name, store, url, actor, on,
                                                  dry_run=args.dry_run)
            if args.dry_run:
                say(lang, "✔ 校验通过（试运行，未写入）", "✔ valid (dry run, nothing written)")
            else:
                say(lang, f"✔ 已挂账 {len(codes)} 条：{'、'.join(codes)}", f"✔ opened {len(codes)} items: {', '.join(codes)}")
            return 0
        if not args.target:
            raise Refused("请给出事项编号（如 DC-2021-0001）", "give the item code (e.g. DC-2021-0001)")
        with ExitStack() as stack:
            files = [(Path(f).name, stack.enter_context(Path(f).open("rb"))) for f in args.file]
            if args.action == "feedback":
                ledger.feedback(url, actor, args.target, args.text, args.percent, files, store.root,
                                max_evidence_bytes(), on)
                say(lang, f"✔ 已反馈：{args.target}", f"✔ feedback recorded: {args.target}")
            elif args.action == "urge":
                level = ledger.urge(url, actor, args.target, args.text, on)
                say(lang, f"✔ {urge_label(level)}：{args.target}", f"✔ {urge_label(level, 'en')}: {args.target}")
            else:
                if not args.move:
                    raise Refused("请用 --move 指明操作", "name the move with --move")
                state = ledger.transition(url, actor, args.target, args.move, reason=args.text, files=files,
                                          store_root=store.root, max_bytes=max_evidence_bytes(), on=on)
                say(lang, f"✔ {args.target} → {state}", f"✔ {args.target} → {state}")
        return 0
    except (Forbidden, Refused) as exc:
        return refuse(lang, exc)
    except ImportRefused as refused:
        for p in refused.problems:
            print("✘ " + p.render(lang), file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"✘ {exc}", file=sys.stderr)
        return 2


def _open(store: Store, url: str, actor, args: argparse.Namespace, on: dt.date | None) -> int:
    if not (args.unit and args.problem and args.leader and args.deadline):
        raise Refused("挂账须给出 --unit、--problem、--leader、--deadline", "open needs --unit, --problem, --leader, --deadline")
    unit = _resolve(store, args.unit, "unit")
    deadline = dt.date.fromisoformat(args.deadline)
    item = ledger.ItemInput(
        source="指标" if args.indicator else args.source, unit_code=unit,
        indicator_code=_resolve(store, args.indicator, "indicator") if args.indicator else None,
        period=args.period, problem=args.problem,
        responsible_unit=_resolve(store, args.responsible, "unit") if args.responsible else unit,
        cooperating=[_resolve(store, c, "unit") for c in args.cooperating], leader=args.leader, contact=args.contact,
        requirements=[split_requirement(r, deadline.year) for r in args.requirement], deadline=deadline,
        severity=args.severity)
    code = ledger.open_item(url, actor, item, on)
    say(args.lang, f"✔ 已挂账：{code}", f"✔ opened: {code}")
    print(code)
    return 0
