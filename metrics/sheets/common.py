"""What every sheet reader shares: locating problems, finding header rows, parsing value columns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from metrics.measures import conversion_exponent, scale_exact, split_measure
from metrics.messages import MESSAGES, Problem
from metrics.sheets.workbook import Grid, column_letter
from metrics.text import MAX_FIGURE, ValueParseError, match_key, no_figure_word, normalize_label, parse_number

TOTAL_LABELS = {"全市", "全省", "合计", "总计", "市辖区", "全区", "全县", "总体"}
TIDY_COLUMNS = ["period", "date", "unit_code", "indicator_code", "target", "milestone", "actual", "note",
                "source_file", "sheet", "row"]


def is_total_label(label: object) -> bool:
    """全市, 合计, …小计: aggregate rows, never units."""
    key = match_key(label)
    return key in TOTAL_LABELS or key.endswith(("小计", "合计"))


def stray_problems(grid: Grid, stored_columns: set[int]) -> list[Problem]:
    """Far cells cut out before reading (a stray cell at XFD1048576): an error where the reader would
    store the value (a figure column of a long template, every row of which is read), else a note."""
    findings = Findings(grid)
    for r, c, text in grid.stray_cells:
        if c in stored_columns:
            findings.error("far_cell_in_column", r, c, text)
        else:
            findings.note("far_cell_ignored", r, c, text)
    return findings.problems


def header_key(header: object) -> str:
    """A header without its measure, notes, spaces and a trailing %/±: '完成值（亿元）' -> '完成值',
    '增长%' and '同比±%' -> '增长', '同比'."""
    return match_key(split_measure(header)[0]).rstrip("%±").lstrip("±")


@dataclass
class SheetResult:
    """What a reader made of one sheet: tidy rows and located problems."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    kind: str = ""
    skip_reason: tuple[str, str] | None = None   # the sheet is not read after all (an empty template)


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
    bad: list[tuple[int, str]]  # positions that are not numbers, with the message key saying why
    words: dict[int, str] = field(default_factory=dict)  # positions holding 同期为0 …: no figure, a note

    @property
    def bad_positions(self) -> list[int]:
        return [i for i, _ in self.bad]


_PLAIN_NUMBERS = {float, int, type(None)}


def parse_column(cells: list[object], percent_cells: list[bool] | None = None, *,
                 growth: bool = False) -> ParsedColumn:
    """Numbers of one column, fast for numeric cells, careful for text ones.

    A percent-formatted cell holding 0.075 reads as displayed, 7.5, and counts as a percent.
    ``growth``: the column holds a growth rate, where 持平 means 0.
    """
    n = len(cells)
    if set(map(type, cells)) <= _PLAIN_NUMBERS:
        # numbers and blanks only (what a numeric column is): no text to parse; inf/huge still checked below
        numeric = np.array(cells, dtype=np.float64)
        supplied = np.fromiter((c is not None for c in cells), dtype=bool, count=n)
    else:
        series = pd.Series(cells, dtype=object)
        numeric = np.array(pd.to_numeric(series, errors="coerce"), dtype=np.float64)
        supplied = series.notna().to_numpy()
    percent = np.zeros(n, dtype=bool)
    bad: list[tuple[int, str]] = []
    words: dict[int, str] = {}
    careful = np.isnan(numeric) & supplied
    with np.errstate(invalid="ignore"):
        careful |= ~np.isfinite(numeric) & ~np.isnan(numeric)
        careful |= np.abs(numeric) > MAX_FIGURE
    for i in np.flatnonzero(careful):
        try:
            number, pct = parse_number(cells[i], growth=growth)
        except ValueParseError as err:
            bad.append((int(i), err.key))
            numeric[i] = np.nan
            continue
        numeric[i] = np.nan if number is None else number
        percent[i] = pct
        if number is None and (word := no_figure_word(cells[i])) is not None:
            words[int(i)] = word
    if percent_cells is not None:
        for i in np.flatnonzero(np.asarray(percent_cells, dtype=bool)):
            if not np.isnan(numeric[i]) and not percent[i]:
                numeric[i] = scale_exact(float(numeric[i]), 2)
                percent[i] = True
    return ParsedColumn(numeric, percent, bad, words)


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


@dataclass
class Measured:
    """One figure column in the catalog's measure, with the cells that said "no figure" (同期为0 …)."""

    values: np.ndarray
    words: dict[int, str]


def word_notes(words: dict[int, str], n: int) -> pd.Series:
    """The note column for rows whose figure cell said 同期为0 (None elsewhere)."""
    notes = pd.Series([None] * n, dtype=object)
    for i, word in words.items():
        notes.iloc[i] = word
    return notes


def skip_unreadable_checks(findings: Findings, parsed: ParsedColumn, rows: list[int], col: int,
                           cells: list[object], header: str | None) -> set[int]:
    """A 完成率/排名 cell holding an error value is not a figure: its check is skipped with a warning."""
    for i, key in parsed.bad:
        zh, en = MESSAGES[key]
        findings.warning("check_skipped", int(rows[i]), col, cells[i], header,
                         reason=(zh.format(value=cells[i]), en.format(value=cells[i])))
    return set(parsed.bad_positions)


def report_bad(findings: Findings, parsed: ParsedColumn, rows: list[int] | np.ndarray, col: int,
               cells: list[object], header: str | None) -> None:
    """A located error for every cell of a figure column that is not a number, each saying why."""
    for i, key in parsed.bad:
        value = cells[i]
        findings.error(key, int(rows[i]), col, value, header)


def measured_values(grid: Grid, findings: Findings, catalog, indicator: str, col: int, header: str,
                    source_measure: str | None, rows: list[int], header_row: int,
                    role: str = "actual") -> Measured | None:
    """One figure column of a report or card: parsed, located errors, converted to the catalog's measure.

    Returns None (after an error naming both measures) when the header's measure does not convert.
    ``role`` is the field the column fills (actual, target, milestone, growth): 持平 is a growth of 0
    in a growth column or a rate indicator's actual, and an error anywhere else.
    """
    info = catalog.indicator(indicator)
    exponent = conversion_exponent(source_measure, info.measure or source_measure or "")
    if exponent is None:
        findings.error("measure_mismatch", header_row, col, header, header,
                       source=source_measure, target=info.measure, indicator=info.name)
        return None
    cells = [grid.rows[r][col] if col < len(grid.rows[r]) else None for r in rows]
    growth = role == "growth" or (role == "actual" and info.kind == "rate")
    parsed = parse_column(cells, [(r, col) in grid.percent_cells for r in rows] if grid.percent_cells else None,
                          growth=growth)
    report_bad(findings, parsed, rows, col, cells, header)
    if info.measure != "%":
        for i in np.flatnonzero(parsed.percent):
            findings.error("percent_on_non_percent", rows[i], col, cells[i], header,
                           indicator=info.name, measure=info.measure)
    for i, word in parsed.words.items():
        findings.note("no_figure_word", rows[i], col, word, header, indicator=info.name)
    if not exponent:
        return Measured(parsed.values, parsed.words)
    return Measured(np.array([scale_exact(float(v), exponent) for v in parsed.values]), parsed.words)
