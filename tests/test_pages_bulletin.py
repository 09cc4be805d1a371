"""通报 in AppTest: the preview says the model's words and numbers, a format is generated with its
download, issuing is refused to a reader and gives a 管理员 the next 期号."""

from __future__ import annotations

import pytest

from metrics import users
from metrics.access import Actor
from metrics.bulletin import content, service
from metrics.bulletin.numbers import cell_text
from tests.conftest_ui import assert_clean, open_app
from ui.i18n import ZH

PASSWORD = "衡阳-通报-签发"


@pytest.fixture
def own_db(tmp_path, monkeypatch):
    """The page's database for this test only (the demo store is shared by the session)."""
    from ui import identity

    url = f"sqlite:///{tmp_path / 'bulletin.sqlite3'}"
    monkeypatch.setenv("METRICS_DB", url)
    identity.db_url.clear()   # the page keeps its database URL per store: forget the previous test's
    users.add_user(url, Actor.cli_operator(), "zhang", "admin", password=PASSWORD, display_name="张管理")
    users.add_user(url, Actor.cli_operator(), "li", "analyst", password=PASSWORD, display_name="李分析")
    yield
    identity.db_url.clear()


def test_preview_shows_the_bulletins_sections_and_numbers(demo_store, own_db):
    at = open_app(demo_store.root, "pages/bulletin.py", period="2021年第三季度")
    assert_clean(at)
    model = service.prepare(demo_store, "2021Q3")
    shown = [s.value for s in at.subheader]
    assert all(s.heading in shown for s in model.sections)
    first = model.section("rankings").tables()[0]
    frame = at.dataframe[0].value
    assert list(frame.columns) == [c.title for c in first.columns]
    assert frame.iloc[0].tolist() == [cell_text(first.rows[0], c) for c in first.columns]
    html = " ".join(h.proto.body for h in at.get("html"))
    assert model.section("overview").paragraphs()[0] in html and model.title in html
    assert any(ZH["bul.draft"] == c.value for c in at.caption)


def test_generate_a_format_then_download_it(demo_store, own_db):
    at = open_app(demo_store.root, "pages/bulletin.py", period="2021年第三季度", scope="衡阳县")
    assert_clean(at)
    assert "衡阳县" in " ".join(h.proto.body for h in at.get("html"))
    at.button(key="bul_make").click().run()
    assert_clean(at)
    assert any(c.value.startswith("已生成 衡阳市2021年第三季度绩效评估通报_衡阳县.docx") for c in at.caption)
    assert at.get("download_button"), "the generated file is offered for download"


def test_issuing_is_refused_to_a_reader_and_numbered_for_an_administrator(demo_store, own_db):
    at = open_app(demo_store.root, "pages/bulletin.py", period="2021年第三季度")
    at.button(key="bul_issue").click().run()
    assert [e.value for e in at.error] == ["无权签发通报（当前账号 anonymous，角色 anonymous）"]
    at = open_app(demo_store.root, "pages/bulletin.py", period="2021年第三季度", login=("li", PASSWORD))
    at.button(key="bul_issue").click().run()
    assert [e.value for e in at.error] == ["无权签发通报（当前账号 li，角色 analyst）"]
    at = open_app(demo_store.root, "pages/bulletin.py", period="2021年第三季度", login=("zhang", PASSWORD))
    at.button(key="bul_issue").click().run()
    assert_clean(at)
    year = content.today().year   # 期号 of the issue date's year: the page issues today
    assert any(s.value.startswith(f"已签发：{year}年第1期，{content.today().isoformat()}，zhang签发") for s in at.success)
    assert not [b for b in at.button if b.key == "bul_issue"], "an issued bulletin cannot be issued again"
