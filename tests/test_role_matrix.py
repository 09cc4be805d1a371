"""The role × action matrix: each demo role, each write, allowed or refused — through the services the
page calls and through the command line (``--user``), on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from factories import write_catalog, write_xlsx

from metrics import audit, period_lock, rollback, users
from metrics.access import Actor, Forbidden
from metrics.accounts import actor_for
from metrics.cli import main
from metrics.importer import import_file
from metrics.messages import ImportRefused
from metrics.store import Store

OPERATOR = Actor.cli_operator()
ACCOUNTS = {"leader": [], "analyst": [], "reporter": ["430421"], "inspector": [], "admin": []}
ACTIONS = ["upload_own_unit", "upload_other_unit", "import_catalog", "lock_period", "unlock_period", "rollback",
           "read_audit", "add_user"]
ALLOWED = {  # role -> the actions it may take (everything else is refused)
    "leader": set(),
    "analyst": set(),
    "reporter": {"upload_own_unit"},
    "inspector": set(),
    "admin": set(ACTIONS),
}
MATRIX = [(role, action, action in ALLOWED[role]) for role in ACCOUNTS for action in ACTIONS]


@pytest.fixture(scope="module")
def template_store(tmp_path_factory) -> Path:
    """The catalog (v1) and 2021Q3 figures (v2), imported once; each test gets a copy."""
    tmp = tmp_path_factory.mktemp("matrix")
    store = Store(tmp / "store")
    import_file(write_catalog(tmp / "目录.xlsx"), store, db_url=f"sqlite:///{tmp / 'scratch.sqlite3'}")
    import_file(write_xlsx(tmp / "q3.xlsx", [["2021Q3", "衡阳县", "GDP", 400, None, 310, None],
                                             ["2021Q3", "衡南县", "GDP", 380, None, 300, None]]), store,
                db_url=f"sqlite:///{tmp / 'scratch.sqlite3'}")
    return store.root


@pytest.fixture
def base_sqlite(template_store, tmp_path, monkeypatch):
    """The command line's matrix on the default database (a SQLite file beside the store); the same
    matrix runs on both backends through the services above."""
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    monkeypatch.delenv("METRICS_DB", raising=False)
    shutil.copytree(template_store, tmp_path / "store")
    for role, units in ACCOUNTS.items():
        users.add_user(url, OPERATOR, role, role, units=units)
    return Store(tmp_path / "store"), url, tmp_path


@pytest.fixture
def base(template_store, tmp_path, db_url, monkeypatch):
    monkeypatch.setenv("METRICS_DB", db_url)
    shutil.copytree(template_store, tmp_path / "store")
    store = Store(tmp_path / "store")
    for role, units in ACCOUNTS.items():   # acting with --user needs no password (sign-in is tested elsewhere)
        users.add_user(db_url, OPERATOR, role, role, units=units)
    return store, db_url, tmp_path


def _own(tmp):
    return write_xlsx(tmp / "own.xlsx", [["2021Q3", "衡阳县", "GDP", 400, None, 311, None]])


def _other(tmp):
    return write_xlsx(tmp / "other.xlsx", [["2021Q3", "衡南县", "GDP", 380, None, 301, None]])


def _service(action: str, actor: Actor, store: Store, url: str, tmp) -> None:
    """Do ``action`` as ``actor`` through the service the page calls; raises when refused."""
    if action == "upload_own_unit":
        import_file(_own(tmp), store, actor=actor, db_url=url)
    elif action == "upload_other_unit":
        import_file(_other(tmp), store, actor=actor, db_url=url)
    elif action == "import_catalog":
        import_file(write_catalog(tmp / "目录2.xlsx", units=None), store, actor=actor, db_url=url)
    elif action == "lock_period":
        period_lock.lock(url, actor, "2021Q2")
    elif action == "unlock_period":
        period_lock.lock(url, OPERATOR, "2021Q1")
        period_lock.unlock(url, actor, "2021Q1", "矩阵测试")
    elif action == "rollback":
        rollback.rollback(store, url, actor, 2, "矩阵测试")
    elif action == "read_audit":
        audit.for_reader(url, actor)
    elif action == "add_user":
        users.add_user(url, actor, "newcomer", "leader")


def _cli(action: str, user: str, store: Store, tmp) -> int:
    s = ["--store", str(store.root), "--user", user]
    if action == "upload_own_unit":
        return main(["import", str(_own(tmp)), *s])
    if action == "upload_other_unit":
        return main(["import", str(_other(tmp)), *s])
    if action == "import_catalog":
        return main(["import", str(write_catalog(tmp / "目录2.xlsx")), *s])
    if action == "lock_period":
        return main(["period", "lock", "2021Q2", *s])
    if action == "unlock_period":
        assert main(["period", "lock", "2021Q1", "--store", str(store.root)]) == 0
        return main(["period", "unlock", "2021Q1", "--reason", "矩阵测试", *s])
    if action == "rollback":
        return main(["rollback", "2", "--reason", "矩阵测试", *s])
    if action == "read_audit":
        return main(["audit", *s])
    if action == "add_user":
        return main(["users", "add", "newcomer", "--role", "leader", "--no-password", *s])
    raise AssertionError(action)


@pytest.mark.parametrize(("role", "action", "allowed"), MATRIX, ids=[f"{r}-{a}" for r, a, _ in MATRIX])
def test_role_action_matrix_through_the_services(base, role, action, allowed):
    store, url, tmp = base
    before = (store.latest_version(), len(audit.entries(url)))
    actor = actor_for(url, role)
    if allowed:
        _service(action, actor, store, url, tmp)
        if action != "read_audit":
            assert len(audit.entries(url)) > before[1], "an allowed write leaves an audit row"
    else:
        with pytest.raises((Forbidden, ImportRefused)):
            _service(action, actor, store, url, tmp)
        assert store.latest_version() == before[0], "a refused write changes no figure"


@pytest.mark.parametrize(("role", "action", "allowed"), MATRIX, ids=[f"{r}-{a}" for r, a, _ in MATRIX])
def test_role_action_matrix_through_the_command_line(base_sqlite, role, action, allowed, capsys):
    store, url, tmp = base_sqlite
    before = store.latest_version()
    code = _cli(action, role, store, tmp)
    out = capsys.readouterr()
    if allowed:
        assert code == 0, out.out + out.err
    else:
        assert code in (1, 3), out.out + out.err         # 1: a file refused (located), 3: forbidden
        assert "无权" in out.out + out.err or "不在账号" in out.out + out.err
        assert store.latest_version() == before
