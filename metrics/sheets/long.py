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
    report_bad,
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

    body = grid.body_columns(header_row + 1, columns.values())
    cells = {name: pd.Series(body[c], dtype=object) for name, c in columns.items()}
    rows = np.arange(header_row + 1, grid.n_rows, dtype=np.int64)
    keep = np.array(pd.concat(cells.values(), axis=1).notna().any(axis=1), dtype=bool)
    if grid.hidden_rows:
        keep &= ~np.isin(rows, list(grid.hidden_rows))
    rows = rows[keep]
    cells = {name: values[keep].reset_index(drop=True) for name, values in cells.items()}

    unit_text = _texts(cells["unit"])
    totals = {label for label in unit_text.dropna().unique() if is_total_label(label)}
    is_total = unit_text.isin(totals).to_numpy()
    for i in np.flatnonzero(is_total):
        findings.note("total_row_skipped", int(rows[i]), columns["unit"], unit_text.iloc[i])
    keep = ~is_total
    rows = rows[keep]
    cells = {name: values[keep].reset_index(drop=True) for name, values in cells.items()}
    if not len(rows):
        findings.error("no_rows", header_row)
        return SheetResult(empty_tidy(), findings.problems, "long")

    frame = pd.DataFrame({
        "period": _resolve_periods(findings, rows, columns, cells, period),
        "unit_code": _resolve(findings, rows, columns["unit"], cells["unit"], catalog.resolve_unit, "单位"),
        "indicator_code": _resolve(findings, rows, columns["indicator"], cells["indicator"],
                                   catalog.resolve_indicator, "指标"),
    })
    words: dict[int, str] = {}
    for name in VALUE_FIELDS:
        frame[name] = _values(grid, findings, catalog, frame, rows, columns, cells, name, words)
    notes = _texts(cells["note"]) if "note" in cells else pd.Series([None] * len(rows), dtype=object)
    for i, word in words.items():
        if notes.iloc[i] is None:
            notes.iloc[i] = word
    frame["note"] = notes
    frame["source_file"] = grid.file
    frame["sheet"] = grid.sheet
    frame["row"] = rows + 1
    for name in ("period", "unit", "indicator", *VALUE_FIELDS):
        frame[f"col_{name}"] = column_letter(columns[name]) if name in columns else None
    frame = frame.dropna(subset=["period", "unit_code", "indicator_code"])
    codes, uniques = pd.factorize(frame["period"])
    end_dates = pd.to_datetime([periods.end_date(code) for code in uniques]).astype("datetime64[us]")
    frame.insert(1, "date", end_dates.take(codes))
    return SheetResult(frame.reset_index(drop=True), findings.problems, "long")


def _per_distinct(values: pd.Series, fn) -> pd.Series:
    """fn applied once per distinct value (sheets repeat labels thousands of times); NaN/None -> None."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[:-1] = [fn(u) for u in uniques]
    mapped[-1] = None
    return pd.Series(mapped[codes], dtype=object)


def _texts(values: pd.Series) -> pd.Series:
    """Normalised labels; blank -> None."""
    return _per_distinct(values, cell_text)


def _values(grid: Grid, findings: Findings, catalog: Catalog, frame: pd.DataFrame, rows: np.ndarray,
            columns: dict[str, int], cells: dict[str, pd.Series], name: str, words: dict[int, str]) -> np.ndarray:
    """One figure column; cells saying 同期为0 … are collected in ``words`` (position -> word)."""
    if name not in columns:
        return np.full(len(rows), np.nan)
    c = columns[name]
    percent_cells = [(int(r), c) in grid.percent_cells for r in rows] if grid.percent_cells else None
    raw = cells[name]
    values = raw.tolist()
    parsed = parse_column(values, percent_cells)
    codes = frame["indicator_code"]
    if name == "actual":  # 持平 is a growth of 0: fine in a rate indicator's actual, an error elsewhere
        level = [(i, key) for i, key in parsed.bad if key == "level_word_not_growth"
                 and codes.iloc[i] is not None and catalog.indicator(codes.iloc[i]).kind == "rate"]
        for i, _ in level:
            parsed.values[i] = 0.0
        parsed.bad = [b for b in parsed.bad if b not in level]
    report_bad(findings, parsed, rows, c, values, HEADERS_ZH[name])
    for i, word in parsed.words.items():
        words[int(i)] = word
        code = codes.iloc[i]
        findings.note("no_figure_word", int(rows[i]), c, word, HEADERS_ZH[name],
                      indicator=catalog.indicator(code).name if code is not None else "")
    for i in np.flatnonzero(parsed.percent):   # a % sign is fine only in a % indicator
        code = codes.iloc[i]
        if code is not None and catalog.indicator(code).measure != "%":
            info = catalog.indicator(code)
            findings.error("percent_on_non_percent", int(rows[i]), c, raw.iloc[i], HEADERS_ZH[name],
                           indicator=info.name, measure=info.measure)
    return parsed.values


def _resolve_periods(findings: Findings, rows: np.ndarray, columns: dict[str, int], cells: dict[str, pd.Series],
                     period: str | None) -> pd.Series:
    if "period" not in columns:
        return pd.Series([period] * len(rows), dtype=object)
    c = columns["period"]
    raw = cells["period"]
    default_year = int(period[:4]) if period else None

    def code_of(value: object) -> str | None:
        try:
            code = periods.parse_period(value, default_year)
        except periods.PeriodError as err:
            findings.error("bad_period", _first_row(rows, raw, value), c, value, "期间",
                           reason=(err.reason_zh, err.reason_en))
            return None
        if period and periods.end_date(code) != periods.end_date(period):
            findings.error("period_conflict", _first_row(rows, raw, value), c, value, "期间", period=period)
            return None
        return code

    for i in np.flatnonzero(raw.isna().to_numpy()):
        findings.error("empty_required", int(rows[i]), c, None, "期间", column="期间")
    return _per_distinct(raw, code_of)


def _resolve(findings: Findings, rows: np.ndarray, c: int, raw: pd.Series, resolve, header: str) -> pd.Series:
    """Resolve each distinct label once; a bad label is reported at the first row it stands in."""
    labels = _texts(raw)

    def code_of(label: str) -> str | None:
        try:
            return resolve(label)
        except LookupFailure as failure:
            findings.error(failure.key, _first_row(rows, labels, label), c, label, header, **failure.params)
            return None

    for i in np.flatnonzero(labels.isna().to_numpy()):
        findings.error("empty_required", int(rows[i]), c, None, header, column=header)
    return _per_distinct(labels, code_of)


def _first_row(rows: np.ndarray, values: pd.Series, value: object) -> int:
    """The sheet row where a (bad) value first stands, for the message."""
    return int(rows[np.argmax(np.array(values == value, dtype=bool))])
