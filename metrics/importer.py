"""One file in, one new store version out (or a located refusal, or "nothing changed").

The whole file is read and checked before anything is written: any error refuses it and the
store stays byte-identical.
"""

from __future__ import annotations

import datetime as dt
import getpass
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from metrics import period_lock
from metrics.assessment import workbook as events_workbook
from metrics.assessment.importing import import_events_file
from metrics.catalog import Catalog
from metrics.messages import ImportRefused, Problem, register
from metrics.reporting.checks import received_problems
from metrics.sheets import catalog_sheet, detect
from metrics.sheets.common import TIDY_COLUMNS, empty_tidy
from metrics.sheets.isolate import read_file_isolated
from metrics.sheets.workbook import WorkbookError
from metrics.store import Store, StoreDamaged
from metrics.text import no_figure_word
from metrics.validate import check_rows, period_warnings

if TYPE_CHECKING:
    from metrics.preview import FigureDiff

Progress = Callable[[str], None]

register({"store_damaged": ("数据库已损坏（版本 {version} 的文件 {stored} 无法读取），未导入；请运行 python -m metrics verify 查看",
                            "the store is damaged (version {version}: file {stored} cannot be read), nothing was "
                            "imported; run python -m metrics verify")})


@dataclass
class ImportSummary:
    """What an import did, for the CLI, the JSON output and the dashboard's upload page."""

    file: str
    kind: str                      # figures | catalog
    rows: int = 0
    units: int = 0
    indicators: int = 0
    periods: list[str] = field(default_factory=list)
    version: int | None = None     # None: nothing changed (or a dry run)
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)   # warnings and notes
    skipped: list[tuple[str, tuple[str, str]]] = field(default_factory=list)  # (sheet, (reason zh, reason en))
    rows_per_period: dict[str, int] = field(default_factory=dict)
    rows_per_indicator: dict[str, int] = field(default_factory=dict)                    # indicator code -> rows
    rows_per_period_indicator: dict[str, dict[str, int]] = field(default_factory=dict)  # period -> code -> rows
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)  # what a feature's workbook did (events: added, corrected …)
    diff: FigureDiff | None = None             # figures: what the commit changes (or would, in a dry run)
    names: dict[str, str] = field(default_factory=dict)  # code -> name, to show the diff

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]


def current_user(user: str | None) -> str:
    if user:
        return user
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def import_file(path: Path | str, store: Store, *, period: str | None = None, user: str | None = None,
                dry_run: bool = False, display_name: str | None = None,
                progress: Progress | None = None, actor: object = None,
                received: dt.date | None = None, db_url: str | None = None) -> ImportSummary:
    """Read, check and store one file; raises ImportRefused with every located error.

    ``actor`` (an Actor, or a function returning one when it is needed) is who writes: figures need
    ``figures.upload`` (a 填报员 only for his units), a catalog ``catalog.manage``, an events workbook
    (加扣分事项) ``events.manage``; none given is the server's operator (the command line without
    ``--user``).  Rows at a locked period refuse the file.  Every committed import is an audit row in
    ``db_url`` (default: the database beside the store)."""
    started = time.perf_counter()
    path = Path(path)
    name = display_name or path.name
    say = progress or (lambda _stage: None)
    say("read")
    try:
        original = path.read_bytes()
        grids = read_file_isolated(path, name)
    except WorkbookError as err:
        raise ImportRefused([Problem("error", "unreadable", name, params={"detail": (err.message_zh, err.message_en)})]) from None
    except OSError as err:  # never the server's path in a message: the reason only
        detail = err.strerror or type(err).__name__
        raise ImportRefused([Problem("error", "unreadable", name, params={"detail": (detail, detail)})]) from None
    try:
        if events_workbook.is_events(grids):
            summary = import_events_file(grids, original, name, store, actor, dry_run, say)
        else:
            from metrics import import_access
            from metrics.db import database_url

            who = import_access.resolve(actor)
            db = db_url or database_url(store.root)
            if catalog_sheet.is_catalog(grids):
                summary = _import_catalog(grids, original, name, store, user, dry_run, say, who, db)
            else:
                summary = _import_figures(grids, original, name, store, period, user, dry_run, say, who, db,
                                          received)
    except StoreDamaged as damaged:
        raise ImportRefused([Problem("error", "store_damaged", name,
                                     params={"version": damaged.version, "stored": damaged.file})]) from None
    summary.seconds = time.perf_counter() - started
    return summary


def _version_user(who, user: str | None) -> tuple[str, dict]:
    """Who the version names: the account, or the operator (with ``--user`` unset) said as such."""
    if who.operator:
        return current_user(user), {"acting": "operator"}
    return who.name, {"acting": "account", "role": who.role}


def _import_catalog(grids, original: bytes, name: str, store: Store, user: str | None, dry_run: bool,
                    say: Progress, who, db_url: str) -> ImportSummary:
    from metrics import import_access, writes

    say("check")
    units, indicators, problems = catalog_sheet.read_catalog(grids)
    errors = [p for p in problems if p.level == "error"] or import_access.permission_problems(who, "catalog.manage", name)
    if errors:
        raise ImportRefused(errors)
    summary = ImportSummary(name, "catalog", rows=len(units) + len(indicators), units=len(units),
                            indicators=len(indicators), dry_run=dry_run, problems=problems)
    if not dry_run:
        say("store")
        by, acting = _version_user(who, user)
        with writes.write(db_url, who, "catalog.manage") as w:
            result = store.commit_catalog(units, indicators, original=original, file_name=name, user=by,
                                          summary={"units": len(units), "indicators": len(indicators), **acting})
            w.audit("catalog.import", "version", result.version or "", file=name,
                    after={"version": result.version, "units": len(units), "indicators": len(indicators)})
        summary.version = result.version
    return summary


