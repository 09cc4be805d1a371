"""数据 (versions, upload, template), the empty-store welcome page, and presenter mode in AppTest."""

from __future__ import annotations

import io
import shutil

import openpyxl
import pytest

from metrics import users
from metrics.access import Actor
from metrics.db import database_url
from metrics.store import Store
from tests.conftest_ui import assert_clean, open_app
from ui import tables
from ui.i18n import ZH


@pytest.fixture
def store_copy(demo_store, tmp_path) -> Store:
    """A private copy of the demo store (imports here must not change the shared one), with a 管理员."""
    shutil.copytree(demo_store.root, tmp_path / "store")
    users.add_user(database_url(tmp_path / "store"), Actor.cli_operator(), "测试员", "admin", password=ADMIN[1])
    return Store(tmp_path / "store")


ADMIN = ("测试员", "test-admin-password")


def _long_sheet(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["期间", "单位", "指标", "目标值", "节点目标", "完成值", "备注"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_versions_table_lists_the_store(demo_store):
    at = open_app(demo_store.root, "pages/data.py")
    assert_clean(at)
    log = demo_store.versions()
    table = next(d.value for d in at.dataframe if ZH["col.version"] in d.value.columns)
    assert table[ZH["col.version"]].tolist() == log["version"].tolist()[::-1]
    assert table[ZH["col.file"]].tolist() == log["file_name"].tolist()[::-1]
    assert table[ZH["col.user"]].tolist() == log["user"].tolist()[::-1]
    assert table[ZH["col.rows"]].tolist() == log["rows"].tolist()[::-1]
    assert set(table[ZH["col.kind"]]) == {"目录", "数据"}


def test_upload_imports_a_sheet(store_copy):
    before = store_copy.latest_version()
    at = open_app(store_copy.root, "pages/data.py", login=ADMIN)
    at.file_uploader[0].set_value(("补报.xlsx", _long_sheet([["2021年1-9月", "珠晖区", "新增学位", None, None, 999]]),
                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    at.button[0].click().run()
    assert_clean(at)
    assert store_copy.latest_version() == before, "the first step only previews"
    assert "新增 0 行，变更 1 个数值" in " ".join(c.value for c in at.caption)
    at.button(key="upl_confirm").click().run()
    assert_clean(at)
    assert store_copy.latest_version() == before + 1
    assert store_copy.versions()["user"].iloc[-1] == "测试员"
    assert ZH["data.imported"].split("{")[0] in at.success[0].value and "补报.xlsx" in at.success[0].value


def test_upload_refusal_names_row_and_column(store_copy):
    before = store_copy.latest_version()
    at = open_app(store_copy.root, "pages/data.py", login=ADMIN)
    at.file_uploader[0].set_value(("错表.xlsx", _long_sheet([["2021年1-9月", "不存在区", "新增学位", None, None, "abc"]]),
                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    at.button[0].click().run()
    assert store_copy.latest_version() == before
    message = at.error[0].value
    assert ZH["data.refused"] in message and "错表.xlsx" in message and "第 2 行" in message


def test_long_template_download():
    wb = openpyxl.load_workbook(io.BytesIO(tables.long_template()))
    head = [c.value for c in next(wb.active.iter_rows(max_row=1))]
    assert head == ["期间", "单位", "指标", "目标值", "节点目标", "完成值", "备注"]


def test_empty_store_shows_what_to_import(tmp_path):
    at = open_app(tmp_path / "empty")
    assert_clean(at)
    assert at.title[0].value == ZH["welcome.title"]
    assert "metrics import" in at.code[0].value and "streamlit run server.py" in at.code[0].value
    assert str(tmp_path / "empty") in at.info[0].value


def test_presenter_steps_through_the_fixed_sequence_and_pins(demo_store):
    at = open_app(demo_store.root, present="true", pins=["指标", "市直部门"])
    assert_clean(at)
    pager = at.get("pagination")[0]
    titles = []
    for n in range(1, 7):
        pager.set_value(n).run() if n > 1 else None
        assert_clean(at)
        titles.append(at.markdown[0].value.lstrip("# "))
        pager = at.get("pagination")[0]
    assert titles == [ZH["pres.slide.overview"], ZH["pres.slide.county_ranking"], ZH["pres.slide.shortfalls"],
                      ZH["pres.slide.province"], ZH["pres.slide.pinned"].format(page=ZH["page.indicator"]),
                      ZH["pres.slide.pinned"].format(page=ZH["page.departments"])]
    fresh = " ".join(h.proto.body for h in at.get("html") if "yjx-fresh" in h.proto.body)
    assert "2021年第四季度" in fresh and "2021-12-31" in fresh
