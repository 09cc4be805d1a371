"""A dispatch meeting's minutes (纪要) as .docx: title, date, attendees, the agenda's sections as
numbered paragraphs (carried items with 第N次调度), and the decisions with their ledger codes.
Names and problems are put in as plain text runs (Word never interprets them)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from metrics.bulletin.writers.docx import HEADING, RED, _para
from metrics.supervision.meetings import times_label

STATUS_ZH = {"red": "红灯", "yellow": "黄灯（落后序时进度）"}


def render(meeting: dict, unit_names: dict[str, str] | None = None, indicator_names: dict[str, str] | None = None,
           issuer: str = "") -> bytes:
    names = unit_names or {}
    inds = indicator_names or {}
    a = meeting["agenda"]
    doc = Document()
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _para(doc, f"{meeting['title']}纪要", HEADING, 22, True, WD_ALIGN_PARAGRAPH.CENTER, RED, space_after=12)
    _para(doc, f"{meeting['held_on']:%Y年%-m月%-d日}", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    if meeting["attendees"]:
        _para(doc, "参会人员：" + "、".join(meeting["attendees"]), size=14, indent=True)
    _para(doc, f"议程依据数据版本 v{meeting['store_version']}（截至{meeting['held_on']:%Y年%-m月%-d日}）。", size=12,
          indent=True, space_after=6)
    n = 0

    def heading(text: str) -> None:
        nonlocal n
        n += 1
        _para(doc, f"{'一二三四五六七八九十'[n - 1] if n <= 10 else n}、{text}", HEADING, 16, space_after=4)

    def item_line(line: dict) -> str:
        unit = names.get(line["responsible_unit"], line["responsible_unit"])
        tag = times_label(line["times"])
        return (f"{line['code']} {unit}：{line['problem']}（责任领导：{line['leader']}；整改时限 {line['deadline']}；"
                f"状态：{line['status']}{'，已逾期' if line.get('overdue') else ''}）" + (f"【{tag}】" if tag else ""))

    def task_line(line: dict) -> str:
        tag = times_label(line["times"])
        return (f"任务：{line['title']}（牵头：{names.get(line['lead_unit'], line['lead_unit'])}；{line['light']}灯）"
                + (f"【{tag}】" if tag else ""))

    def lines(rows: list[dict]) -> None:
        if not rows:
            _para(doc, "无。", size=14, indent=True)
        for k, line in enumerate(rows, 1):
            text = item_line(line) if "code" in line else task_line(line)
            _para(doc, f"{k}. {text}", size=14, indent=True)

    heading("上次调度会未完成事项（结转）")
    lines(a.get("carried", []))
    heading("红灯及落后序时进度指标")
    behind = a.get("behind", [])
    if not behind:
        _para(doc, "无。", size=14, indent=True)
    groups: dict[str, list[dict]] = {}
    for row in behind:
        groups.setdefault(row.get("group") or "", []).append(row)
    for group, rows in groups.items():
        _para(doc, f"（{group}）" + "；".join(
            f"{r.get('unit_name') or names.get(r['unit_code'], r['unit_code'])}"
            f"{r.get('indicator_name') or inds.get(r['indicator_code'], r['indicator_code'])}"
            f"{STATUS_ZH.get(r['status'], r['status'])}" for r in rows) + "。", size=14, indent=True)
    heading("未挂账红灯")
    unl = a.get("unledgered", [])
    _para(doc, "；".join(f"{r.get('unit_name') or r['unit_code']}{r.get('indicator_name') or r['indicator_code']}"
                        f"（{r['period']}）" for r in unl) + "。" if unl else "无。", size=14, indent=True)
    heading("逾期督查事项")
    lines(a.get("overdue_items", []))
    heading("逾期重点任务")
    lines(a.get("overdue_tasks", []))
    heading("申请销号事项")
    lines(a.get("applying", []))
    heading("上次会议决定事项落实情况")
    last = a.get("last_decisions", [])
    if not last:
        _para(doc, "无。", size=14, indent=True)
    for k, d in enumerate(last, 1):
        _para(doc, f"{k}. {d['text']}" + (f"（{d['code']}，{d['status']}）" if d.get("code") else ""), size=14,
              indent=True)
    heading("本次会议决定事项")
    if not meeting["decisions"]:
        _para(doc, "无。", size=14, indent=True)
    for d in meeting["decisions"]:
        _para(doc, f"{d['seq']}. {d['text']}" + (f"（挂账 {d['code']}）" if d.get("code") else ""), size=14,
              indent=True)
    if issuer:
        _para(doc, issuer, size=14, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=0)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
