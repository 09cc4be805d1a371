"""Issue 13 item 10: the Chinese data page speaks Chinese, and its version line follows an import."""

from __future__ import annotations

import shutil

from metrics import periods as per
from metrics import users
from metrics.access import Actor
from metrics.db import database_url
from metrics.store import Store
from tests.conftest_ui import assert_clean, open_app
from tests.test_pages_data_presenter import _long_sheet
from ui.i18n import ZH

ADMIN = ("测试员", "test-admin-password")


def test_versions_in_chinese(demo_store):
    at = open_app(demo_store.root, "pages/data.py")
    assert_clean(at)
    table = next(d.value for d in at.dataframe if ZH["col.version"] in d.value.columns)
    assert "figures" not in set(table[ZH["col.kind"]]) and "catalog" not in set(table[ZH["col.kind"]])
    periods = " ".join(table[ZH["col.periods"]])
    assert per.label("2021Q4") in periods and "2021Q4" not in periods
    assert "2022-01-07" in set(table[ZH["ver.received"]])


def test_version_line_updates_right_after_an_import(demo_store, tmp_path):
    shutil.copytree(demo_store.root, tmp_path / "store")
    users.add_user(database_url(tmp_path / "store"), Actor.cli_operator(), ADMIN[0], "admin", password=ADMIN[1])
    store = Store(tmp_path / "store")
    before = store.latest_version()
    at = open_app(store.root, "pages/data.py", login=ADMIN)
    at.file_uploader[0].set_value(("补报.xlsx", _long_sheet([["2021年1-9月", "珠晖区", "新增学位", None, None, 998]]),
                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    at.button[0].click().run()                     # 预览: nothing is written yet
    assert_clean(at)
    assert store.latest_version() == before
    at.button(key="upl_confirm").click().run()     # 确认导入
    assert_clean(at)
    assert store.latest_version() == before + 1
    fresh = " ".join(h.proto.body for h in at.get("html") if "yjx-fresh" in h.proto.body)
    assert f"v{before + 1}" in fresh and f"v{before}" not in fresh.replace(f"v{before + 1}", "")
