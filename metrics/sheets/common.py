"""What every sheet reader shares: locating problems, finding header rows, parsing value columns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from metrics.measures import conversion_exponent, scale_exact, split_measure
from metrics.messages import Problem
from metrics.sheets.workbook import Grid, column_letter
from metrics.text import ValueParseError, match_key, normalize_label, parse_number

TOTAL_LABELS = {"全市", "全省", "合计", "总计", "市辖区", "全区", "全县", "总体"}
TIDY_COLUMNS = ["period", "date", "unit_code", "indicator_code", "target", "milestone", "actual", "note",
                "source_file", "sheet", "row"]


def is_total_label(label: object) -> bool:
    """全市, 合计, …小计: aggregate rows, never units."""
    key = match_key(label)
    return key in TOTAL_LABELS or key.endswith(("小计", "合计"))


def header_key(header: object) -> str:
    """A header without its measure and spaces: '完成值（亿元）' -> '完成值'."""
    return match_key(split_measure(header)[0])


@dataclass
class SheetResult:
    """What a reader made of one sheet: tidy rows and located problems."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    kind: str = ""


class Findings:
    """Collects problems located in one grid."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.problems: list[Problem] = []

    def add(self, level: str, key: str, row: int | None = None, col: int | None = None, value: object = None,
            header: str | None = None, **params: object) -> None:
        self.problems.append(Problem(
            level=level, key=key, file=self.grid.file, sheet=self.grid.sheet or None,
            row=None if row is None else row + 1, column=None if col is None else column_letter(col),
            value=value, params=params, header=header))

    def error(self, key: str, row: int | None = None, col: int | None = None, value: object = None,
              header: str | None = None, **params: object) -> None:
        self.add("error", key, row, col, value, header, **params)

    def warning(self, key: str, row: int | None = None, col: int | None = None, value: object = None,
                header: str | None = None, **params: object) -> None:
        self.add("warning", key, row, col, value, header, **params)

    def note(self, key: str, row: int | None = None, col: int | None = None, value: object = None,
             header: str | None = None, **params: object) -> None:
        self.add("note", key, row, col, value, header, **params)

    @property
    def has_errors(self) -> bool:
        return any(p.level == "error" for p in self.problems)


def find_header(grid: Grid, fields: dict[str, tuple[str, ...]], needed: set[str],
                search_rows: int = 15) -> tuple[int, dict[str, int]] | None:
    """The first row (within the first rows) whose cells name all ``needed`` fields."""
    synonyms = {match_key(s): name for name, words in fields.items() for s in words}
    for r, row in enumerate(grid.head(search_rows)):
        columns: dict[str, int] = {}
        for c, value in enumerate(row):
            if c in grid.hidden_cols or value is None:
                continue
            name = synonyms.get(header_key(value))
            if name and name not in columns:
                columns[name] = c
        if needed <= columns.keys():
            return r, columns
    return None


@dataclass
class ParsedColumn:
    values: np.ndarray        # float64, NaN = not supplied
    percent: np.ndarray       # bool: written with % or shown as a percent
    bad: list[int]            # positions that are not numbers


def parse_column(cells: list[object], percent_cells: list[bool] | None = None) -> ParsedColumn:
    """Numbers of one column, fast for numeric cells, careful for text ones.

    A percent-formatted cell holding 0.075 reads as displayed, 7.5, and counts as a percent.
    """
    n = len(cells)
    series = pd.Series(cells, dtype=object)
    numeric = np.array(pd.to_numeric(series, errors="coerce"), dtype=np.float64)
    percent = np.zeros(n, dtype=bool)
    bad: list[int] = []
    for i in np.flatnonzero(np.isnan(numeric) & series.notna().to_numpy()):
        try:
            number, pct = parse_number(cells[i])
        except ValueParseError:
            bad.append(int(i))
            numeric[i] = np.nan
            continue
        numeric[i] = np.nan if number is None else number
        percent[i] = pct
    if percent_cells is not None:
        for i in np.flatnonzero(np.asarray(percent_cells, dtype=bool)):
            if not np.isnan(numeric[i]) and not percent[i]:
                numeric[i] = scale_exact(float(numeric[i]), 2)
                percent[i] = True
    return ParsedColumn(numeric, percent, bad)


def cell_text(value: object) -> str | None:
    text = normalize_label(value)
    return text or None


def empty_tidy() -> pd.DataFrame:
    return pd.DataFrame({
        "period": pd.Series(dtype=object), "date": pd.Series(dtype="datetime64[us]"),
        "unit_code": pd.Series(dtype=object), "indicator_code": pd.Series(dtype=object),
        "target": pd.Series(dtype=float), "milestone": pd.Series(dtype=float), "actual": pd.Series(dtype=float),
        "note": pd.Series(dtype=object), "source_file": pd.Series(dtype=object), "sheet": pd.Series(dtype=object),
        "row": pd.Series(dtype="int64")})


def measured_values(grid: Grid, findings: Findings, catalog, indicator: str, col: int, header: str,
                    source_measure: str | None, rows: list[int], header_row: int) -> np.ndarray | None:
    """One figure column of a report or card: parsed, located errors, converted to the catalog's measure.

    Returns None (after an error naming both measures) when the header's measure does not convert.
    """
    info = catalog.indicator(indicator)
    exponent = conversion_exponent(source_measure, info.measure or source_measure or "")
    if exponent is None:
        findings.error("measure_mismatch", header_row, col, header, header,
                       source=source_measure, target=info.measure, indicator=info.name)
        return None
    cells = [grid.rows[r][col] if col < len(grid.rows[r]) else None for r in rows]
    parsed = parse_column(cells, [(r, col) in grid.percent_cells for r in rows] if grid.percent_cells else None)
    for i in parsed.bad:
        findings.error("bad_number", rows[i], col, cells[i], header)
    if info.measure != "%":
        for i in np.flatnonzero(parsed.percent):
            findings.error("percent_on_non_percent", rows[i], col, cells[i], header,
                           indicator=info.name, measure=info.measure)
    if not exponent:
        return parsed.values
    return np.array([scale_exact(float(v), exponent) for v in parsed.values])
