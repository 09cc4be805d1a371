"""An events workbook through ``python -m metrics import`` and the upload boxes: read, check, and apply
as the acting person (a 管理员: ``events.manage``), all of it or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from metrics.access import Actor, Forbidden, check
from metrics.assessment.workbook import read_events
from metrics.catalog import Catalog
from metrics.messages import ImportRefused, Problem, register
from metrics.sheets.workbook import Grid

register({
    "events_forbidden": ("{detail}（加扣分事项需由管理员导入）", "{detail} (assessment events need an administrator)"),
})

ActorSource = Actor | Callable[[], Actor] | None


def import_events_file(grids: list[Grid], original: bytes, name: str, store, actor: ActorSource, dry_run: bool,
                       say: Callable[[str], None]):
    """The events of a workbook into the database beside the store; returns an ImportSummary."""
    from metrics.assessment import service  # SQL only when an events workbook comes
    from metrics.db import database_url
    from metrics.importer import ImportSummary

    loaded = store.catalog()
    if loaded is None:
        raise ImportRefused([Problem("error", "no_catalog", name)])
    say("check")
    events, problems = read_events(grids, Catalog(*loaded))
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise ImportRefused(errors)
    try:
        who = actor() if callable(actor) else actor
        if who is None:
            raise Forbidden("未登录", "not signed in")
        check(who, "events.manage")
    except Forbidden as refused:
        raise ImportRefused([Problem("error", "events_forbidden", name, params={"detail": (refused.zh, refused.en)})]
                            ) from None
    db_url = database_url(store.root)
    if dry_run:
        outcome = service.preview_import(db_url, events)
    else:
        say("store")
        outcome = service.import_events(db_url, who, events, name, hashlib.sha256(original).hexdigest())
    problems += [Problem("warning", "events_withdrawn", name, e.source.get("sheet"), e.source.get("row"),
                         params={"event": event_id}) for e, event_id in outcome.withdrawn_rows]
    years = sorted({str(e.year) for e in events})
    summary = ImportSummary(name, "events", rows=len(events), units=len({e.unit_code for e in events}),
                            periods=years, dry_run=dry_run, problems=problems)
    summary.extra = {"added": len(outcome.added), "corrected": len(outcome.corrected), "unchanged": outcome.unchanged,
                     "not_restored": len(outcome.withdrawn_rows), "years": years}
    return summary


def summary_lines(summary, lang: str) -> list[str]:
    """The CLI's head line and counts for an events workbook."""
    x = summary.extra
    en = lang == "en"
    changed = x.get("added") or x.get("corrected")
    if summary.dry_run:
        head = (f"✔ valid (dry run, nothing written): {summary.file}" if en
                else f"✔ 校验通过（试运行，未写入）：{summary.file}")
    elif changed:
        head = f"✔ imported {summary.file} (assessment events)" if en else f"✔ 已导入 {summary.file}（加扣分事项）"
    else:
        head = (f"= no change: every event in {summary.file} is already recorded" if en
                else f"= 未改动：{summary.file} 中的每个事项都已记录")
    years = ", ".join(x.get("years", [])) if en else "、".join(x.get("years", []))
    counts = (f"  {summary.rows} events ({years}), {summary.units} units: {x.get('added', 0)} new, "
              f"{x.get('corrected', 0)} corrected, {x.get('unchanged', 0)} unchanged" if en else
              f"  事项 {summary.rows} 条（{years} 年度），单位 {summary.units} 个：新增 {x.get('added', 0)}，"
              f"更正 {x.get('corrected', 0)}，未变 {x.get('unchanged', 0)}")
    lines = [head, counts]
    if x.get("not_restored"):
        lines.append(f"  {x['not_restored']} withdrawn event(s) not restored" if en
                     else f"  已撤销、未重新启用的事项 {x['not_restored']} 条")
    return lines
