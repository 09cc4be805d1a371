"""``python -m metrics meeting new|agenda|minutes|list``: the 调度会 at the command line."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from metrics import export
from metrics.access import Forbidden
from metrics.acting import cli_actor, db_url_for, refuse, say
from metrics.store import Store
from metrics.supervision import agenda, meetings, minutes, queries
from metrics.supervision.dates import today
from metrics.supervision.settings import names, settings
from metrics.supervision.states import Refused


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("meeting", parents=[common], help="调度会: new (agenda generated), agenda, minutes (.docx), list")
    p.add_argument("action", choices=("new", "agenda", "minutes", "list"))
    p.add_argument("id", nargs="?", type=int, help="agenda/minutes: the meeting id (default: the latest)")
    p.add_argument("--date", help="new: the meeting date YYYY-MM-DD (default today, Asia/Shanghai)")
    p.add_argument("--kind", default="周调度", choices=meetings.KINDS)
    p.add_argument("--title", default="")
    p.add_argument("--attendee", action="append", default=[], help="new: an attendee (repeat)")
    p.add_argument("--out", help="minutes: the .docx to write")
    p.add_argument("--user", help="the account acting (default: the server's operator)")
    p.add_argument("--json", action="store_true", help="agenda/list as JSON")
    p.set_defaults(func=run)


def create(store: Store, url: str, actor, kind: str, on: dt.date, title: str = "", attendees=()) -> int:
    """A meeting with figures as of its date (shared by the page and the demo)."""
    s = settings(on.year)
    items = queries.items(url, on=on, every_days=s["feedback_every_days"])
    figures = agenda.figure_sections(store, on, items, meetings.explained_reds(url))
    return meetings.create(url, actor, kind, on, title=title, attendees=list(attendees), figures=figures,
                           every_days=s["feedback_every_days"], warn_days=s["warn_days"])


def run(args: argparse.Namespace) -> int:
    lang, url = args.lang, db_url_for(args)
    store = Store(args.store) if args.store else Store()
    try:
        if args.action == "list":
            rows = meetings.meetings(url)
            if args.json:
                print(export.json_text(queries.plain(rows), ensure_ascii=False, indent=1))
            else:
                for m in rows:
                    print(f"{m['id']:>4}  {m['held_on']}  {m['kind']}  {m['title']}  结转 {m['carried']}  决定 {m['decisions']}")
            return 0
        if args.action == "new":
            actor = cli_actor(url, args.user)
            on = dt.date.fromisoformat(args.date) if args.date else None
            mid = create(store, url, actor, args.kind, on or today(), args.title, args.attendee)
            say(lang, f"✔ 已创建调度会 {mid}，议程已生成", f"✔ meeting {mid} created with its agenda")
            print(mid)
            return 0
        mid = args.id or (meetings.meetings(url)[-1]["id"] if meetings.meetings(url) else None)
        m = meetings.meeting(url, mid) if mid else None
        if m is None:
            raise Refused("没有这次调度会", "no such meeting")
        if args.action == "agenda":
            if args.json:
                print(export.json_text(queries.plain(m), ensure_ascii=False, indent=1))
            else:
                a = m["agenda"]
                units, _ = names(store)
                print(f"{m['title']}（{m['held_on']}，数据版本 v{m['store_version']}）")
                for key, zh in (("carried", "结转事项"), ("behind", "红灯及落后序时进度"), ("unledgered", "未挂账红灯"),
                                ("overdue_items", "逾期事项"), ("overdue_tasks", "逾期任务"), ("applying", "申请销号")):
                    print(f"【{zh}】{len(a[key])}")
                    for line in a[key][:50]:
                        label = line.get("code") or line.get("title") or \
                            f"{line.get('unit_name')} {line.get('indicator_name')}"
                        tag = meetings.times_label(line.get("times", 1))
                        print(f"  {label} {units.get(line.get('responsible_unit', ''), '')} {tag}")
            return 0
        units, inds = names(store)
        out = Path(args.out or f"{m['title']}纪要.docx")
        out.write_bytes(minutes.render(m, units, inds))
        say(lang, f"✔ 纪要已写入 {out}", f"✔ minutes written to {out}")
        return 0
    except (Forbidden, Refused) as exc:
        return refuse(lang, exc)
