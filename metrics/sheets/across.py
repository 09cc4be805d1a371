"""Periods across the columns: a table with one column per period (``2021年``, ``2021年1-9月``,
``2021年9月``, ``2022年第一季度``, in any order, often newest first) and units or indicators down.

The dimension that does not vary is named by a metadata row (``地区：衡阳县``, ``指标：地区生产总值``)
or by the title. A metadata row naming something that is not a catalog unit (``地区：湖南省``) makes
the table a skipped one, with the reason and the closest names. With indicators down, a row whose
indicator the catalog does not track (a sub-item such as 第一产业) is skipped with a note; with units
down, an unknown unit is an error as in every other table. Two columns of the same date: the
year-to-date one is read and the single-period one ignored with a note. Footnote rows (``注：``,
``数据来源：``) end the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from metrics import periods
from metrics.catalog import Catalog, LookupFailure
from metrics.matching import closest, hint
from metrics.measures import is_measure, normalize_measure, split_measure
from metrics.sheets.common import (
    Findings,
    SheetResult,
    cell_text,
    empty_tidy,
    is_total_label,
    measured_values,
)
from metrics.sheets.grid import Grid, column_letter
from metrics.sheets.titles import find_period_text
from metrics.sheets.wide import FOOTNOTE
from metrics.text import match_key, normalize_label

_META = re.compile(r"^\s*(地区|区域|县市区|单位名称|地区名称|单位|指标|指标名称)\s*[:：]\s*(.+?)\s*$")
_MEASURE_HEADERS = {match_key(w) for w in ("单位", "计量单位", "单位名称")}
_UNIT_KEYS = {"地区", "区域", "县市区", "单位名称", "地区名称", "单位"}


@dataclass
class PeriodColumn:
    col: int
    text: str
    code: str


@dataclass
class AcrossLayout:
    header_row: int
    label_col: int
    columns: list[PeriodColumn]
    measure_col: int | None = None
    ignored: list[PeriodColumn] = field(default_factory=list)     # same date as a year-to-date column


def _period_of(value: object) -> str | None:
    """The period code of a heading that names its own year (2021年1-9月, 2021年, 2021Q4)."""
    if not isinstance(value, str):
        return None
    text = normalize_label(value).replace(" ", "")
    if not re.match(r"^\d{4}", text):
        return None
    try:
        return periods.parse_period(text)
    except periods.PeriodError:
        return None


def find_across(grid: Grid, search_rows: int = 15) -> AcrossLayout | None:
    """A header row with two or more period headings, and a label column left of them."""
    for r in range(min(search_rows, grid.n_rows)):
        if r in grid.hidden_rows:
            continue
        cols = [PeriodColumn(c, normalize_label(v), code) for c, v in enumerate(grid.rows[r])
                if c and c not in grid.hidden_cols and (code := _period_of(v)) is not None]
        if len(cols) < 2:
            continue
        first = min(col.col for col in cols)
        label_col = _label_column(grid, r, first)
        if label_col is None:
            continue
        measure_col = next((c for c in range(label_col + 1, first)
                            if match_key(grid.rows[r][c]) in _MEASURE_HEADERS), None)
        return _keep_year_to_date(AcrossLayout(r, label_col, cols, measure_col))
    return None


def _label_column(grid: Grid, header_row: int, first_period_col: int) -> int | None:
    below = grid.rows[header_row + 1: header_row + 40]
    best, best_count = None, 0
    for c in range(first_period_col):
        if c in grid.hidden_cols:
            continue
        count = sum(1 for row in below if c < len(row) and isinstance(row[c], str) and row[c].strip())
        if count > best_count:
            best, best_count = c, count
    return best


def _keep_year_to_date(layout: AcrossLayout) -> AcrossLayout:
    """Of columns ending the same day, the year-to-date one (1-9月) wins over 9月 / 第三季度."""
    by_date: dict[object, list[PeriodColumn]] = {}
    for col in layout.columns:
        by_date.setdefault(periods.end_date(col.code), []).append(col)
    kept: list[PeriodColumn] = []
    for cols in by_date.values():
        cols = sorted(cols, key=lambda col: periods.is_single_period(col.text))
        kept.append(cols[0])
        layout.ignored.extend(cols[1:])
    layout.columns = sorted(kept, key=lambda col: col.col)
    return layout


def read_across(grid: Grid, catalog: Catalog, layout: AcrossLayout) -> tuple[SheetResult | None, tuple[str, str] | None]:
    """Tidy rows of the table, or the reason it is skipped."""
    findings = Findings(grid)
    rows = _data_rows(grid, layout)
    labels = [label for _, label in rows]
    unit_hits = sum(1 for label in labels if catalog.find_unit(label) is not None)
    indicator_hits = sum(1 for label in labels if catalog.find_indicator(split_measure(label)[0]) is not None)
    if not max(unit_hits, indicator_hits):
        return None, ("按期间排列的表格，但行标签既不是目录中的单位也不是指标",
                      "a table with periods across, but its row labels are neither catalog units nor indicators")
    meta, measure_note = _metadata(grid, layout.header_row)
    title = _title(grid, layout.header_row)
    if unit_hits >= indicator_hits:
        fixed = _fixed_indicator(catalog, meta, title)
        if isinstance(fixed, tuple):
            return None, fixed
        frame = _units_down(grid, findings, catalog, layout, rows, fixed, measure_note or split_measure(title or "")[1])
    else:
        fixed = _fixed_unit(catalog, meta, title)
        if isinstance(fixed, tuple):
            return None, fixed
        frame = _indicators_down(grid, findings, catalog, layout, rows, fixed, measure_note)
    for col in layout.ignored:
        findings.note("single_period_ignored", layout.header_row, col.col, col.text)
    if frame.empty:
        return SheetResult(empty_tidy(), findings.problems, "across"), None
    frame["date"] = pd.to_datetime(frame["period"].map(periods.end_date)).astype("datetime64[us]")
    frame["note"] = None
    frame["source_file"] = grid.file
    frame["sheet"] = grid.sheet
    return SheetResult(frame, findings.problems, "across"), None


def _data_rows(grid: Grid, layout: AcrossLayout) -> list[tuple[int, str]]:
    out = []
    for r in range(layout.header_row + 1, grid.n_rows):
        if r in grid.hidden_rows:
            continue
        first = cell_text(next((v for v in grid.rows[r] if v is not None), None))
        if first and FOOTNOTE.match(first):
            break
        label = cell_text(grid.rows[r][layout.label_col]) if layout.label_col < len(grid.rows[r]) else None
        if label is not None and not is_total_label(label):
            out.append((r, label))
    return out


def _metadata(grid: Grid, header_row: int) -> tuple[dict[str, tuple[str, int, int]], str | None]:
    """``地区：衡阳县`` / ``指标：…`` rows above the header, and a ``单位：亿元`` measure note."""
    meta: dict[str, tuple[str, int, int]] = {}
    measure = None
    for r in range(header_row):
        for c, value in enumerate(grid.rows[r]):
            if not isinstance(value, str) or not (m := _META.match(normalize_label(value))):
                continue
            key, text = m[1], m[2].strip("（）() ")
            if key == "单位" and is_measure(text):
                measure = normalize_measure(text)
                continue
            meta["unit" if key in _UNIT_KEYS else "indicator"] = (text, r, c)
    return meta, measure


def _title(grid: Grid, header_row: int) -> str | None:
    for r in range(header_row):
        for value in grid.rows[r]:
            text = cell_text(value)
            if text and isinstance(value, str) and not _META.match(text) and not text.startswith(("（", "(")):
                return text
    return None


def _fixed_indicator(catalog: Catalog, meta: dict, title: str | None) -> str | tuple[str, str]:
    names = catalog.indicators["name"].tolist()
    if "indicator" in meta:
        text = split_measure(meta["indicator"][0])[0]
        code = catalog.find_indicator(text)
        if code is not None:
            return code
        return _not_in_catalog("指标", "indicator", text, closest(text, names))
    if title:
        text = title
        period_text = find_period_text(text)
        if period_text:
            text = text.replace(period_text, "")
        text = split_measure(text.strip(" ：:·-"))[0]
        for candidate in (text, re.sub(r"(情况|统计|完成情况|一览表?|表)$", "", text)):
            code = catalog.find_indicator(candidate)
            if code is not None:
                return code
        return _not_in_catalog("指标", "indicator", text, closest(text, names))
    return ("按期间排列的表格没有写明指标（标题或“指标：”行）", "a table with periods across names no indicator (title or 指标： row)")


def _fixed_unit(catalog: Catalog, meta: dict, title: str | None) -> str | tuple[str, str]:
    names = catalog.units["name"].tolist()
    if "unit" in meta:
        text = meta["unit"][0]
        code = catalog.find_unit(text)
        if code is not None:
            return code
        return _not_in_catalog("单位", "unit", text, closest(text, names))
    if title:
        key = match_key(title)
        found = sorted(((len(match_key(label)), row.code) for row in catalog.units.itertuples()
                        for label in (row.name, *row.aliases) if len(match_key(label)) >= 2 and match_key(label) in key),
                       reverse=True)
        if found:
            return found[0][1]
    return ("按期间排列的指标表没有写明单位（标题或“地区：”行）", "a table of indicators with periods across names no unit "
            "(title or 地区： row)")


def _not_in_catalog(what_zh: str, what_en: str, text: str, names: list[str]) -> tuple[str, str]:
    zh, en = hint(names)
    return (f"{what_zh}“{text}”不在目录中{zh or '，也没有相近的名称'}；此表已跳过",
            f"{what_en} “{text}” is not in the catalog{en or ', nor any close name'}; this table is skipped")


def _units_down(grid: Grid, findings: Findings, catalog: Catalog, layout: AcrossLayout, rows: list[tuple[int, str]],
                indicator: str, measure: str | None) -> pd.DataFrame:
    units: dict[int, str] = {}
    for r, label in rows:
        try:
            units[r] = catalog.resolve_unit(label)
        except LookupFailure as failure:
            findings.error(failure.key, r, layout.label_col, label, "单位", **failure.params)
    out_rows = [r for r, _ in rows if r in units]
    parts = []
    for col in layout.columns:
        header = col.text
        measured = measured_values(grid, findings, catalog, indicator, col.col, header,
                                   split_measure(header)[1] or measure, out_rows, layout.header_row)
        if measured is None:
            continue
        parts.append(pd.DataFrame({
            "period": col.code, "unit_code": [units[r] for r in out_rows], "indicator_code": indicator,
            "target": np.nan, "milestone": np.nan, "actual": measured.values, "row": np.asarray(out_rows) + 1,
            "col_unit": column_letter(layout.label_col), "col_indicator": column_letter(col.col),
            "col_actual": column_letter(col.col)}))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return frame[frame["actual"].notna()].reset_index(drop=True) if not frame.empty else frame


def _indicators_down(grid: Grid, findings: Findings, catalog: Catalog, layout: AcrossLayout,
                     rows: list[tuple[int, str]], unit: str, measure_note: str | None) -> pd.DataFrame:
    records = []
    for r, label in rows:
        name, row_measure = split_measure(label)
        indicator = catalog.find_indicator(name)
        if indicator is None:
            findings.note("row_not_in_catalog", r, layout.label_col, label)
            continue
        if layout.measure_col is not None:
            row_measure = row_measure or cell_text(grid.rows[r][layout.measure_col])
        for col in layout.columns:
            measured = measured_values(grid, findings, catalog, indicator, col.col, col.text,
                                       row_measure or measure_note, [r], layout.header_row)
            if measured is None or np.isnan(measured.values[0]):
                continue
            records.append({"period": col.code, "unit_code": unit, "indicator_code": indicator, "target": np.nan,
                            "milestone": np.nan, "actual": float(measured.values[0]), "row": r + 1,
                            "col_unit": None, "col_indicator": column_letter(layout.label_col),
                            "col_actual": column_letter(col.col)})
    return pd.DataFrame(records)
