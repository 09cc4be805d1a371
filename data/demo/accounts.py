"""Demo accounts, one per role, for the synthetic demo (合成演示数据): never for a real deployment.

    python data/demo/accounts.py [--store DIR]     # scripts/start.sh runs this

On a store whose database has no account yet, it creates ``leader`` 领导, ``analyst`` 分析员,
``reporter`` 填报员 (bound to 衡南县), ``inspector`` 督查员 and ``admin`` 管理员 with random passwords,
turns on anonymous reading (so the dashboard shows at once), and keeps the passwords in
``<store>.demo-accounts.txt`` beside the store (readable by its owner only) so that every start can
print them.  A database that already has accounts is left alone.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from metrics import site, users  # noqa: E402
from metrics.access import Actor  # noqa: E402
from metrics.catalog import Catalog  # noqa: E402
from metrics.db import database_url, upgrade  # noqa: E402
from metrics.store import Store  # noqa: E402

# account, role, display name, units (by name)
ACCOUNTS = [
    ("leader", "leader", "演示领导", []),
    ("analyst", "analyst", "演示分析员", []),
    ("reporter", "reporter", "演示填报员（衡南县）", ["衡南县"]),
    ("inspector", "inspector", "演示督查员", []),
    ("admin", "admin", "演示管理员", []),
]


def passwords_file(store: Store) -> Path:
    return store.root.parent / (store.root.name + ".demo-accounts.txt")


def ensure(store: Store) -> dict[str, str] | None:
    """Create the demo accounts on an account-less database; returns their passwords, None if it had accounts."""
    url = database_url(store.root)
    upgrade(url)
    if not users.list_users(url).empty:
        return None
    loaded = store.catalog()
    catalog = Catalog(*loaded) if loaded else None
    operator = Actor.cli_operator()
    created = {}
    for name, role, display, unit_names in ACCOUNTS:
        password = secrets.token_urlsafe(9)
        users.add_user(url, operator, name, role, units=users.resolve_units(unit_names, catalog), password=password,
                       display_name=display)
        created[name] = password
    site.set_setting(url, operator, "anonymous_read", True)
    path = passwords_file(store)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("".join(f"{name}\t{role}\t{created[name]}\n" for name, role, _d, _u in ACCOUNTS))
    return created


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="store directory (default: $METRICS_STORE or data/store)")
    store = Store(parser.parse_args(argv).store)
    ensure(store)
    path = passwords_file(store)
    if not path.exists():
        return 0
    print("演示账号（合成演示数据，仅供试用）/ demo accounts (synthetic demo only):")
    labels = {role: display for _n, role, display, _u in ACCOUNTS}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, role, password = line.split("\t")
        print(f"  {name:<10} {password:<14} {labels.get(role, role)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
