"""The sign-in page through AppTest: the gate when anonymous reading is off, signing in and out,
lock-out, and single sign-on mapped onto an account; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from conftest_ui import assert_clean, open_app

from metrics import sessions, site, users
from metrics.access import Actor

OPERATOR = Actor.cli_operator()
PASSWORD = "衡阳-correct-horse"


@pytest.fixture
def site_db(db_url, store, monkeypatch):
    """The test store with its database on the parametrised backend and a 填报员 account."""
    monkeypatch.setenv("METRICS_DB", db_url)
    users.add_user(db_url, OPERATOR, "wang", "reporter", units=["430422"], password=PASSWORD, display_name="王填报")
    return store.root, db_url


def _login(at, name: str, password: str):
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click()
    return at.run()


def test_without_anonymous_reading_only_the_sign_in_page_is_offered(site_db):
    root, _db = site_db
    at = open_app(root, anonymous=False)
    assert_clean(at)
    assert [t.value for t in at.title] == ["登录云绩效"]
    with pytest.raises(ValueError, match="Known pages: \\['.*pages/login.py'\\]"):
        at.switch_page("pages/data.py")


def test_signing_in_and_out_through_the_page(site_db):
    root, db = site_db
    at = open_app(root, anonymous=False)
    _login(at, "wang", "wrong-password")
    assert [e.value for e in at.error] == ["账号或密码错误"]
    _login(at, "wang", PASSWORD)
    assert_clean(at)
    assert "当前用户：王填报（填报员）" in [c.value for c in at.sidebar.caption]
    sid = at.session_state["_login_session"]
    assert sessions.actor_for_session(db, sid).name == "wang"
    at.switch_page("pages/data.py")
    at.run()
    assert [t.value for t in at.title] == ["数据"]
    at.sidebar.button(key="logout").click()
    at.run()
    assert [t.value for t in at.title] == ["登录云绩效"]
    assert sessions.actor_for_session(db, sid) is None           # revoked on the server


def test_the_page_locks_an_account_after_repeated_failures(site_db):
    root, db = site_db
    site.set_setting(db, OPERATOR, "max_failed_logins", 2)
    at = open_app(root, anonymous=False)
    for _ in range(2):
        _login(at, "wang", "wrong-password")
    _login(at, "wang", PASSWORD)
    assert "已锁定" in at.error[0].value and at.title[0].value == "登录云绩效"


def test_with_anonymous_reading_the_dashboard_opens_and_offers_sign_in(site_db):
    root, _db = site_db
    at = open_app(root)
    assert_clean(at)
    assert at.title[0].value != "登录云绩效"
    at.switch_page("pages/login.py")
    at.run()
    assert at.title[0].value == "登录云绩效"
    _login(at, "wang", PASSWORD)
    assert "当前用户：王填报（填报员）" in [c.value for c in at.sidebar.caption]
    with pytest.raises(ValueError):          # signed in: the sign-in page is no longer offered
        at.switch_page("pages/login.py")


def test_single_sign_on_identity_maps_onto_its_account(site_db, monkeypatch):
    root, db = site_db
    users.add_user(db, OPERATOR, "li", "leader", email="li@hengyang.gov.cn", display_name="李领导")
    from ui import identity

    monkeypatch.setattr(identity, "sso_configured", lambda: True)
    monkeypatch.setattr(identity, "_sso_email", lambda: "li@hengyang.gov.cn")
    at = open_app(root, anonymous=False)
    assert_clean(at)
    assert "当前用户：李领导（领导）" in [c.value for c in at.sidebar.caption]
    monkeypatch.setattr(identity, "_sso_email", lambda: "stranger@example.com")
    at = open_app(root, anonymous=False)
    assert at.title[0].value == "登录云绩效" and "没有对应的启用账号" in at.error[0].value
