"""``python -m metrics site show|set KEY VALUE``: site settings (anonymous reading, session length, lock-out)."""

from __future__ import annotations

import argparse
import json

from metrics import site
from metrics.access import Forbidden
from metrics.acting import cli_actor, db_url_for, refuse, say


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("site", parents=[common], help="site settings: show, set KEY VALUE")
    p.add_argument("action", choices=("show", "set"))
    p.add_argument("key", nargs="?", choices=list(site.SETTINGS))
    p.add_argument("value", nargs="?")
    p.add_argument("--user", help="the administrator acting (default: the server's operator)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    url, lang = db_url_for(args), args.lang
    if args.action == "set":
        if args.key is None or args.value is None:
            say(lang, "site set 需要 KEY VALUE", "site set needs KEY VALUE", err=True)
            return 2
        try:
            site.set_setting(url, cli_actor(url, args.user), args.key, args.value)
        except (Forbidden, site.SettingError) as exc:
            return refuse(lang, exc)
    values = site.settings(url)
    if args.json:
        print(json.dumps(values, ensure_ascii=False, indent=2))
        return 0
    for key, value in values.items():
        _default, zh, en = site.SETTINGS[key]
        shown = ("on" if value else "off") if isinstance(value, bool) else value
        print(f"{key} = {shown}    # {en if lang == 'en' else zh}")
    return 0
