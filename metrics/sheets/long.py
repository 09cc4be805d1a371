"""The long template: one row per unit, indicator and period (期间 | 单位 | 指标 | 目标值 | 节点目标 | 完成值 | 备注).

This is the sheet the app offers for download and the one large submissions arrive in, so it is
read column by column: each distinct period, unit and indicator label is resolved once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics import periods
from metrics.catalog import Catalog, LookupFailure
from metrics.sheets.common import (
    Findings,
    SheetResult,
    cell_text,
    empty_tidy,
    find_header,
    is_total_label,
    parse_column,
)
from metrics.sheets.workbook import Grid, column_letter

FIELDS: dict[str, tuple[str, ...]] = {
    "period": ("期间", "时期", "报告期", "统计期", "统计时间", "period"),
    "unit": ("单位", "单位名称", "被考核单位", "单位编码", "unit"),
    "indicator": ("指标", "指标名称", "考核指标", "指标编码", "indicator"),
    "target": ("目标值", "目标", "年度目标", "全年目标", "target"),
    "milestone": ("节点目标", "序时目标", "milestone"),
    "actual": ("完成值", "完成", "实际", "实际完成", "累计", "累计完成", "actual"),
    "note": ("备注", "note", "notes"),
}
VALUE_FIELDS = ("target", "milestone", "actual")
HEADERS_ZH = {"period": "期间", "unit": "单位", "indicator": "指标", "target": "目标值", "milestone": "节点目标",
              "actual": "完成值", "note": "备注"}


def find_long_header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    """Header row of a long template: it names 单位, 指标 and at least one figure column."""
    found = find_header(grid, FIELDS, {"unit", "indicator"})
    if found and any(f in found[1] for f in VALUE_FIELDS):
        return found
    return None


def read_long(grid: Grid, catalog: Catalog, *, period: str | None = None,
              header: tuple[int, dict[str, int]] | None = None) -> SheetResult:
    """Tidy rows of a long-template sheet, with every problem located."""
    findings = Findings(grid)
    header = header or find_long_header(grid)
    if header is None:
        findings.error("unknown_kind")
        return SheetResult(empty_tidy(), findings.problems, "long")
    header_row, columns = header
    if "period" not in columns and period is None:
        findings.error("missing_column", header_row, column="期间 / period")
        return SheetResult(empty_tidy(), findings.problems, "long")

    rows = [r for r in range(header_row + 1, len(grid.rows))
            if r not in grid.hidden_rows and any(v is not None for v in grid.rows[r])]

    def column(name: str) -> list[object]:
        c = columns[name]
        return [grid.rows[r][c] for r in rows]

    unit_labels = [cell_text(v) for v in column("unit")]
    keep = [i for i, label in enumerate(unit_labels) if label is None or not is_total_label(label)]
    for i in sorted(set(range(len(rows))) - set(keep)):
        findings.note("total_row_skipped", rows[i], columns["unit"], unit_labels[i])
    rows = [rows[i] for i in keep]
    unit_labels = [unit_labels[i] for i in keep]
    if not rows:
        findings.error("no_rows", header_row)
        return SheetResult(empty_tidy(), findings.problems, "long")

    period_codes = _resolve_periods(grid, findings, rows, columns, period)
    unit_codes = _resolve(findings, rows, columns["unit"], unit_labels, catalog.resolve_unit, "单位")
    indicator_labels = [cell_text(v) for v in column("indicator")]
    indicator_codes = _resolve(findings, rows, columns["indicator"], indicator_labels, catalog.resolve_indicator,
                               "指标")

    frame = pd.DataFrame({"period": period_codes, "unit_code": unit_codes, "indicator_code": indicator_codes})
    measures = frame["indicator_code"].map(
        {code: catalog.indicator(code).measure for code in set(indicator_codes) if code})
    for name in VALUE_FIELDS:
        if name not in columns:
            frame[name] = np.nan
            continue
        c = columns[name]
        percent_cells = [(r, c) in grid.percent_cells for r in rows] if grid.percent_cells else None
        parsed = parse_column([grid.rows[r][c] for r in rows], percent_cells)
        for i in parsed.bad:
            findings.error("bad_number", rows[i], c, grid.rows[rows[i]][c], HEADERS_ZH[name])
        for i in np.flatnonzero(parsed.percent & (measures != "%").to_numpy()):
            if indicator_codes[i]:
                findings.error("percent_on_non_percent", rows[i], c, grid.rows[rows[i]][c], HEADERS_ZH[name],
                               indicator=catalog.indicator(indicator_codes[i]).name, measure=measures.iloc[i])
        frame[name] = parsed.values
    frame["note"] = column("note") if "note" in columns else None
    frame["note"] = frame["note"].map(cell_text)
    frame["source_file"] = grid.file
    frame["sheet"] = grid.sheet
    frame["row"] = np.asarray(rows, dtype=np.int64) + 1
    for name in ("unit", "indicator", *VALUE_FIELDS):
        frame[f"col_{name}"] = column_letter(columns[name]) if name in columns else None
    frame = frame.dropna(subset=["period", "unit_code", "indicator_code"])
    frame.insert(1, "date", pd.to_datetime(frame["period"].map(periods.end_date)).astype("datetime64[us]"))
    return SheetResult(frame.reset_index(drop=True), findings.problems, "long")


def _resolve_periods(grid: Grid, findings: Findings, rows: list[int], columns: dict[str, int],
                     period: str | None) -> list[str | None]:
    if "period" not in columns:
        return [period] * len(rows)
    c = columns["period"]
    cache: dict[object, str | None] = {}
    codes: list[str | None] = []
    for r in rows:
        raw = grid.rows[r][c]
        key = raw if not isinstance(raw, str) else raw.strip()
        if key not in cache:
            try:
                code = periods.parse_period(raw, int(period[:4]) if period else None)
            except periods.PeriodError as err:
                findings.error("bad_period", r, c, raw, "期间", reason=(err.reason_zh, err.reason_en))
                code = None
            if code and period and periods.end_date(code) != periods.end_date(period):
                findings.error("period_conflict", r, c, raw, "期间", period=period)
                code = None
            cache[key] = code
        codes.append(cache[key])
    return codes


def _resolve(findings: Findings, rows: list[int], c: int, labels: list[str | None], resolve, header: str,
             ) -> list[str | None]:
    """Resolve each distinct label once; a bad label is reported at the first row it stands in."""
    cache: dict[str, str | None] = {}
    codes: list[str | None] = []
    for r, label in zip(rows, labels, strict=True):
        if label is None:
            findings.error("empty_required", r, c, None, header, column=header)
            codes.append(None)
            continue
        if label not in cache:
            try:
                cache[label] = resolve(label)
            except LookupFailure as failure:
                cache[label] = None
                findings.error(failure.key, r, c, label, header, **failure.params)
        codes.append(cache[label])
    return codes
