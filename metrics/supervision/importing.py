"""问题清单 and task-list workbooks from a file: read in the bounded reader, check every row against
the catalog, then write all of it or nothing as the acting person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from metrics.access import Actor, check
from metrics.catalog import Catalog
from metrics.messages import ImportRefused, Problem
from metrics.sheets.isolate import read_file_isolated
from metrics.supervision import ledger, tasks
from metrics.supervision.problem_list import read_problem_list
from metrics.supervision.task_sheet import list_year, read_task_list

__all__ = ["ImportRefused", "import_problem_list", "import_task_list"]


def _catalog(store, name: str) -> Catalog:
    loaded = store.catalog()
    if loaded is None:
        raise ImportRefused([Problem("error", "no_catalog", name)])
    return Catalog(*loaded)


def import_problem_list(path: Path | str, name: str, store, db_url: str, actor: Actor,
                        on: dt.date | None = None, dry_run: bool = False) -> list[str]:
    """Every row of a 问题清单 as a new item (a 督查员: ``ledger.import``); returns the codes."""
    check(actor, "ledger.import")
    items, problems = read_problem_list(read_file_isolated(path, name), _catalog(store, name))
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise ImportRefused(errors)
    if dry_run:
        return []
    return ledger.open_items(db_url, actor, items, on, permission="ledger.import")


def import_task_list(path: Path | str, name: str, store, db_url: str, actor: Actor, list_name: str | None = None,
                     dry_run: bool = False) -> dict:
    """A 目标任务分解清单 (a 督查员: ``tasks.manage``); the list is named by its title unless given."""
    check(actor, "tasks.manage")
    grids = read_file_isolated(path, name)
    found, problems = read_task_list(grids, _catalog(store, name))
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise ImportRefused(errors)
    title = list_name or _title(grids) or Path(name).stem
    if dry_run:
        return {"added": 0, "unchanged": 0, "list_name": title, "warnings": problems}
    result = tasks.import_tasks(db_url, actor, found, title, name)
    return {**result, "list_name": title}


def _title(grids) -> str | None:
    from metrics.sheets.common import cell_text

    for grid in grids:
        for row in grid.head(2):
            texts = [cell_text(v) for v in row if cell_text(v)]
            if len(texts) == 1 and ("清单" in texts[0] or "任务" in texts[0]):
                return texts[0][:128]
    return None


_ = list_year
