"""``python -m metrics users …`` and ``site …``: accounts and settings at the command line, units by
code, name or alias, only a 管理员 (or the server's operator) may change them; the demo accounts."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
import stat

import pytest
from conftest import DEMO

from metrics import passwords, signin, site, users
from metrics.access import Actor
from metrics.cli import main
from metrics.db.engine import session_scope
from metrics.db.models import AuditEntry
from metrics.store import Store

OPERATOR = Actor.cli_operator()


@pytest.fixture
def cli(store, db_url, monkeypatch, capsys):
    """Run the CLI on the test store with its database on the parametrised backend."""
    monkeypatch.setenv("METRICS_DB", db_url)

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main([*args, "--store", str(store.root)])
        out = capsys.readouterr()
        return code, out.out, out.err

    run.db = db_url
    return run


def test_add_list_and_sign_in(cli):
    code, out, _ = cli("users", "add", "wang", "--role", "reporter", "--unit", "衡南", "--unit", "430405",
                       "--display-name", "王填报", "--password-stdin", stdin="衡阳-correct-horse\n")
    assert code == 0 and "已添加账号 wang" in out
    code, out, _ = cli("users", "list", "--json")
    [row] = json.loads(out)
    assert (row["name"], row["role"], row["units"], row["state"], row["password"]) == (
        "wang", "reporter", ["430405", "430422"], "enabled", True)
    _opened, actor = signin.login(cli.db, "wang", "衡阳-correct-horse")
    assert actor.units == {"430405", "430422"}


def test_units_by_name_alias_or_code_and_unknown_ones_refused(cli):
    code, _, err = cli("users", "add", "li", "--role", "reporter", "--unit", "衡南悉", "--password-stdin",
                       stdin="衡阳-correct-horse\n")
    assert code == 2 and "未知单位" in err and "衡南县" in err
    code, _, err = cli("users", "add", "li", "--role", "reporter", "--unit", "白沙镇", "--password-stdin",
                       stdin="衡阳-correct-horse\n")
    assert code == 2 and "多个同名单位" in err
    code, _, err = cli("users", "add", "li", "--role", "reporter", "--password-stdin", stdin="衡阳-correct-horse\n")
    assert code == 2 and "须绑定至少一个单位" in err
    assert users.list_users(cli.db).empty


def test_only_an_administrator_changes_accounts(cli):
    users.add_user(cli.db, OPERATOR, "zhao", "leader", password="zhao-password-1")
    users.add_user(cli.db, OPERATOR, "boss", "admin", password="boss-password-1")
    code, _, err = cli("users", "add", "x", "--role", "admin", "--no-password", "--user", "zhao")
    assert code == 3 and "无权管理账号" in err
    code, _, err = cli("users", "add", "x", "--role", "admin", "--no-password", "--user", "ghost")
    assert code == 3 and "不存在" in err
    assert cli("users", "add", "x", "--role", "analyst", "--no-password", "--user", "boss")[0] == 0
    assert cli("users", "disable", "x", "--user", "boss")[0] == 0
    code, _, err = cli("users", "disable", "boss", "--user", "boss")
    assert code == 2 and "不能停用自己" in err
    with session_scope(cli.db) as s:
        rows = [(a.actor, a.action, a.target_id) for a in s.query(AuditEntry).order_by(AuditEntry.id)]
    assert ("boss", "users.add", "x") in rows and ("boss", "users.disable", "x") in rows
    assert users.list_users(cli.db).set_index("name").loc["x", "state"] == "disabled"


def test_passwd_role_enable_and_roles(cli):
    users.add_user(cli.db, OPERATOR, "wang", "analyst", password="old-password-1")
    code, out, _ = cli("users", "passwd", "wang", "--password-stdin", stdin="new-password-2\n")
    assert code == 0 and "结束会话 0 个" in out
    signin.login(cli.db, "wang", "new-password-2")
    code, _, err = cli("users", "passwd", "wang", "--password-stdin", stdin="short\n")
    assert code == 2 and "至少 8 位" in err
    assert cli("users", "role", "wang", "--role", "reporter", "--unit", "珠晖区")[0] == 0
    assert users.list_users(cli.db).set_index("name").loc["wang", "units"] == ["430405"]
    code, out, _ = cli("users", "roles")
    assert "reporter  填报员（上报类权限仅限绑定单位）: 查看、导出、上报数据" in out
    code, out, _ = cli("users", "roles", "--json")
    assert {r["name"] for r in json.loads(out)} == {"leader", "analyst", "reporter", "inspector", "admin"}


def test_site_settings(cli):
    assert site.get(cli.db, "anonymous_read") is False
    code, out, _ = cli("site", "set", "anonymous_read", "on")
    assert code == 0 and "anonymous_read = on" in out and site.get(cli.db, "anonymous_read") is True
    code, _, err = cli("site", "set", "session_hours", "0")
    assert code == 2 and "1–2160" in err
    code, _, err = cli("site", "set", "lockout_minutes", "abc")
    assert code == 2 and "整数" in err
    users.add_user(cli.db, OPERATOR, "zhao", "leader", password="zhao-password-1")
    assert cli("site", "set", "anonymous_read", "off", "--user", "zhao")[0] == 3
    assert json.loads(cli("site", "show", "--json")[1])["anonymous_read"] is True


def test_demo_accounts_one_per_role(demo_store, tmp_path, capsys):
    root = tmp_path / "store"
    shutil.copytree(demo_store.root, root)
    spec = importlib.util.spec_from_file_location("demo_accounts", DEMO / "accounts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--store", str(root)]) == 0
    printed = capsys.readouterr().out
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    table = users.list_users(url).set_index("name")
    assert sorted(table["role"]) == ["admin", "analyst", "inspector", "leader", "reporter"]
    assert table.loc["reporter", "units"] == ["430422"]
    assert site.get(url, "anonymous_read") is True
    secrets_file = module.passwords_file(Store(root))
    assert stat.S_IMODE(os.stat(secrets_file).st_mode) == 0o600
    for line in secrets_file.read_text().splitlines():
        name, _role, password = line.split("\t")
        assert password in printed and passwords.verify(None, password) is False
        signin.login(url, name, password)
    assert module.ensure(Store(root)) is None           # a second start changes nothing
    assert module.main(["--store", str(root)]) == 0 and capsys.readouterr().out == printed
