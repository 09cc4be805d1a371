"""签发: 期号 per calendar year of the issue date, once per period and scope, a 管理员's audited write;
an issued bulletin is written again as of its store version, with its number (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import select

from metrics import period_lock
from metrics.access import DEFAULT_ROLES, Actor, Forbidden
from metrics.bulletin import issuing, service
from metrics.bulletin.model import Scope
from metrics.cli import main
from metrics.db import session_scope
from metrics.db.models import AuditEntry, User

ADMIN = Actor(name="zhang", role="admin", permissions=frozenset(DEFAULT_ROLES["admin"][2]))
ANALYST = Actor(name="li", role="analyst", permissions=frozenset(DEFAULT_ROLES["analyst"][2]))
CITY, GROUP = Scope("city"), Scope("group", "县市区/城区", "县市区·城区")


def _issue(url, period, scope, on, actor=ADMIN, version=3):
    return issuing.issue(url, actor, period=period, scope=scope, store_version=version, title=f"{period}通报", on=on)


def test_numbers_run_per_calendar_year_of_the_issue_date(db_url):
    assert _issue(db_url, "2021Q2", CITY, dt.date(2021, 7, 10)).number == 1
    assert _issue(db_url, "2021Q3", CITY, dt.date(2021, 10, 12)).number == 2
    assert _issue(db_url, "2021Q3", GROUP, dt.date(2021, 10, 12)).number == 3
    q4 = _issue(db_url, "2021Q4", CITY, dt.date(2022, 1, 10))
    assert (q4.year, q4.number, q4.mark.label) == (2022, 1, "2022年第1期")
    assert [(r.year, r.number, r.period) for r in issuing.issued(db_url)] == [
        (2021, 1, "2021Q2"), (2021, 2, "2021Q3"), (2021, 3, "2021Q3"), (2022, 1, "2021Q4")]
    found = issuing.find(db_url, "2021Q3", GROUP)
    assert (found.number, found.scope_label, found.store_version, found.issued_by) == (3, "县市区·城区", 3, "zhang")
    assert found.locked is True    # issuing locks the period (metrics.period_lock), in the same transaction
    assert [k.period for k in period_lock.locks(db_url)] == ["2021Q2", "2021Q3", "2021Q4"]


def test_a_period_and_scope_is_issued_once(db_url):
    _issue(db_url, "2021Q3", CITY, dt.date(2021, 10, 12))
    with pytest.raises(issuing.AlreadyIssued, match="已于2021-10-12签发为2021年第1期"):
        _issue(db_url, "2021Q3", CITY, dt.date(2021, 10, 20))
    assert len(issuing.issued(db_url)) == 1


def test_issuing_needs_an_administrator_and_is_audited(db_url):
    with pytest.raises(Forbidden, match="无权签发通报"):
        _issue(db_url, "2021Q3", CITY, dt.date(2021, 10, 12), actor=ANALYST)
    assert issuing.issued(db_url) == []
    _issue(db_url, "2021Q3", CITY, dt.date(2021, 10, 12))
    with session_scope(db_url) as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.action == "bulletin.issue")).all()
        assert [(r.actor, r.target_id, r.summary["after"]["period"]) for r in rows] == [("zhang", "2021-1", "2021Q3")]


def test_an_issued_bulletin_keeps_its_number_and_store_version(db_url, demo_store):
    old = demo_store.latest_version() - 1
    _issue(db_url, "2021Q3", CITY, dt.date(2021, 10, 12), version=old)
    made = service.prepare(demo_store, "2021Q3", db_url=db_url)
    assert (made.store_version, made.number_label, made.date_label) == (old, "2021年第1期", "2021年10月12日")
    assert made.footer == f"数据版本 v{old} · 2021年第三季度 · 2021年第1期"
    draft = service.prepare(demo_store, "2021Q3", "县市区/城区", db_url=db_url)
    assert (draft.store_version, draft.number_label) == (demo_store.latest_version(), "（未签发）")


def test_command_line_issues_with_an_account(db_url, demo_store, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("METRICS_DB", db_url)
    with session_scope(db_url) as s:
        s.add_all([User(name="zhang", role="admin"), User(name="li", role="analyst")])
    args = ["bulletin", "--period", "2021年第三季度", "--store", str(demo_store.root), "--format", "xlsx",
            "--date", "2021-10-12", "--issue"]
    assert main([*args, "--out", str(tmp_path / "a.xlsx"), "--user", "li"]) == 3
    assert "无权签发通报" in capsys.readouterr().err and not (tmp_path / "a.xlsx").exists()
    assert main([*args, "--out", str(tmp_path / "b.xlsx"), "--user", "zhang"]) == 0
    err = capsys.readouterr().err
    assert "已签发：2021年第1期" in err and "完成 (" in err and "绘制图表" in err   # progress on stderr
    book = openpyxl.load_workbook(io.BytesIO((tmp_path / "b.xlsx").read_bytes()))
    assert book["通报"]["A2"].value.startswith("2021年第1期")
    assert main([*args, "--out", str(tmp_path / "c.xlsx"), "--user", "zhang"]) == 1
    assert "已于2021-10-12签发" in capsys.readouterr().err
    assert main(["bulletin", "--period", "2021Q3", "--store", str(demo_store.root), "--scope", "不存在的县"]) == 2
    assert main(["bulletin", "--period", "2021Q9", "--store", str(demo_store.root)]) == 2