def kept_stored_values(frame: pd.DataFrame, store: Store) -> list[Problem]:
    """A cell saying "no figure" (同期为0, —) never overwrites a stored figure: warn that it is kept."""
    if frame.empty or "note" not in frame:
        return []
    candidates = frame[frame["note"].notna().to_numpy() & frame["actual"].isna().to_numpy()]
    if candidates.empty:
        return []
    said = candidates[[no_figure_word(n) is not None for n in candidates["note"]]]
    if said.empty:
        return []
    stored = store.figures_of(said[["date", "unit_code", "indicator_code"]])
    if stored.empty:
        return []
    actual = stored.dropna(subset=["actual"]).set_index(["date", "unit_code", "indicator_code"])["actual"]
    problems = []
    for row in said.itertuples(index=False):
        key = (pd.Timestamp(row.date), row.unit_code, row.indicator_code)
        if key in actual.index:
            column = getattr(row, "col_actual", None) or getattr(row, "col_indicator", None)
            problems.append(Problem("warning", "no_figure_kept_stored", row.source_file, row.sheet or None, int(row.row),
                                    column, row.note, {"stored": f"{float(actual.loc[key]):g}"}))
    return problems


def _nested_counts(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for (period, indicator), n in frame.groupby(["period", "indicator_code"]).size().items():
        counts.setdefault(str(period), {})[str(indicator)] = int(n)
    return counts


def _import_figures(grids, original: bytes, name: str, store: Store, period: str | None, user: str | None,
                    dry_run: bool, say: Progress, who, db_url: str, received: dt.date | None = None) -> ImportSummary:
    from metrics import import_access, preview, writes
    from metrics.db import session_scope

    loaded = store.catalog()
    if loaded is None:
        raise ImportRefused([Problem("error", "no_catalog", name)])
    catalog = Catalog(*loaded)
    say("check")
    results, skipped = detect.read_sheets(grids, catalog, period=period)
    problems = [p for result in results for p in result.problems]
    frames = [r.frame for r in results if not r.frame.empty]
    frame = pd.concat(frames, ignore_index=True) if frames else empty_tidy()
    if not results and any(reason not in detect.UNINFORMATIVE and not reason[1].startswith("hidden")
                           for _, reason in skipped):
        # a card whose every table was skipped: say why, sheet by sheet, rather than "unrecognised"
        problems.append(Problem("error", "nothing_to_import", name))
        problems.extend(Problem("error", "skipped_sheet", name, sheet, params={"reason": reason})
                        for sheet, reason in skipped)
    elif not results:
        problems.append(Problem("error", "unknown_kind", name))
    elif frame.empty and not any(p.level == "error" for p in problems):
        problems.append(Problem("error", "no_rows", name))
    problems.extend(check_rows(frame, catalog))
    problems.extend(period_warnings(frame))
    problems.extend(kept_stored_values(frame, store))
    if received is not None and not frame.empty:
        problems.extend(received_problems(name, received, frame["date"]))
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise ImportRefused(errors)
    names = preview.names_of(catalog)
    with session_scope(db_url) as session:
        errors = import_access.figure_refusals(session, who, frame, name, names)
    if errors:
        raise ImportRefused(errors)
    summary = ImportSummary(
        name, "figures", rows=len(frame), units=frame["unit_code"].nunique(),
        indicators=frame["indicator_code"].nunique(), periods=sorted(frame["period"].unique()),
        dry_run=dry_run, problems=problems, skipped=skipped,
        rows_per_period={str(k): int(v) for k, v in frame.groupby("period").size().items()},
        rows_per_indicator={str(k): int(v) for k, v in frame.groupby("indicator_code").size().items()},
        rows_per_period_indicator=_nested_counts(frame), names=names)
    summary.diff = preview.figure_diff(frame, store.figures_of(frame[["date", "unit_code", "indicator_code"]]))
    if not dry_run:
        say("store")
        by, acting = _version_user(who, user)
        units = sorted(frame["unit_code"].astype(str).unique())
        with writes.write(db_url, who, "figures.upload", units=units) as w:
            late = period_lock.locked_rows(w.session, frame, name)   # locked since the check above
            if late:
                raise ImportRefused(late)
            result = store.commit_figures(
                frame[TIDY_COLUMNS], original=original, file_name=name, user=by,
                summary={"units": summary.units, "indicators": summary.indicators, "periods": summary.periods,
                         "warnings": len(summary.warnings), **acting,
                         **({"received": received.isoformat()} if received is not None else {})})
            w.audit("figures.import", "version", result.version or "", file=name,
                    after={"version": result.version, "rows": summary.rows, "periods": summary.periods,
                           **summary.diff.counts()})
        summary.version = result.version
    return summary
