"""The state machine of a ledger item (domain.md "Supervision"): the only moves there are, who may
make them, and what each needs.  Pure: the service asks here before it writes anything."""

from __future__ import annotations

from dataclasses import dataclass

OPENED, WORKING, APPLYING, CLOSED, WITHDRAWN = "挂账", "整改中", "申请销号", "已销号", "撤销"
STATES = (OPENED, WORKING, APPLYING, CLOSED, WITHDRAWN)
OPEN_STATES = (OPENED, WORKING, APPLYING)      # "open" for 未挂账红灯, carry-forward and 逾期
DUTY_STATES = (OPENED, WORKING)                # feedback duty and 催办 apply here only
STATE_EN = {OPENED: "open", WORKING: "rectifying", APPLYING: "applying to close", CLOSED: "closed",
            WITHDRAWN: "withdrawn"}
SOURCES = ("指标", "任务", "会议", "督查")
SEVERITIES = ("一般", "较重", "严重")


@dataclass(frozen=True)
class Move:
    name: str
    before: tuple[str, ...]
    after: str
    permission: str          # ledger.manage: the 督查员; ledger.feedback: the responsible unit's 填报员
    needs_reason: bool = False
    needs_evidence: bool = False
    zh: str = ""
    en: str = ""


MOVES: dict[str, Move] = {m.name: m for m in (
    Move("start", (OPENED,), WORKING, "ledger.feedback", zh="开始整改", en="start rectifying"),
    Move("apply", (WORKING,), APPLYING, "ledger.feedback", needs_evidence=True, zh="申请销号", en="apply to close"),
    Move("accept", (APPLYING,), CLOSED, "ledger.manage", needs_reason=True, zh="验收销号", en="accept and close"),
    Move("reject", (APPLYING,), WORKING, "ledger.manage", needs_reason=True, zh="退回整改", en="reject"),
    Move("withdraw", OPEN_STATES, WITHDRAWN, "ledger.manage", needs_reason=True, zh="撤销", en="withdraw"),
)}

# every kind of ledger event: 挂账, the moves, and what does not change the state
EVENT_KINDS = ("open", *MOVES, "feedback", "urge", "done")


class Refused(ValueError):
    """A move the item's state, the input or the person does not allow; zh and en for the user."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh, self.en = zh, en

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


def move(name: str, state: str, *, reason: str = "", evidence: bool = False) -> str:
    """The state after ``name`` from ``state``, or :class:`Refused` saying why not."""
    spec = MOVES.get(name)
    if spec is None:
        raise Refused(f"未知操作：{name}", f"unknown move: {name}")
    if state not in spec.before:
        allowed = "、".join(spec.before)
        raise Refused(f"事项当前为“{state}”，不能{spec.zh}（仅限：{allowed}）",
                      f"the item is {STATE_EN.get(state, state)}; cannot {spec.en} "
                      f"(only from {', '.join(STATE_EN[s] for s in spec.before)})")
    if spec.needs_reason and not reason.strip():
        raise Refused(f"{spec.zh}须填写理由", f"{spec.en} needs a reason")
    if spec.needs_evidence and not evidence:
        raise Refused("申请销号须提供整改佐证（说明或文件）", "applying to close needs evidence (a text or a file)")
    return spec.after


def allowed_moves(state: str) -> list[str]:
    return [m.name for m in MOVES.values() if state in m.before]
