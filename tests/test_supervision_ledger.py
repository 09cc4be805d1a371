"""The ledger in the database (SQLite and PostgreSQL): the state machine (every allowed and refused
move), who may make each move, 逾期 around deadlines, feedback due, 催办 levels, evidence files."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select

from metrics.access import DEFAULT_ROLES, Actor, Forbidden
from metrics.db import session_scope
from metrics.db.models import AuditEntry
from metrics.supervision import dates, ledger, queries
from metrics.supervision.evidence import evidence_dir
from metrics.supervision.states import MOVES, STATES, Refused, allowed_moves, move


def actor(name: str, role: str, units=()) -> Actor:
    zh, en, perms, scoped = DEFAULT_ROLES[role]
    return Actor(name=name, role=role, permissions=frozenset(perms), units=frozenset(units), unit_scoped=scoped)


INSPECTOR = actor("duchayuan", "inspector")
REPORTER = actor("tianbao", "reporter", ["430421"])
OTHER = actor("other", "reporter", ["430422"])
LEADER = actor("lingdao", "leader")
D = dt.date


def item(**kw) -> ledger.ItemInput:
    base = dict(source="指标", unit_code="430421", indicator_code="GDP", period="2021-03",
                problem="一季度GDP增速低于序时进度2.1个百分点", responsible_unit="430421", leader="张三（副县长）",
                deadline=D(2021, 6, 30), requirements=[("制定整改方案", D(2021, 4, 30)), ("完成项目入库", None)])
    base.update(kw)
    return ledger.ItemInput(**base)


def test_state_machine_every_allowed_and_refused_move():
    allowed = {("挂账", "start"): "整改中", ("整改中", "apply"): "申请销号", ("申请销号", "accept"): "已销号",
               ("申请销号", "reject"): "整改中", ("挂账", "withdraw"): "撤销", ("整改中", "withdraw"): "撤销",
               ("申请销号", "withdraw"): "撤销"}
    for state in STATES:
        for name in MOVES:
            if (state, name) in allowed:
                assert move(name, state, reason="理由", evidence=True) == allowed[state, name]
                assert name in allowed_moves(state)
            else:
                with pytest.raises(Refused, match="不能"):
                    move(name, state, reason="理由", evidence=True)
    with pytest.raises(Refused, match="佐证"):
        move("apply", "整改中", reason="", evidence=False)
    for name in ("accept", "reject", "withdraw"):
        with pytest.raises(Refused, match="理由"):
            move(name, "申请销号", reason="  ")


def test_open_allocates_codes_and_checks_the_input(db_url):
    codes = ledger.open_items(db_url, INSPECTOR, [item(), item(unit_code="430422", responsible_unit="430422")],
                              on=D(2021, 4, 2))
    assert codes == ["DC-2021-0001", "DC-2021-0002"]
    assert ledger.open_item(db_url, INSPECTOR, item(), on=D(2021, 5, 1)) == "DC-2021-0003"
    assert ledger.open_item(db_url, INSPECTOR, item(), on=D(2022, 1, 3)) == "DC-2022-0001"
    with pytest.raises(Refused, match="实名制"):
        ledger.open_item(db_url, INSPECTOR, item(leader=" "))
    with pytest.raises(Refused, match="晚于整改时限"):
        ledger.open_item(db_url, INSPECTOR, item(requirements=[("x", D(2021, 7, 1))]))
    with pytest.raises(Forbidden):
        ledger.open_item(db_url, REPORTER, item())
    with pytest.raises(Forbidden):
        ledger.open_item(db_url, LEADER, item())
    frame = queries.items(db_url, on=D(2021, 4, 2))
    assert list(frame["code"]) == ["DC-2021-0001", "DC-2021-0002", "DC-2021-0003", "DC-2022-0001"]
    first = queries.detail(db_url, "DC-2021-0001")
    assert [(r["text"], r["deadline"]) for r in first["requirements"]] == [
        ("制定整改方案", D(2021, 4, 30)), ("完成项目入库", D(2021, 6, 30))]   # no date: the overall deadline
    with session_scope(db_url) as s:
        actions = [a.action for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions.count("ledger.open") == 4


def test_lifecycle_with_evidence_and_who_may_move(db_url, tmp_path):
    store = tmp_path / "store"
    code = ledger.open_item(db_url, INSPECTOR, item(), on=D(2021, 4, 2))
    with pytest.raises(Forbidden):
        ledger.transition(db_url, OTHER, code, "start", on=D(2021, 4, 3))       # not his unit
    with pytest.raises(Forbidden):
        ledger.transition(db_url, REPORTER, code, "withdraw", reason="x")       # the office's move
    assert ledger.transition(db_url, REPORTER, code, "start", on=D(2021, 4, 3)) == "整改中"
    with pytest.raises(Refused, match="佐证"):
        ledger.transition(db_url, REPORTER, code, "apply", store_root=store)
    blob = b"%PDF-1.4 rectification report\n" * 10
    assert ledger.transition(db_url, REPORTER, code, "apply", files=[("整改报告.pdf", blob)], store_root=store,
                             on=D(2021, 5, 10)) == "申请销号"
    sha = hashlib.sha256(blob).hexdigest()
    assert (evidence_dir(store) / sha[:2] / sha).read_bytes() == blob
    with pytest.raises(Forbidden):
        ledger.transition(db_url, REPORTER, code, "accept", reason="ok")
    assert ledger.transition(db_url, INSPECTOR, code, "reject", reason="佐证不足", on=D(2021, 5, 12)) == "整改中"
    ledger.transition(db_url, REPORTER, code, "apply", reason="已补充项目入库清单", on=D(2021, 5, 20))
    assert ledger.transition(db_url, INSPECTOR, code, "accept", reason="经核实已整改到位", on=D(2021, 5, 21)) == "已销号"
    with pytest.raises(Refused, match="已销号"):
        ledger.transition(db_url, INSPECTOR, code, "withdraw", reason="x")
    history = queries.detail(db_url, code)["events"]
    assert [(e["kind"], e["from"], e["to"], e["actor"]) for e in history] == [
        ("open", "", "挂账", "duchayuan"), ("start", "挂账", "整改中", "tianbao"),
        ("apply", "整改中", "申请销号", "tianbao"), ("reject", "申请销号", "整改中", "duchayuan"),
        ("apply", "整改中", "申请销号", "tianbao"), ("accept", "申请销号", "已销号", "duchayuan")]
    assert history[2]["files"] == [{"name": "整改报告.pdf", "sha256": sha, "size": len(blob)}]
    assert history[3]["text"] == "佐证不足"


def test_evidence_over_the_cap_is_refused_and_nothing_moves(db_url, tmp_path):
    code = ledger.open_item(db_url, INSPECTOR, item(), on=D(2021, 4, 2))
    ledger.transition(db_url, REPORTER, code, "start")
    with pytest.raises(Refused, match="超过上限"):
        ledger.transition(db_url, REPORTER, code, "apply", files=[("big.zip", b"x" * 2049)],
                          store_root=tmp_path / "store", max_bytes=2048)
    assert queries.detail(db_url, code)["status"] == "整改中"
    assert not list((evidence_dir(tmp_path / "store")).rglob("*")) or \
        all(p.is_dir() for p in evidence_dir(tmp_path / "store").rglob("*"))


def test_withdraw_from_each_open_state_needs_a_reason(db_url):
    codes = ledger.open_items(db_url, INSPECTOR, [item(), item(), item()], on=D(2021, 4, 2))
    ledger.transition(db_url, REPORTER, codes[1], "start")
    ledger.transition(db_url, REPORTER, codes[2], "start")
    ledger.transition(db_url, REPORTER, codes[2], "apply", reason="已完成")
    for code in codes:
        with pytest.raises(Refused, match="理由"):
            ledger.transition(db_url, INSPECTOR, code, "withdraw")
        assert ledger.transition(db_url, INSPECTOR, code, "withdraw", reason="重复挂账") == "撤销"
    frame = queries.items(db_url, on=D(2021, 12, 31))
    assert set(frame["status"]) == {"撤销"} and not frame["overdue"].any()


@pytest.mark.parametrize(("on", "overdue"), [(D(2021, 4, 30), False), (D(2021, 5, 1), True), (D(2021, 6, 30), True)])
def test_overdue_from_a_requirement_around_its_deadline(db_url, on, overdue):
    ledger.open_item(db_url, INSPECTOR, item(), on=D(2021, 4, 2))
    assert bool(queries.items(db_url, on=on)["overdue"].iloc[0]) is overdue


def test_overdue_from_the_overall_deadline_and_done_requirements(db_url):
    code = ledger.open_item(db_url, INSPECTOR, item(), on=D(2021, 4, 2))
    ledger.requirement_done(db_url, REPORTER, code, 1, on=D(2021, 4, 20))
    assert not queries.items(db_url, on=D(2021, 6, 30))["overdue"].iloc[0]      # deadline day: not yet
    assert queries.items(db_url, on=D(2021, 7, 1))["overdue"].iloc[0]           # the day after
    assert dates.is_overdue("挂账", D(2021, 6, 30), [(D(2021, 4, 30), True)], D(2021, 6, 30)) is False
    assert dates.is_overdue("已销号", D(2021, 6, 30), [], D(2022, 1, 1)) is False
    assert dates.is_overdue("申请销号", D(2021, 6, 30), [], D(2021, 7, 1)) is True
    with pytest.raises(Refused, match="已完成"):
        ledger.requirement_done(db_url, REPORTER, code, 1)


def test_feedback_due_and_overdue(db_url):
    code = ledger.open_item(db_url, INSPECTOR, item(deadline=D(2021, 12, 31), requirements=[("a", None)]),
                            on=D(2021, 4, 1))
    frame = queries.items(db_url, on=D(2021, 4, 8), every_days=7)
    assert frame["feedback_due"].iloc[0] == D(2021, 4, 8) and not frame["feedback_overdue"].iloc[0]
    assert queries.items(db_url, on=D(2021, 4, 9))["feedback_overdue"].iloc[0]
    ledger.feedback(db_url, REPORTER, code, "已完成方案初稿", 30, on=D(2021, 4, 9))
    frame = queries.items(db_url, on=D(2021, 4, 9))
    assert (frame["feedback_due"].iloc[0], frame["percent"].iloc[0]) == (D(2021, 4, 16), 30)
    with pytest.raises(Forbidden):
        ledger.feedback(db_url, OTHER, code, "x")
    ledger.transition(db_url, REPORTER, code, "start", on=D(2021, 4, 10))
    ledger.transition(db_url, REPORTER, code, "apply", reason="完成", on=D(2021, 4, 11))
    frame = queries.items(db_url, on=D(2021, 6, 1))
    assert frame["feedback_due"].iloc[0] is None and not frame["feedback_overdue"].iloc[0]  # no duty in 申请销号
    with pytest.raises(Refused, match="不再接收"):
        ledger.feedback(db_url, REPORTER, code, "x")
    ledger.transition(db_url, INSPECTOR, code, "reject", reason="不到位", on=D(2021, 6, 1))
    assert queries.items(db_url, on=D(2021, 6, 8))["feedback_due"].iloc[0] == D(2021, 6, 8)   # from the return


def test_cooperating_unit_may_add_feedback(db_url):
    code = ledger.open_item(db_url, INSPECTOR, item(cooperating=["430422"]), on=D(2021, 4, 1))
    ledger.feedback(db_url, OTHER, code, "配合完成数据核查", on=D(2021, 4, 5))
    assert queries.items(db_url, on=D(2021, 4, 5))["last_feedback"].iloc[0] == D(2021, 4, 5)
    with pytest.raises(Forbidden):
        ledger.transition(db_url, OTHER, code, "start")


def test_urge_levels_count_up_to_interview_and_never_reset(db_url):
    code = ledger.open_item(db_url, INSPECTOR, item(), on=D(2021, 4, 1))
    assert ledger.urge(db_url, INSPECTOR, code, "请抓紧", on=D(2021, 4, 12)) == 1
    assert ledger.urge(db_url, INSPECTOR, code, "再次催办", on=D(2021, 4, 19)) == 2
    ledger.feedback(db_url, REPORTER, code, "推进中", on=D(2021, 4, 20))
    assert ledger.urge(db_url, INSPECTOR, code, "约谈", on=D(2021, 4, 26)) == 3
    assert ledger.urge(db_url, INSPECTOR, code, "", on=D(2021, 4, 27)) == 4
    assert [dates.urge_label(n) for n in (1, 2, 3, 4)] == ["一次催办", "二次催办", "约谈", "约谈"]
    with pytest.raises(Forbidden):
        ledger.urge(db_url, REPORTER, code, "x")
    frame = queries.items(db_url, on=D(2021, 4, 28))
    assert (frame["urge_level"].iloc[0], frame["last_urge"].iloc[0]) == (4, D(2021, 4, 27))
    assert queries.counts(frame, D(2021, 4, 28))["urged_week"] == 1
    ledger.transition(db_url, REPORTER, code, "start")
    ledger.transition(db_url, REPORTER, code, "apply", reason="done")
    with pytest.raises(Refused, match="不能催办"):
        ledger.urge(db_url, INSPECTOR, code, "x")


def test_filters_and_a_units_own_view(db_url):
    ledger.open_items(db_url, INSPECTOR, [item(), item(unit_code="430422", responsible_unit="430422",
                                                      cooperating=["430421"], leader="李四（局长）")],
                      on=D(2021, 4, 1))
    frame = queries.items(db_url, on=D(2021, 4, 1))
    assert len(queries.filter_items(frame, units={"430421"})) == 2
    assert list(queries.filter_items(frame, unit="430422")["code"]) == ["DC-2021-0002"]
    assert list(queries.filter_items(frame, leader="李四")["code"]) == ["DC-2021-0002"]
    assert queries.filter_items(frame, overdue=True).empty
    assert len(queries.filter_items(frame, status=["挂账"])) == 2
