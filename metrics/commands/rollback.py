"""``python -m metrics rollback VERSION --user NAME --reason TEXT``: revert a version by a new one
(``versions.rollback``: a 管理员; without ``--user`` the server's operator).  ``--dry-run`` prints the
diff only."""

from __future__ import annotations

import argparse

from metrics import preview, rollback
from metrics.access import Forbidden
from metrics.acting import cli_actor, db_url_for, refuse, say
from metrics.catalog import Catalog
from metrics.messages import ImportRefused
from metrics.store import Store


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("rollback", parents=[common], help="revert a version (a new version restores the values before it)")
    p.add_argument("version", type=int)
    p.add_argument("--user", help="the administrator acting (default: the server's operator)")
    p.add_argument("--reason", default="", help="why (required)")
    p.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    lang, url = args.lang, db_url_for(args)
    store = Store(args.store or None)
    try:
        actor = cli_actor(url, args.user)
        if args.dry_run:
            planned = rollback.preview_plan(store, args.version)
            new = None
        else:
            new, planned = rollback.rollback(store, url, actor, args.version, args.reason)
    except (Forbidden, rollback.RollbackError) as exc:
        return refuse(lang, exc)
    except ImportRefused as refused:
        for p in refused.problems:
            print("✘ " + p.render(lang))
        return 1
    if new is None:
        say(lang, f"回退版本 {args.version} 的预览（未写入）：", f"rolling back version {args.version} would (nothing written):")
    else:
        say(lang, f"✔ 已回退版本 {args.version} → 新版本 {new}", f"✔ version {args.version} rolled back → version {new}")
    if planned.diff is not None:
        loaded = store.catalog()
        names = preview.names_of(Catalog(*loaded)) if loaded else {}
        print("\n".join(preview.lines(planned.diff, names, lang)[1:] or ["  " + ("（无变化）" if lang != "en" else "(no change)")]))
    return 0
