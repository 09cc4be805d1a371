"""Sign-in: Argon2 passwords, lock-out, sessions that survive a reload through a signed HttpOnly
cookie, tampered cookies refused, logout, single sign-on mapped onto accounts; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from metrics import passwords, sessions, signin, site, users
from metrics.access import Actor
from metrics.access_models import LoginSession
from metrics.db.base import utcnow
from metrics.db.engine import session_scope
from metrics.db.models import AuditEntry, User

OPERATOR = Actor.cli_operator()
PASSWORD = "衡阳-correct-horse"


def _actions(url: str) -> list[tuple[str, str, str]]:
    with session_scope(url) as s:
        return [(a.actor, a.action, a.target_id) for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def _cookie_for(url: str, name: str = "wang", password: str = PASSWORD) -> tuple[int, str]:
    opened, _ = signin.login(url, name, password, ip="10.1.2.3")
    value, max_age = sessions.redeem(url, opened.handoff)
    assert 0 < max_age <= 12 * 3600
    return opened.id, value


@pytest.fixture
def wang(db_url):
    users.add_user(db_url, OPERATOR, "wang", "reporter", units=["430422"], password=PASSWORD, display_name="王填报")
    return db_url


def test_passwords_are_argon2_hashes_never_the_password(wang):
    with session_scope(wang) as s:
        stored = s.scalar(select(User.password_hash).where(User.name == "wang"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert passwords.verify(stored, PASSWORD) and not passwords.verify(stored, PASSWORD + "x")
    assert not passwords.verify(None, PASSWORD)
    for weak in ("short", "aaaaaaaaaaaa", "x" * 300):
        with pytest.raises(passwords.WeakPassword):
            passwords.hash_password(weak)
    assert all(PASSWORD not in str(summary) for *_, summary in _audit_summaries(wang))


def _audit_summaries(url):
    with session_scope(url) as s:
        return [(a.action, a.summary) for a in s.scalars(select(AuditEntry))]


def test_login_gives_the_accounts_actor_and_is_audited(wang):
    opened, actor = signin.login(wang, " wang ", PASSWORD, ip="10.1.2.3")
    assert (actor.name, actor.role, actor.units, actor.ip) == ("wang", "reporter", {"430422"}, "10.1.2.3")
    assert sessions.actor_for_session(wang, opened.id).name == "wang"
    assert ("wang", "login", "wang") in _actions(wang)


@pytest.mark.parametrize("name, password", [("wang", "wrong-password"), ("nobody", PASSWORD), ("", "")])
def test_a_wrong_name_or_password_reads_alike(wang, name, password):
    with pytest.raises(signin.LoginFailed) as failed:
        signin.login(wang, name, password)
    assert failed.value.message("zh") == "账号或密码错误" and failed.value.reason == "wrong"
    assert _actions(wang)[-1][1] == "login.failed"


def test_lock_out_after_repeated_failures_then_unlock(wang):
    site.set_setting(wang, OPERATOR, "max_failed_logins", 3)
    for _ in range(3):
        with pytest.raises(signin.LoginFailed):
            signin.login(wang, "wang", "wrong-password")
    with pytest.raises(signin.LoginFailed) as locked:        # even the right password, while locked
        signin.login(wang, "wang", PASSWORD)
    assert locked.value.reason == "locked" and "已锁定" in locked.value.message("zh")
    assert [a for _, a, _ in _actions(wang)][-2:] == ["login.lockout", "login.locked"]
    assert users.list_users(wang).set_index("name").loc["wang", "state"] == "locked"
    users.unlock(wang, OPERATOR, "wang")
    signin.login(wang, "wang", PASSWORD)


def test_the_lock_expires_by_itself(wang):
    with session_scope(wang) as s:
        s.scalar(select(User).where(User.name == "wang")).locked_until = utcnow() - timedelta(seconds=1)
    signin.login(wang, "wang", PASSWORD)


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(wang):
    sid, cookie = _cookie_for(wang)
    users.set_disabled(wang, OPERATOR, "wang")
    assert sessions.actor_for_session(wang, sid) is None and sessions.actor_for_cookie(wang, cookie) is None
    with pytest.raises(signin.LoginFailed) as failed:
        signin.login(wang, "wang", PASSWORD)
    assert failed.value.reason == "disabled"


def test_the_cookie_brings_the_session_back_after_a_reload(wang):
    sid, cookie = _cookie_for(wang)
    found, actor = sessions.actor_for_cookie(wang, cookie, ip="10.9.9.9")
    assert (found, actor.name, actor.ip) == (sid, "wang", "10.9.9.9")


def test_a_handoff_code_works_once_and_only_briefly(wang):
    opened, _ = signin.login(wang, "wang", PASSWORD)
    assert sessions.redeem(wang, opened.handoff) is not None
    assert sessions.redeem(wang, opened.handoff) is None           # used
    late, _ = signin.login(wang, "wang", PASSWORD)
    with session_scope(wang) as s:
        s.get(LoginSession, late.id).handoff_expires = utcnow() - timedelta(seconds=1)
    assert sessions.redeem(wang, late.handoff) is None
    assert sessions.redeem(wang, "x" * 500) is None and sessions.redeem(wang, "") is None


def test_tampered_cookies_name_nobody(wang):
    _sid, cookie = _cookie_for(wang)
    token, stamp, signature = cookie.rsplit(".", 2)
    # the first character: the last one of a base64 signature carries padding bits, and changing
    # only those leaves the same bytes (a valid signature one time in sixteen)
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    forged_token = "A" + token[1:] if token[0] != "A" else "B" + token[1:]
    from itsdangerous import TimestampSigner

    other_key = TimestampSigner("not-the-site-key", salt="yjx-session").sign(token).decode()
    for bad in (f"{token}.{stamp}.{flipped}", f"{forged_token}.{stamp}.{signature}", other_key, token,
                cookie + "x", "", None, "a" * 5000, "…非ASCII…"):
        assert sessions.actor_for_cookie(wang, bad) is None, bad
    assert sessions.actor_for_cookie(wang, cookie) is not None


def test_a_validly_signed_cookie_for_an_unknown_token_names_nobody(wang):
    from itsdangerous import TimestampSigner

    forged = TimestampSigner(site.cookie_secret(wang), salt="yjx-session").sign("made-up-token").decode()
    assert sessions.actor_for_cookie(wang, forged) is None


def test_expired_sessions_and_logout_end_the_cookie(wang):
    sid, cookie = _cookie_for(wang)
    with session_scope(wang) as s:
        s.get(LoginSession, sid).expires_at = utcnow() - timedelta(seconds=1)
    assert sessions.actor_for_cookie(wang, cookie) is None
    sid, cookie = _cookie_for(wang)
    signin.logout(wang, sid, sessions.actor_for_session(wang, sid))
    assert sessions.actor_for_cookie(wang, cookie) is None
    assert _actions(wang)[-1][1] == "logout"


def test_the_cookie_age_follows_the_session_hours_setting(wang):
    site.set_setting(wang, OPERATOR, "session_hours", 2)
    opened, _ = signin.login(wang, "wang", PASSWORD)
    _value, max_age = sessions.redeem(wang, opened.handoff)
    assert 2 * 3600 - 60 < max_age <= 2 * 3600


def test_a_password_change_ends_every_session(wang):
    _sid, cookie = _cookie_for(wang)
    assert users.set_password(wang, OPERATOR, "wang", "another-good-one") == 1
    assert sessions.actor_for_cookie(wang, cookie) is None
    with pytest.raises(signin.LoginFailed):
        signin.login(wang, "wang", PASSWORD)
    signin.login(wang, "wang", "another-good-one")


def test_single_sign_on_maps_an_email_onto_an_enabled_account(db_url):
    users.add_user(db_url, OPERATOR, "li", "leader", email="Li.Ming@hengyang.gov.cn")
    _opened, actor = signin.login_identity(db_url, "li.ming@hengyang.gov.cn", ip="10.0.0.1")
    assert (actor.name, actor.role) == ("li", "leader")
    with pytest.raises(signin.LoginFailed) as failed:
        signin.login_identity(db_url, "stranger@example.com")
    assert failed.value.reason == "unknown_identity"
    with pytest.raises(signin.LoginFailed):     # an account without a password cannot sign in locally
        signin.login(db_url, "li", "")


# -- the cookie routes (served by server.py) ------------------------------------------------------------


@pytest.fixture
def client(wang, tmp_path, monkeypatch):
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from ui import web

    monkeypatch.setenv("METRICS_DB", wang)
    monkeypatch.setenv("METRICS_STORE", str(tmp_path / "store"))
    with TestClient(Starlette(routes=web.routes()), base_url="http://testserver") as c:
        yield c


def test_the_session_route_sets_an_httponly_strict_cookie_once(client, wang):
    opened, _ = signin.login(wang, "wang", PASSWORD)
    response = client.post("/account/session", content=opened.handoff)
    assert response.status_code == 204
    header = response.headers["set-cookie"].lower()
    assert header.startswith(f"{sessions.COOKIE_NAME}=") and "httponly" in header and "samesite=strict" in header
    assert "path=/" in header and "max-age=" in header and "secure" not in header
    assert sessions.actor_for_cookie(wang, response.cookies[sessions.COOKIE_NAME])[1].name == "wang"
    assert client.post("/account/session", content=opened.handoff).status_code == 403
    assert client.get("/account/session").status_code == 405


def test_the_session_cookie_is_secure_over_https(client, wang):
    opened, _ = signin.login(wang, "wang", PASSWORD)
    response = client.post("/account/session", content=opened.handoff, headers={"x-forwarded-proto": "https"})
    assert "secure" in response.headers["set-cookie"].lower()


def test_the_logout_route_revokes_and_deletes_the_cookie(client, wang):
    opened, _ = signin.login(wang, "wang", PASSWORD)
    cookie = client.post("/account/session", content=opened.handoff).cookies[sessions.COOKIE_NAME]
    response = client.post("/account/logout", cookies={sessions.COOKIE_NAME: cookie})
    assert response.status_code == 204 and 'max-age=0' in response.headers["set-cookie"].lower()
    assert sessions.actor_for_cookie(wang, cookie) is None
