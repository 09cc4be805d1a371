"""``python -m metrics audit [--since DATE] [--until DATE] [--actor NAME] [--action PREFIX] [--json]``:
the audit trail at the command line (the server's operator, or ``--user`` an account with
``audit.read``)."""

from __future__ import annotations

import argparse

from metrics import audit
from metrics.access import Forbidden
from metrics.acting import cli_actor, db_url_for, refuse, say
from metrics.export import json_text


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("audit", parents=[common], help="the audit trail: who changed what, when, from where")
    p.add_argument("--since", help="from this day (YYYY-MM-DD, UTC)")
    p.add_argument("--until", help="up to this day, inclusive")
    p.add_argument("--actor", help="one account")
    p.add_argument("--action", help="an action or its prefix: figures, period, rollback, users, login …")
    p.add_argument("--user", help="the account reading (needs audit.read; default: the server's operator)")
    p.add_argument("--json", action="store_true", help="print the rows as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    lang, url = args.lang, db_url_for(args)
    try:
        reader = cli_actor(url, args.user)
        table = audit.for_reader(url, reader, since=args.since, until=args.until, actor=args.actor, action=args.action)
    except Forbidden as exc:
        return refuse(lang, exc)
    except ValueError as exc:
        say(lang, f"日期无法识别：{exc}", f"unreadable date: {exc}", err=True)
        return 2
    rows = audit.export_frame(table)
    if args.json:
        records = [{**r, "summary": s} for r, s in zip(rows.drop(columns="summary").to_dict("records"),
                                                       table["summary"], strict=True)]
        print(json_text(records, ensure_ascii=False, indent=2))
        return 0
    if table.empty:
        say(lang, "（没有审计记录）", "(no audit rows)")
        return 0
    for r in rows.to_dict("records"):
        extra = f"  [{r['reason']}]" if r["reason"] else ""
        where = f" @{r['ip']}" if r["ip"] else ""
        print(f"{r['at']}  {r['actor']}（{r['role']}）{where}  {r['action']}  {r['target_type']}:{r['target_id']}{extra}  "
              f"{r['summary']}")
    return 0
