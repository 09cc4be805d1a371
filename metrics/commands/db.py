"""``python -m metrics db upgrade|current``: create or upgrade the database schema (also automatic)."""

from __future__ import annotations

import argparse

from metrics.db import database_url, upgrade


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("db", parents=[common], help="database schema: upgrade (create) or show the current revision")
    p.add_argument("action", choices=("upgrade", "current"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    url = database_url(args.store or None)
    heads = upgrade(url, force=args.action == "upgrade")
    shown = _safe_url(url)
    if args.lang == "en":
        print(f"database {shown}: schema at {', '.join(heads) or '(empty)'}")
    else:
        print(f"数据库 {shown}：结构版本 {'、'.join(heads) or '（空）'}")
    return 0


def _safe_url(url: str) -> str:
    """The URL without its password (it is printed)."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
