"""``python -m metrics users add|passwd|disable|enable|unlock|role|list|roles``: accounts at the command line.

Units are given by code, name or alias (the catalog resolves them).  Without ``--user`` the command
acts as the server's operator; with it, that account must hold ``users.manage``.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from metrics import users
from metrics.access import Forbidden
from metrics.acting import cli_actor, db_url_for, refuse, say
from metrics.catalog import Catalog
from metrics.passwords import WeakPassword
from metrics.store import Store

STATE_ZH = {"enabled": "启用", "disabled": "停用", "locked": "锁定"}


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("users", parents=[common], help="accounts: add, passwd, disable, enable, unlock, role, list, roles")
    p.add_argument("action", choices=("add", "passwd", "disable", "enable", "unlock", "role", "list", "roles"))
    p.add_argument("name", nargs="?", help="the account (not for list/roles)")
    p.add_argument("--role", help="leader | analyst | reporter | inspector | admin (add, role)")
    p.add_argument("--unit", action="append", default=[], help="a unit the account reports for (code, name or alias); repeat")
    p.add_argument("--display-name", default="", help="the person's name as shown (add)")
    p.add_argument("--email", help="single sign-on identity (add)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    p.add_argument("--no-password", action="store_true", help="an account that signs in only through single sign-on (add)")
    p.add_argument("--user", help="the administrator acting (default: the server's operator)")
    p.add_argument("--json", action="store_true", help="list/roles as JSON")
    p.set_defaults(func=run)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise users.AccountError("请用 --password-stdin 从标准输入提供密码", "give the password on stdin with --password-stdin")
    first = getpass.getpass("密码 / password: ")
    if getpass.getpass("再输一次 / again: ") != first:
        raise users.AccountError("两次输入的密码不一致", "the two passwords differ")
    return first


def _units(args: argparse.Namespace) -> list[str]:
    if not args.unit:
        return []
    loaded = Store(args.store).catalog() if args.store else Store().catalog()
    return users.resolve_units(args.unit, Catalog(*loaded) if loaded else None)


def run(args: argparse.Namespace) -> int:
    lang, url = args.lang, db_url_for(args)
    if args.action == "list":
        return _list(args, url)
    if args.action == "roles":
        return _roles(args, url)
    if not args.name:
        say(lang, f"users {args.action} 需要账号名", f"users {args.action} needs an account name", err=True)
        return 2
    try:
        actor = cli_actor(url, args.user)
        if args.action == "add":
            if not args.role:
                raise users.AccountError("users add 需要 --role", "users add needs --role")
            password = None if args.no_password else _password(args)
            users.add_user(url, actor, args.name, args.role, units=_units(args), password=password,
                           display_name=args.display_name, email=args.email)
            say(lang, f"✔ 已添加账号 {args.name}（{args.role}）", f"✔ account {args.name} added ({args.role})")
        elif args.action == "passwd":
            ended = users.set_password(url, actor, args.name, _password(args))
            say(lang, f"✔ 已修改 {args.name} 的密码，结束会话 {ended} 个", f"✔ password of {args.name} changed; {ended} session(s) ended")
        elif args.action in ("disable", "enable"):
            users.set_disabled(url, actor, args.name, args.action == "disable")
            say(lang, f"✔ 已{'停用' if args.action == 'disable' else '启用'}账号 {args.name}",
                f"✔ account {args.name} {args.action}d")
        elif args.action == "unlock":
            users.unlock(url, actor, args.name)
            say(lang, f"✔ 已解除 {args.name} 的锁定", f"✔ {args.name} unlocked")
        elif args.action == "role":
            if not args.role:
                raise users.AccountError("users role 需要 --role", "users role needs --role")
            users.set_role(url, actor, args.name, args.role, _units(args) if args.unit else None)
            say(lang, f"✔ {args.name} 的角色改为 {args.role}", f"✔ {args.name} is now {args.role}")
    except (Forbidden, users.AccountError, WeakPassword) as exc:
        return refuse(lang, exc)
    return 0


def _list(args: argparse.Namespace, url: str) -> int:
    table = users.list_users(url)
    if args.json:
        print(table.to_json(orient="records", force_ascii=False, date_format="iso", indent=2))
        return 0
    if table.empty:
        say(args.lang, "（还没有账号）", "(no accounts yet)")
        return 0
    shown = table.assign(units=table["units"].map(",".join), password=table["password"].map({True: "✔", False: ""}))
    shown = shown.drop(columns=["locked_until", "created_at"])
    if args.lang != "en":
        shown["state"] = shown["state"].map(STATE_ZH)
        shown = shown.rename(columns={"name": "账号", "display_name": "姓名", "role": "角色", "units": "单位",
                                      "email": "邮箱", "state": "状态", "password": "密码"})
    print(shown.to_string(index=False))
    return 0


def _roles(args: argparse.Namespace, url: str) -> int:
    table = users.roles_table(url)
    if args.json:
        print(json.dumps(table.to_dict(orient="records"), ensure_ascii=False, indent=2))
        return 0
    en = args.lang == "en"
    for row in table.itertuples():
        label = row.label_en if en else row.label_zh
        scoped = (" (own units only for unit-scoped writes)" if en else "（上报类权限仅限绑定单位）") if row.unit_scoped else ""
        perms = ", ".join(row.permissions_en) if en else "、".join(row.permissions_zh)
        print(f"{row.name}  {label}{scoped}: {perms}")
    return 0
