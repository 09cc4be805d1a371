"""Who may change what: unit-scoped imports, the preview diff, period locks, rollback, the audit trail —
on SQLite and on PostgreSQL (``db_url``)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from factories import write_catalog, write_xlsx
from sqlalchemy import select

from metrics import audit, period_lock, preview, rollback, users
from metrics.access import Actor, Forbidden
from metrics.accounts import actor_for
from metrics.cli import main
from metrics.db import session_scope
from metrics.db.models import AuditEntry
from metrics.importer import import_file
from metrics.messages import ImportRefused
from metrics.store import Store

OPERATOR = Actor.cli_operator()
PASSWORD = "衡阳-治理-测试1"
Q3 = [["2021Q3", "衡阳县", "GDP", 400, None, 310, None],
      ["2021Q3", "衡南县", "GDP", 380, None, 300, None]]


@pytest.fixture
def world(tmp_path, db_url, monkeypatch):
    """A store with the test catalog (v1) and 2021Q3 figures (v2), accounts of every role, one database."""
    monkeypatch.setenv("METRICS_DB", db_url)
    store = Store(tmp_path / "store")
    import_file(write_catalog(tmp_path / "目录.xlsx"), store, db_url=db_url)
    import_file(write_xlsx(tmp_path / "q3.xlsx", Q3), store, db_url=db_url)
    for name, role, units in [("lead", "leader", []), ("ana", "analyst", []), ("wang", "reporter", ["430421"]),
                              ("insp", "inspector", []), ("zhang", "admin", [])]:
        users.add_user(db_url, OPERATOR, name, role, units=units, password=PASSWORD)
    return store, db_url, tmp_path


def _audit(url, action):
    with session_scope(url) as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_a_reporters_file_with_another_units_row_is_refused_naming_the_rows(world):
    store, url, tmp = world
    before = store.latest_version()
    wang = actor_for(url, "wang")
    bad = write_xlsx(tmp / "衡阳县.xlsx", [["2021Q3", "衡阳县", "GDP", 400, None, 320, None],
                                          ["2021Q3", "衡南县", "GDP", 380, None, 301, None],
                                          ["2021Q3", "衡山县", "GDP", 200, None, 150, None]])
    with pytest.raises(ImportRefused) as refused:
        import_file(bad, store, actor=wang, db_url=url)
    rendered = [p.render() for p in refused.value.problems]
    assert rendered == [
        "文件 衡阳县.xlsx，工作表 Sheet1，第 3 行，B 列：单位“衡南县”不在账号 wang 负责的单位内（负责：衡阳县），整份文件未导入",
        "文件 衡阳县.xlsx，工作表 Sheet1，第 4 行，B 列：单位“衡山县”不在账号 wang 负责的单位内（负责：衡阳县），整份文件未导入"]
    assert store.latest_version() == before and _audit(url, "figures.import")[-1].actor != "wang"
    good = write_xlsx(tmp / "衡阳县.xlsx", [["2021Q3", "衡阳县", "GDP", 400, None, 320, None]])
    done = import_file(good, store, actor=wang, db_url=url)
    assert done.version == before + 1 and store.manifest(done.version)["user"] == "wang"
    assert store.manifest(done.version)["acting"] == "account"
    row = _audit(url, "figures.import")[-1]
    assert (row.actor, row.role, row.target_id, row.summary["after"]["changed_fields"]) == (
        "wang", "reporter", str(done.version), 1)


def test_the_command_line_applies_the_named_accounts_role_and_units(world, capsys):
    store, url, tmp = world
    bad = write_xlsx(tmp / "b.xlsx", [["2021Q3", "衡南县", "GDP", 380, None, 302, None]])
    assert main(["import", str(bad), "--store", str(store.root), "--user", "wang"]) == 1
    out = capsys.readouterr().out
    assert "第 2 行，B 列：单位“衡南县”不在账号 wang 负责的单位内" in out
    assert main(["import", str(bad), "--store", str(store.root), "--user", "ana"]) == 1
    assert "无权上报数据（当前账号 ana，角色 analyst）" in capsys.readouterr().out
    assert main(["import", str(bad), "--store", str(store.root), "--user", "nobody"]) == 3
    assert "账号“nobody”不存在" in capsys.readouterr().err
    assert main(["import", str(bad), "--store", str(store.root)]) == 0    # the server's operator
    capsys.readouterr()
    assert main(["versions", "--store", str(store.root)]) == 0
    assert "（服务器操作员）" in capsys.readouterr().out
    cat = write_catalog(tmp / "目录2.xlsx", indicators=None)
    assert main(["import", str(cat), "--store", str(store.root), "--user", "wang"]) == 1
    assert "无权管理指标目录" in capsys.readouterr().out


def test_preview_diff_equals_what_the_commit_changes(world, capsys):
    store, url, tmp = world
    change = write_xlsx(tmp / "更正.xlsx", [["2021Q3", "衡阳县", "GDP", 400, None, 315.5, "核实"],
                                            ["2021Q3", "衡南县", "GDP", 380, None, 300, None],
                                            ["2021Q3", "衡山县", "GDP", 200, None, 150, None]])
    dry = import_file(change, store, dry_run=True, db_url=url)
    assert dry.version is None and dry.diff.counts() == {"added_rows": 1, "changed_fields": 2, "removed_rows": 0,
                                                         "unchanged_fields": 3}
    assert sorted(zip(dry.diff.changed["field"], dry.diff.changed["before"], dry.diff.changed["after"],
                      strict=True), key=str) == sorted([("actual", 310.0, 315.5), ("note", None, "核实")], key=str)
    before = store.figures()
    done = import_file(change, store, db_url=url)
    actual = preview.diff_views(before, store.figures())
    assert actual.counts() == {**dry.diff.counts(), "unchanged_fields": 0}
    pd.testing.assert_frame_equal(actual.changed[["unit_code", "field", "before", "after"]],
                                  dry.diff.changed[["unit_code", "field", "before", "after"]])
    assert list(actual.added["unit_code"]) == list(dry.diff.added["unit_code"]) == ["430423"]
    assert done.diff.counts()["changed_fields"] == 2
    # the command line's --dry-run prints the same diff
    assert main(["import", str(change), "--store", str(store.root), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "预览：新增 0 行，变更 0 个数值，从当前数据中消失 0 行（无：导入只增加和更正，不删除）" in out
    other = write_xlsx(tmp / "再改.xlsx", [["2021Q3", "衡阳县", "GDP", 410, None, 316, None]])
    assert main(["import", str(other), "--store", str(store.root), "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["files"][0]["diff"]
    assert [(c["unit_name"], c["field"], c["before"], c["after"]) for c in data["changed"]] == [
        ("衡阳县", "actual", 315.5, 316.0), ("衡阳县", "target", 400.0, 410.0)]
    assert main(["import", str(other), "--store", str(store.root), "--dry-run"]) == 0
    assert "~ 2021Q3 衡阳县 / 地区生产总值 完成值：315.5 → 316（工作表 Sheet1 第 2 行）" in capsys.readouterr().out


def test_a_locked_period_refuses_imports_until_unlocked_with_a_reason(world, capsys):
    store, url, tmp = world
    zhang, wang = actor_for(url, "zhang"), actor_for(url, "wang")
    with pytest.raises(Forbidden, match="无权锁定期间"):
        period_lock.lock(url, wang, "2021Q3")
    period_lock.lock(url, zhang, "2021年三季度", "通报已印发")
    fix = write_xlsx(tmp / "fix.xlsx", [["2021-07", "衡阳县", "GDZC", 50, None, 20, None],
                                        ["2021-09", "衡阳县", "GDZC", 80, None, 60, None]])
    with pytest.raises(ImportRefused) as refused:
        import_file(fix, store, actor=wang, db_url=url)
    [problem] = refused.value.problems   # 2021-09 ends with the quarter: the same moment, locked
    assert problem.render().startswith("文件 fix.xlsx，工作表 Sheet1，第 3 行：期间 2021Q3 已于 ")
    assert "由 zhang 锁定（通报已印发），不能导入该期数据" in problem.render()
    with pytest.raises(ImportRefused):
        import_file(fix, store, db_url=url)    # the operator too: a lock is for everyone
    with pytest.raises(period_lock.LockError, match="解锁必须填写原因"):
        period_lock.unlock(url, zhang, "2021Q3", " ")
    assert main(["period", "unlock", "2021Q3", "--store", str(store.root), "--user", "wang", "--reason", "x"]) == 3
    assert main(["period", "unlock", "2021Q3", "--store", str(store.root), "--user", "zhang",
                 "--reason", "统计局更正9月数"]) == 0
    assert "已解锁期间 2021Q3" in capsys.readouterr().out
    assert import_file(fix, store, actor=wang, db_url=url).version == store.latest_version()
    assert main(["period", "lock", "2021Q3", "--store", str(store.root), "--user", "zhang"]) == 0
    assert main(["period", "list", "--store", str(store.root), "--json"]) == 0
    assert [k["period"] for k in json.loads(capsys.readouterr().out.split("\n", 1)[1])] == ["2021Q3"]
    rows = [(r.action, r.actor, r.reason) for r in _audit(url, "period.lock") + _audit(url, "period.unlock")]
    assert rows == [("period.lock", "zhang", "通报已印发"), ("period.lock", "zhang", ""),
                    ("period.unlock", "zhang", "统计局更正9月数")]


def test_rollback_restores_the_view_exactly(world, capsys):
    store, url, tmp = world
    v2 = store.latest_version()
    hash_v2 = preview.view_hash(store.figures())
    change = write_xlsx(tmp / "错报.xlsx", [["2021Q3", "衡阳县", "GDP", 999, None, 999, "错"],
                                            ["2021Q3", "衡山县", "GDP", 200, None, 150, None]])
    v3 = import_file(change, store, db_url=url).version
    assert preview.view_hash(store.figures()) != hash_v2
    with pytest.raises(Forbidden, match="无权回退版本"):
        rollback.rollback(store, url, actor_for(url, "wang"), v3, "错报")
    with pytest.raises(rollback.RollbackError, match="回退必须填写原因"):
        rollback.rollback(store, url, actor_for(url, "zhang"), v3, "")
    shown = rollback.preview_plan(store, v3)
    assert shown.diff.counts() == {"added_rows": 0, "changed_fields": 3, "removed_rows": 1, "unchanged_fields": 0}
    new, _ = rollback.rollback(store, url, actor_for(url, "zhang"), v3, "衡阳县错报")
    assert new == v3 + 1 and preview.view_hash(store.figures()) == hash_v2
    assert preview.view_hash(store.figures(v3)) != hash_v2      # history is kept: v3 still reads as it was
    assert store.manifest(new)["rollback_of"] == v3 and store.manifest(new)["reason"] == "衡阳县错报"
    [row] = _audit(url, "version.rollback")
    assert (row.actor, row.target_id, row.reason, row.summary["after"]["new_version"]) == ("zhang", str(v3),
                                                                                             "衡阳县错报", new)
    # rolling back the rollback brings v3's values back; the command line needs a reason and an administrator
    assert main(["rollback", str(new), "--store", str(store.root), "--user", "wang", "--reason", "x"]) == 3
    assert main(["rollback", str(new), "--store", str(store.root), "--user", "zhang", "--reason", "撤销回退"]) == 0
    assert preview.view_hash(store.figures()) == preview.view_hash(store.figures(v3))
    assert v2 < v3


def test_rollback_of_an_earlier_version_keeps_later_corrections(world):
    store, url, tmp = world
    v3 = import_file(write_xlsx(tmp / "a.xlsx", [["2021Q3", "衡阳县", "GDP", 401, None, 311, None],
                                                 ["2021Q3", "衡南县", "GDP", 381, None, 301, None]]),
                     store, db_url=url).version
    import_file(write_xlsx(tmp / "b.xlsx", [["2021Q3", "衡南县", "GDP", None, None, 305, None]]), store, db_url=url)
    rollback.rollback(store, url, OPERATOR, v3, "a.xlsx 有误")
    view = store.figures().set_index("unit_code")
    assert (view.loc["430421", "actual"], view.loc["430421", "target"]) == (310.0, 400.0)   # restored from v2
    assert (view.loc["430422", "actual"], view.loc["430422", "target"]) == (305.0, 380.0)   # v4's correction kept


def test_a_rollback_into_a_locked_period_is_refused(world):
    store, url, tmp = world
    v3 = import_file(write_xlsx(tmp / "a.xlsx", [["2021Q3", "衡阳县", "GDP", 401, None, 311, None]]),
                     store, db_url=url).version
    period_lock.lock(url, OPERATOR, "2021Q3", "通报")
    with pytest.raises(ImportRefused, match="1 problem"):
        rollback.rollback(store, url, OPERATOR, v3, "x")
    assert store.latest_version() == v3


def test_audit_rows_for_each_write_and_the_audit_command(world, capsys):
    store, url, tmp = world
    zhang = actor_for(url, "zhang")
    period_lock.lock(url, zhang, "2021Q3", "通报")
    actions = {r.action for r in _audit(url, "figures.import") + _audit(url, "catalog.import")
               + _audit(url, "users.add") + _audit(url, "period.lock")}
    assert actions == {"figures.import", "catalog.import", "users.add", "period.lock"}
    table = audit.for_reader(url, zhang, action="users")
    assert sorted(table["target_id"]) == ["ana", "insp", "lead", "wang", "zhang"]
    with pytest.raises(Forbidden, match="无权查看审计记录"):
        audit.for_reader(url, actor_for(url, "ana"))
    assert main(["audit", "--store", str(store.root), "--json", "--action", "period"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["actor"], row["action"], row["target_id"], row["reason"]) == ("zhang", "period.lock", "2021Q3", "通报")
    assert main(["audit", "--store", str(store.root), "--since", "2000-01-01", "--user", "ana"]) == 3
    assert main(["audit", "--store", str(store.root), "--since", "2999-01-01"]) == 0
    assert "没有审计记录" in capsys.readouterr().out
