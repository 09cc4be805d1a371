"""The shared database: schema on both backends, the permission check, and writes that cannot skip
their audit row."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from metrics import accounts, writes
from metrics.access import DEFAULT_ROLES, PERMISSIONS, Actor, Forbidden, check
from metrics.db import database_url, session_scope, upgrade
from metrics.db.models import AuditEntry, Role, User, UserUnit

ROOT = Path(__file__).resolve().parents[1]


def _add_user(url: str, name: str, role: str, units=(), disabled=False) -> None:
    with session_scope(url) as s:
        s.add(User(name=name, role=role, display_name=name, disabled=disabled,
                   units=[UserUnit(unit_code=u) for u in units]))


def _script_heads() -> list[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from metrics.db.engine import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return sorted(ScriptDirectory.from_config(cfg).get_heads())


def test_schema_is_created_with_the_default_roles(db_url):
    assert upgrade(db_url, force=True) == _script_heads()  # idempotent on an up-to-date schema
    assert len(_script_heads()) == 1, "migrations must form one line (set down_revision to the previous head)"
    with session_scope(db_url) as s:
        roles = {r.name: r for r in s.scalars(select(Role))}
    assert set(roles) == set(DEFAULT_ROLES)
    assert roles["reporter"].unit_scoped and not roles["inspector"].unit_scoped
    assert set(roles["admin"].permissions) == set(PERMISSIONS)


def test_default_database_is_a_sqlite_file_beside_the_store(tmp_path, monkeypatch):
    assert database_url(tmp_path / "store") == f"sqlite:///{tmp_path / 'store.sqlite3'}"
    monkeypatch.setenv("METRICS_DB", "postgresql+psycopg://u@h/db")
    assert database_url(tmp_path / "store") == "postgresql+psycopg://u@h/db"


def test_cli_creates_the_schema_on_an_empty_database(tmp_path):
    out = subprocess.run([sys.executable, "-m", "metrics", "db", "upgrade", "--store", str(tmp_path / "store")],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert _script_heads()[0] in out and (tmp_path / "store.sqlite3").is_file()


def test_two_processes_upgrading_an_empty_database_at_once(tmp_path):
    cmd = [sys.executable, "-m", "metrics", "db", "upgrade", "--store", str(tmp_path / "store")]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert [r[2] for r in results] == [0, 0, 0], results


def test_actor_for_an_account(db_url):
    _add_user(db_url, "wang", "reporter", units=["430421"])
    _add_user(db_url, "li", "leader", disabled=True)
    actor = accounts.actor_for(db_url, "wang", ip="10.0.0.7")
    assert (actor.role, actor.units, actor.unit_scoped, actor.ip) == ("reporter", {"430421"}, True, "10.0.0.7")
    with pytest.raises(Forbidden, match="已停用"):
        accounts.actor_for(db_url, "li")
    with pytest.raises(Forbidden, match="不存在"):
        accounts.actor_for(db_url, "nobody")


def test_check_scopes_a_reporter_to_his_units():
    perms = frozenset(DEFAULT_ROLES["reporter"][2])
    clerk = Actor(name="wang", role="reporter", permissions=perms, units=frozenset({"430421"}), unit_scoped=True)
    check(clerk, "figures.upload", "430421")
    with pytest.raises(Forbidden) as refused:
        check(clerk, "figures.upload", ["430421", "430422", "430423"])
    assert "430422、430423" in refused.value.message("zh") and "430421" in refused.value.message("zh")
    with pytest.raises(Forbidden):
        check(clerk, "ledger.manage")
    leader = Actor(name="zhao", role="leader", permissions=frozenset(DEFAULT_ROLES["leader"][2]))
    with pytest.raises(Forbidden) as refused:
        check(leader, "figures.upload", "430421")
    assert refused.value.message("en").startswith("not allowed to upload figures")
    check(Actor.cli_operator(), "users.manage")
    with pytest.raises(ValueError):
        check(leader, "no.such.permission")


def test_a_write_records_its_audit_row_in_the_same_transaction(db_url):
    admin = Actor(name="root", role="admin", permissions=frozenset(PERMISSIONS), ip="127.0.0.1")
    with writes.write(db_url, admin, "users.manage") as w:
        w.session.add(User(name="new", role="analyst", display_name="新用户"))
        w.audit("users.add", "user", "new", after={"role": "analyst"})
    with session_scope(db_url) as s:
        row = s.scalar(select(AuditEntry))
        assert (row.actor, row.action, row.target_id, row.ip, row.summary) == (
            "root", "users.add", "new", "127.0.0.1", {"after": {"role": "analyst"}})
        assert row.at.tzinfo is not None


def test_a_write_without_an_audit_row_is_rolled_back(db_url):
    admin = Actor(name="root", role="admin", permissions=frozenset(PERMISSIONS))
    with pytest.raises(RuntimeError, match="no audit row"), writes.write(db_url, admin, "users.manage") as w:
        w.session.add(User(name="ghost", role="analyst", display_name=""))
    with session_scope(db_url) as s:
        assert s.scalar(select(func.count()).select_from(User)) == 0


def test_a_forbidden_write_opens_nothing(db_url):
    leader = Actor(name="zhao", role="leader", permissions=frozenset({"read"}))
    with pytest.raises(Forbidden), writes.write(db_url, leader, "users.manage") as w:
        w.session.add(User(name="sneaky", role="admin", display_name=""))
        w.audit("users.add", "user", "sneaky")
    with session_scope(db_url) as s:
        assert s.scalar(select(func.count()).select_from(User)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_concurrent_writers_each_get_their_row(db_url):
    admin = Actor(name="root", role="admin", permissions=frozenset(PERMISSIONS))

    def add(i: int) -> None:
        writes.record(db_url, admin, "test.ping", "n", i)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(add, range(20)))
    with session_scope(db_url) as s:
        assert sorted(int(r) for r in s.scalars(select(AuditEntry.target_id))) == list(range(20))
