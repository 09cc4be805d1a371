"""``python -m metrics period lock|unlock|list CODE --user NAME [--reason TEXT]``: the period lock
(``periods.lock``: a 管理员; without ``--user`` the server's operator).  Unlocking needs a reason."""

from __future__ import annotations

import argparse

from metrics import period_lock
from metrics.access import Forbidden
from metrics.acting import cli_actor, db_url_for, refuse, say
from metrics.export import json_text


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("period", parents=[common], help="lock or unlock a period's figures (list the locks)")
    p.add_argument("action", choices=("lock", "unlock", "list"))
    p.add_argument("code", nargs="?", help="the period, e.g. 2021Q3, 2021-09, 2021年三季度")
    p.add_argument("--user", help="the administrator acting (default: the server's operator)")
    p.add_argument("--reason", default="", help="why (required to unlock)")
    p.add_argument("--json", action="store_true", help="list as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    lang, url = args.lang, db_url_for(args)
    if args.action == "list":
        held = period_lock.locks(url)
        if args.json:
            print(json_text([{"period": k.period, "end_date": k.end_date.isoformat(), "locked_by": k.locked_by,
                              "locked_at": k.locked_at.isoformat(timespec="seconds"), "reason": k.reason}
                             for k in held], ensure_ascii=False, indent=2))
        elif not held:
            say(lang, "（没有锁定的期间）", "(no period is locked)")
        for k in [] if args.json else held:
            print(f"{k.period}  {k.locked_by}  {k.locked_at:%Y-%m-%d %H:%M} UTC  {k.reason}")
        return 0
    if not args.code:
        say(lang, f"period {args.action} 需要期间代码", f"period {args.action} needs a period code", err=True)
        return 2
    try:
        actor = cli_actor(url, args.user)
        if args.action == "lock":
            done = period_lock.lock(url, actor, args.code, args.reason)
            say(lang, f"🔒 已锁定期间 {done.period}（截至 {done.end_date} 的数据不再接受导入）",
                f"🔒 period {done.period} locked (figures at {done.end_date} are no longer imported)")
        else:
            done = period_lock.unlock(url, actor, args.code, args.reason)
            say(lang, f"🔓 已解锁期间 {done.period}（原因：{args.reason.strip()}）",
                f"🔓 period {done.period} unlocked (reason: {args.reason.strip()})")
    except (Forbidden, period_lock.LockError) as exc:
        return refuse(lang, exc)
    return 0
