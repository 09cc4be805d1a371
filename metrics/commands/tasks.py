"""``python -m metrics tasks import|list``: the 目标任务分解清单 at the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from metrics import export
from metrics.access import Forbidden
from metrics.acting import cli_actor, db_url_for, refuse, say
from metrics.messages import ImportRefused
from metrics.store import Store
from metrics.supervision import importing, queries, tasks
from metrics.supervision.settings import names, settings
from metrics.supervision.states import Refused

COLUMNS = ["id", "list_name", "number", "title", "category", "lead_unit", "lead_unit_name", "leader", "deadline",
           "light", "next_due", "next_milestone", "missed", "milestones", "milestones_done", "percent", "last_report"]


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("tasks", parents=[common], help="目标任务分解清单: import a task list, list tasks with lights")
    p.add_argument("action", choices=("import", "list"))
    p.add_argument("file", nargs="?", help="import: the task-list workbook")
    p.add_argument("--list-name", help="import: the list's name (default: its title)")
    p.add_argument("--date", help="list: lights as of YYYY-MM-DD (default today, Asia/Shanghai)")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--user", help="the account acting (default: the server's operator)")
    p.add_argument("--json", action="store_true", help="list as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    lang, url = args.lang, db_url_for(args)
    store = Store(args.store) if args.store else Store()
    try:
        if args.action == "list":
            on = dt.date.fromisoformat(args.date) if args.date else None
            frame = tasks.tasks(url, on=on, warn_days=settings()["warn_days"])
            frame["lead_unit_name"] = frame["lead_unit"].map(names(store)[0])
            frame = frame[COLUMNS]
            if args.json:
                print(export.json_text(queries.records(frame), ensure_ascii=False, indent=1))
            else:
                for r in frame.itertuples():
                    print(f"{r.id:>4}  {r.light}  {r.lead_unit_name or r.lead_unit}  {r.title}  下一节点 {r.next_due or '—'}")
                say(lang, f"共 {len(frame)} 项任务", f"{len(frame)} tasks")
            return 0
        if not args.file:
            raise Refused("请给出任务清单文件", "give the task-list workbook")
        actor = cli_actor(url, args.user)
        result = importing.import_task_list(args.file, Path(args.file).name, store, url, actor, args.list_name,
                                            dry_run=args.dry_run)
        say(lang, f"✔ {result['list_name']}：新增 {result['added']} 项，已有 {result['unchanged']} 项",
            f"✔ {result['list_name']}: {result['added']} added, {result['unchanged']} already there")
        return 0
    except (Forbidden, Refused) as exc:
        return refuse(lang, exc)
    except ImportRefused as refused:
        for p in refused.problems:
            print("✘ " + p.render(lang), file=sys.stderr)
        return 2
