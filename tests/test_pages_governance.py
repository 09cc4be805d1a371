"""The 数据 and 审计 pages per role, in AppTest: what each role is offered, and that the server refuses
what a role may not do even when the screen offered it (a role changed between two clicks)."""

from __future__ import annotations

import shutil

import pytest
from test_pages_data_presenter import _long_sheet

from metrics import period_lock, preview, users
from metrics.access import Actor
from metrics.catalog import Catalog
from metrics.db import database_url
from metrics.store import Store
from tests.conftest_ui import assert_clean, open_app

PASSWORD = "衡阳-页面-测试1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROLES = {"lead": "leader", "ana": "analyst", "insp": "inspector", "wang": "reporter", "zhang": "admin"}


@pytest.fixture
def governed(demo_store, tmp_path):
    """A private copy of the demo store with one account per role (wang reports for 衡南县)."""
    shutil.copytree(demo_store.root, tmp_path / "store")
    url = database_url(tmp_path / "store")
    hengnan = users.resolve_units(["衡南县"], Catalog(*Store(tmp_path / "store").catalog()))
    for name, role in ROLES.items():
        users.add_user(url, Actor.cli_operator(), name, role, units=hengnan if role == "reporter" else [],
                       password=PASSWORD)
    return Store(tmp_path / "store"), url


def _texts(at) -> str:
    return " ".join([e.value for e in at.error] + [e.value for e in at.info] + [e.value for e in at.success]
                    + [c.value for c in at.caption] + [m.value for m in at.markdown] + [w.value for w in at.warning])


def _upload(at, rows, name="报表.xlsx"):
    at.file_uploader[0].set_value((name, _long_sheet(rows), XLSX))
    at.button[0].click().run()
    return at


@pytest.mark.parametrize("name", ["lead", "ana", "insp"])
def test_readers_get_no_upload_no_governance_and_no_audit(governed, name):
    store, _ = governed
    at = open_app(store.root, "pages/data.py", login=(name, PASSWORD))
    assert_clean(at)
    assert not at.file_uploader
    assert not [s for s in at.subheader if s.value in ("期间锁定", "版本回退")]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/audit.py")     # not offered; the page itself checks audit.read too (below)


def test_a_reporter_is_refused_another_units_row_then_previews_and_confirms(governed):
    store, url = governed
    before = store.latest_version()
    at = open_app(store.root, "pages/data.py", login=("wang", PASSWORD))
    _upload(at, [["2021年1-9月", "衡南县", "新增学位", None, None, 1234],
                 ["2021年1-9月", "珠晖区", "新增学位", None, None, 999]])
    [error] = [e.value for e in at.error]
    assert "第 3 行" in error and "单位“珠晖区”不在账号 wang 负责的单位内（负责：衡南县）" in error
    assert "第 2 行" not in error and store.latest_version() == before
    _upload(at, [["2021年1-9月", "衡南县", "新增学位", None, None, 1234]])
    assert_clean(at)
    assert store.latest_version() == before and "导入预览（尚未写入）" in _texts(at)
    diff = at.dataframe[0].value
    assert diff["导入后"].tolist() == ["1234"] and diff["字段"].tolist() == ["完成值"]
    view_before = store.figures()
    at.button(key="upl_confirm").click().run()
    assert_clean(at)
    assert store.latest_version() == before + 1 and store.manifest(before + 1)["user"] == "wang"
    changed = preview.diff_views(view_before, store.figures()).changed
    assert changed[["field", "after"]].values.tolist() == [["actual", 1234.0]]
    assert not [s for s in at.subheader if s.value in ("期间锁定", "版本回退")]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/audit.py")


def test_a_role_taken_away_between_preview_and_confirm_is_refused_on_the_server(governed):
    store, url = governed
    before = store.latest_version()
    at = open_app(store.root, "pages/data.py", login=("zhang", PASSWORD))
    _upload(at, [["2021年1-9月", "珠晖区", "新增学位", None, None, 4321]])
    assert "导入预览（尚未写入）" in _texts(at)
    users.set_role(url, Actor.cli_operator(), "zhang", "analyst")
    at.button(key="upl_confirm").click().run()
    assert store.latest_version() == before
    assert "无权上报数据（当前账号 zhang，角色 analyst）" in _texts(at)


def test_an_administrator_locks_a_period_and_rolls_back_on_the_page(governed):
    store, url = governed
    at = open_app(store.root, "pages/data.py", login=("zhang", PASSWORD))
    _upload(at, [["2021年1-9月", "珠晖区", "新增学位", None, None, 4321]])
    at.button(key="upl_confirm").click().run()
    bad = store.latest_version()
    hash_before = preview.view_hash(store.figures(bad - 1))
    at.selectbox[[s.label for s in at.selectbox].index("回退哪个版本")].set_value(bad)
    next(b for b in at.button if b.label == "预览回退").click().run()
    assert_clean(at)
    assert "变更 1 个数值，消失 0 行，恢复 0 行" in _texts(at)
    shown = at.dataframe[-2].value      # the rollback's diff (the versions table is last)
    assert shown["导入前"].tolist() == ["4321"] and shown["字段"].tolist() == ["完成值"]
    at.text_input(key="rollback_reason").input("误报")
    next(b for b in at.button if b.label == "确认回退").click().run()
    assert_clean(at)
    assert store.latest_version() == bad + 1 and preview.view_hash(store.figures()) == hash_before
    assert f"新版本 {bad + 1} 已生效" in _texts(at)
    at.selectbox[[s.label for s in at.selectbox].index("锁定期间")].set_value("2021Q3")
    at.text_input(key="lock_reason").input("通报已印发")
    next(b for b in at.button if b.label == "锁定").click().run()
    assert [k.period for k in period_lock.locks(url)] == ["2021Q3"]
    _upload(at, [["2021年1-9月", "珠晖区", "新增学位", None, None, 1]])
    assert "期间 2021Q3 已于" in at.error[0].value and "由 zhang 锁定（通报已印发）" in at.error[0].value
    next(b for b in at.button if b.label == "解锁").click().run()
    assert "解锁必须填写原因" in _texts(at) and period_lock.locks(url)
    at.switch_page("pages/audit.py").run()
    assert_clean(at)
    shown = at.dataframe[0].value
    assert {"period.lock", "version.rollback", "figures.import", "users.add"} <= set(shown["操作"])
    users.set_role(url, Actor.cli_operator(), "zhang", "leader")     # the page checks again on every run
    at.run()
    assert [e.value for e in at.error] == ["无权查看审计记录（当前账号 zhang，角色 leader）"]
