"""The statistics bureau's monthly card (月报卡): a workbook of one-table sheets.

A county table has the indicator as its title (row 1), a header row with ``地  区`` and the period
merged over the sub-columns (``2025年1-9月``, ``1-8月``, ``9月末``), a row of sub-headers naming the
measure (``绝对额(万元)``, ``增速(%)``, ``排名``), then ``全市`` and the units by short name.

The same workbook holds sheets that are not tables by unit (contents, city-wide breakdowns, hidden
stale copies, tables with labels but no figures, indicators the catalog does not track): those are
skipped with a reason, never refused, so a whole card imports in one go. Inside a county table the
rules are strict: an unknown row label is an error, as in every other sheet kind.

Finding the layout (``find_card``) looks only at the header rows and needs no catalog, so the
catalog draft (``metrics.card_catalog``) and the importer share it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from metrics import periods
from metrics.catalog import Catalog, LookupFailure
from metrics.matching import closest
from metrics.measures import normalize_measure, split_measure
from metrics.ranking import sheet_ranks
from metrics.sheets.common import (
    Findings,
    SheetResult,
    cell_text,
    empty_tidy,
    header_key,
    is_total_label,
    measured_values,
    parse_column,
    skip_unreadable_checks,
    word_notes,
)
from metrics.sheets.titles import find_period_text
from metrics.sheets.wide import FOOTNOTE, SUB_COLUMNS, ranking_key, resolve_single_period
from metrics.sheets.workbook import Grid, column_letter
from metrics.text import match_key

Reason = tuple[str, str]

_ROLES = {match_key(w): role for role, words in SUB_COLUMNS.items() for w in words}
_ROLES.update({match_key(w): "actual" for w in ("总额", "绝对量", "数值", "金额")})
VALUE_ROLES = ("target", "milestone", "actual", "growth")
_MEASURE_NOTE = re.compile(r"^[(（]?\s*(?:计量)?单位\s*[:：]\s*([^()（）]+?)\s*[)）]?$")
CONTENTS_TITLES = {"目录", "目次", "contents"}


@dataclass
class CardColumn:
    """One sub-column under the period header."""

    col: int
    role: str                   # actual | target | milestone | growth | rank | completion | ignored
    header: str
    measure: str | None


@dataclass
class CardLayout:
    """Where the parts of one card table are; found from the header rows alone."""

    title: str                  # the indicator as written, without a leading period or a measure
    title_measure: str | None   # a measure in the title or in a 单位：万元 note row
    title_cell: tuple[int, int]
    label_col: int
    label_header: str
    period_row: int
    period_col: int
    period_text: str
    sub_row: int
    columns: list[CardColumn]
    outside: list[tuple[int, str]] = field(default_factory=list)   # labelled columns right of the table

    def role_columns(self, role: str) -> list[CardColumn]:
        return [c for c in self.columns if c.role == role]


@dataclass
class WorkbookContext:
    """What one sheet of a card learns from the others: the year, and the period most sheets have."""

    year: int | None
    main_date: dt.date | None   # end date most card tables share (for the "differs" note)
    main_period: str | None


def _at(grid: Grid, r: int, c: int) -> object:
    if 0 <= r < len(grid.rows):
        row = grid.rows[r]
        if 0 <= c < len(row):
            return row[c]
    return None


def is_period_cell(value: object) -> bool:
    """The whole cell reads as a period (a year may be missing: 1-8月, 9月末)."""
    if value is None or isinstance(value, bool | int | float):
        return False
    try:
        periods.parse_period(value, default_year=2000)
        return True
    except periods.PeriodError as err:
        return "年初至今" in err.reason_zh     # 7-9月: a period, refused later with its reason


def explicit_year(text: object) -> int | None:
    """The year a period cell names itself (2025年1-9月 -> 2025; 1-9月 -> None)."""
    try:
        return periods.year_of(periods.parse_period(text))
    except periods.PeriodError:
        return None


def column_role(value: object) -> str | None:
    """What a sub-header means on a card; a bare measure like ``(亿元)`` is the value itself."""
    text = cell_text(value)
    if text is None:
        return None
    key = header_key(text)
    if not key:
        return "actual" if split_measure(text)[1] else None
    return _ROLES.get(key, "ignored")


def find_card(grid: Grid, search_rows: int = 10) -> CardLayout | None:
    """The card layout of a sheet: a title, a header cell that is a period, sub-headers below it."""
    for r in range(1, min(search_rows, len(grid.rows))):
        if r in grid.hidden_rows:
            continue
        for c, value in enumerate(grid.rows[r]):
            if c == 0 or c in grid.hidden_cols or not is_period_cell(value):
                continue
            layout = _layout_at(grid, r, c)
            if layout is not None:
                return layout
    return None


def _merge_at(grid: Grid, r: int, c: int) -> tuple[int, int, int, int] | None:
    for r0, c0, r1, c1 in grid.merged:
        if r0 <= r <= r1 and c0 <= c <= c1:
            return r0, c0, r1, c1
    return None


def _layout_at(grid: Grid, r: int, c: int) -> CardLayout | None:
    merge = _merge_at(grid, r, c)
    last_row, last_col = (merge[2], merge[3]) if merge else (r, c)
    sub_row = last_row + 1
    if sub_row >= len(grid.rows):
        return None
    block = list(range(c, last_col + 1))
    if merge is None or last_col == c:          # not merged across: take the sub-columns beside it
        cc = c + 1
        while (_at(grid, r, cc) is None and _merge_at(grid, r, cc) is None
               and column_role(_at(grid, sub_row, cc)) not in (None, "ignored")):
            block.append(cc)
            cc += 1
    columns: list[CardColumn] = []
    for cc in block:
        if cc in grid.hidden_cols:
            continue                              # hidden helper columns are ignored
        value = _at(grid, sub_row, cc)
        role = column_role(value)
        if role is None:
            continue
        text = cell_text(value) or ""
        columns.append(CardColumn(cc, role, text, split_measure(text)[1]))
    resolve_single_period(columns)
    if not any(col.role in VALUE_ROLES for col in columns):
        return None
    title = _title(grid, r)
    if title is None:
        return None
    (title_text, title_measure), title_cell = title
    title_measure = title_measure or _measure_note(grid, r)
    label_col, label_header = _label_column(grid, r, sub_row, c)
    outside = []
    width = max((len(row) for row in grid.rows[: sub_row + 1]), default=0)
    for cc in range(block[-1] + 1, width):
        if cc in grid.hidden_cols:
            continue
        text = cell_text(_at(grid, r, cc)) or cell_text(_at(grid, sub_row, cc))
        if text:
            outside.append((cc, text))
    return CardLayout(title_text, title_measure, title_cell, label_col, label_header, r, c,
                      cell_text(grid.rows[r][c]) or "", sub_row, columns, outside)


def _title(grid: Grid, header_row: int) -> tuple[tuple[str, str | None], tuple[int, int]] | None:
    """The first text above the header that is not a measure note: the indicator."""
    for r in range(header_row):
        if r in grid.hidden_rows:
            continue
        for c, value in enumerate(grid.rows[r]):
            text = cell_text(value)
            if text is None or not isinstance(value, str) or _MEASURE_NOTE.match(text):
                continue
            prefix = find_period_text(text)
            if prefix and text.startswith(prefix):         # "2025年1-9月地区生产总值"
                text = text[len(prefix):].strip(" ：:·-")
            name, measure = split_measure(text)
            return (name, measure), (r, c)
    return None


def _measure_note(grid: Grid, header_row: int) -> str | None:
    for r in range(header_row):
        for value in grid.rows[r]:
            text = cell_text(value)
            if text and (m := _MEASURE_NOTE.match(text)):
                return normalize_measure(m[1])
    return None


def _label_column(grid: Grid, header_row: int, sub_row: int, first_col: int) -> tuple[int, str]:
    """The column of row labels: the nearest labelled column left of the figures (after 序号)."""
    for c in range(first_col - 1, -1, -1):
        if c in grid.hidden_cols:
            continue
        text = cell_text(grid.cell(header_row, c)) or cell_text(grid.cell(sub_row, c))
        if text:
            return c, text.replace(" ", "")      # 地  区 -> 地区, as messages name the column
    return 0, ""


def data_rows(grid: Grid, layout: CardLayout) -> list[tuple[int, str]]:
    """Visible rows with a label, up to the first footnote: (row, label)."""
    rows = []
    for r in range(layout.sub_row + 1, len(grid.rows)):
        if r in grid.hidden_rows:
            continue
        first = cell_text(next((v for v in grid.rows[r] if v is not None), None))
        if first and FOOTNOTE.match(first):
            break
        label = cell_text(_at(grid, r, layout.label_col))
        if label is not None:
            rows.append((r, label))
    return rows


def is_contents(grid: Grid) -> bool:
    """The card's 目录 sheet (its title or its name says so)."""
    first = next((v for row in grid.rows[:3] for v in row if v is not None), None)
    return match_key(first) in CONTENTS_TITLES or match_key(grid.sheet) in CONTENTS_TITLES


def workbook_context(layouts: list[CardLayout], period: str | None) -> WorkbookContext:
    """The year for periods without one: the most common year among the card's own periods, else
    ``--period``'s; and the period most tables share."""
    years = Counter(y for layout in layouts if (y := explicit_year(layout.period_text)) is not None)
    if years:
        year: int | None = max(years.items(), key=lambda item: (item[1], item[0]))[0]
    else:
        year = periods.year_of(period) if period else None
    codes: Counter[str] = Counter()
    if year is not None:
        for layout in layouts:
            try:
                codes[periods.parse_period(layout.period_text, year)] += 1
            except periods.PeriodError:
                continue
    main = None
    if codes:
        by_date: Counter[dt.date] = Counter()
        for code, n in codes.items():
            by_date[periods.end_date(code)] += n
        main_date = max(by_date.items(), key=lambda item: (item[1], item[0]))[0]
        main = max((c for c in codes if periods.end_date(c) == main_date), key=lambda c: codes[c])
        return WorkbookContext(year, main_date, main)
    return WorkbookContext(year, None, None)


def skip_reason_hidden(grid: Grid) -> Reason:
    """A hidden sheet is skipped; naming its period shows when it is a stale copy (1-2月 in September)."""
    for r in range(min(10, len(grid.rows))):
        for c, value in enumerate(grid.rows[r]):
            below = _at(grid, r + 1, c)
            if c and is_period_cell(value) and isinstance(below, str) and not is_period_cell(below):
                text = cell_text(value)   # a card header (period over sub-headers), not a list of months
                return f"隐藏工作表（期间“{text}”）", f"hidden sheet (period “{text}”)"
    return "隐藏工作表", "hidden sheet"


def read_card(grid: Grid, catalog: Catalog, layout: CardLayout,
              context: WorkbookContext) -> tuple[SheetResult | None, Reason | None]:
    """Tidy rows of one card table, or the reason it is skipped (not a table by unit, no figures,
    an indicator the catalog lacks)."""
    rows = data_rows(grid, layout)
    unit_rows = [(r, label) for r, label in rows if not is_total_label(label)]
    if not _mostly_units(catalog, [label for _, label in unit_rows]):
        examples = "”“".join(label for _, label in unit_rows[:3])
        shown = f"（如“{examples}”）" if examples else ""
        shown_en = f" (e.g. “{examples.replace('”“', '”, “')}”)" if examples else ""
        return None, (f"不是分单位表格：行标签不是目录中的单位{shown}",
                      f"not a table by unit: its row labels are not catalog units{shown_en}")
    value_cols = [c for c in layout.columns if c.role in VALUE_ROLES]
    if not _has_figures(grid, [r for r, _ in unit_rows], value_cols):
        return None, ("表格只有标签、没有数值", "the table has labels but no figures")
    amount, growth = _indicators(catalog, layout)
    wanted = [c for c in value_cols if (growth if c.role == "growth" else amount) is not None]
    if not wanted:
        return None, _unknown_indicator_reason(catalog, layout)

    findings = Findings(grid)
    code = _period(grid, findings, layout, context)
    units: dict[int, str] = {}
    for r, label in unit_rows:
        try:
            units[r] = catalog.resolve_unit(label)
        except LookupFailure as failure:
            findings.error(failure.key, r, layout.label_col, label, layout.label_header or "单位", **failure.params)
    if code is None or findings.has_errors:
        return SheetResult(empty_tidy(), findings.problems, "card"), None

    out_rows = [r for r, _ in unit_rows]
    frame = _frame(grid, findings, catalog, layout, amount, growth, value_cols, out_rows, units)
    _check_ranks(grid, findings, catalog, layout, amount, growth, frame, out_rows, code, units)
    for col in layout.columns:
        if col.role in ("ignored", "completion"):
            findings.note("ignored_column", layout.sub_row, col.col, col.header)
        elif col.role == "ignored_single":
            findings.note("single_period_ignored", layout.sub_row, col.col, col.header)
    for col, text in layout.outside:
        findings.note("ignored_column", layout.period_row, col, text)
    if frame.empty:
        return SheetResult(empty_tidy(), findings.problems, "card"), None
    frame["period"] = code
    frame.insert(1, "date", pd.Timestamp(periods.end_date(code)))
    frame["date"] = frame["date"].astype("datetime64[us]")
    frame["source_file"] = grid.file
    frame["sheet"] = grid.sheet
    frame["col_unit"] = column_letter(layout.label_col)
    return SheetResult(frame, findings.problems, "card"), None


def _mostly_units(catalog: Catalog, labels: list[str]) -> bool:
    """A table by unit: more than half of its row labels name catalog units."""
    if not labels:
        return False
    hits = 0
    for label in labels:
        try:
            catalog.resolve_unit(label)
            hits += 1
        except LookupFailure as failure:
            hits += failure.key == "ambiguous_unit"
    return hits * 2 > len(labels)


def _has_figures(grid: Grid, rows: list[int], columns: list[CardColumn]) -> bool:
    for col in columns:
        parsed = parse_column([_at(grid, r, col.col) for r in rows])
        if (~np.isnan(parsed.values)).any() or parsed.bad:
            return True
    return False


def _indicators(catalog: Catalog, layout: CardLayout) -> tuple[str | None, str | None]:
    """The titled indicator and its 增速 indicator (title + 增速), as the catalog knows them."""
    amount = catalog.find_indicator(layout.title)
    growth = catalog.growth_indicator(amount) if amount else None
    growth = growth or catalog.find_indicator(f"{layout.title}增速")
    if growth is None and amount is not None and not layout.role_columns("actual"):
        info = catalog.indicator(amount)
        if info.kind == "rate" and info.measure in ("%", "pp"):
            growth, amount = amount, None    # the title itself names a growth rate (规模工业增加值 -> %)
    return amount, growth


def _unknown_indicator_reason(catalog: Catalog, layout: CardLayout) -> Reason:
    names = catalog.indicators["name"].tolist()
    wanted = [layout.title] if layout.role_columns("actual") or layout.role_columns("target") else []
    if layout.role_columns("growth"):
        wanted.append(f"{layout.title}增速")
    found: list[str] = []
    for label in wanted:
        for name in closest(label, names):
            if name not in found:
                found.append(name)
    asked_zh = "或".join(f"“{w}”" for w in wanted)
    asked_en = " or ".join(f"“{w}”" for w in wanted)
    if found:
        return (f"目录中没有指标{asked_zh}；最接近的目录指标：{'、'.join(found[:3])}（如为同一指标，请在目录中添加别名）",
                f"the catalog has no indicator {asked_en}; closest catalog indicators: {', '.join(found[:3])} "
                "(add an alias in the catalog if one of them is meant)")
    return (f"目录中没有指标{asked_zh}，也没有相近的名称（如需导入，请在目录中添加该指标）",
            f"the catalog has no indicator {asked_en} nor any close name (add it to the catalog to import it)")


def _period(grid: Grid, findings: Findings, layout: CardLayout, context: WorkbookContext) -> str | None:
    r, c = layout.period_row, layout.period_col
    text = layout.period_text
    try:
        code = periods.parse_period(text, context.year)
    except periods.PeriodError as err:
        if context.year is None and "年份" in err.reason_zh:
            findings.error("card_no_year", r, c, text)
        else:
            findings.error("bad_period", r, c, text, None, reason=(err.reason_zh, err.reason_en))
        return None
    if context.main_date is not None and periods.end_date(code) != context.main_date:
        findings.note("card_period_differs", r, c, text, period=code, main=context.main_period)
    return code


def _frame(grid: Grid, findings: Findings, catalog: Catalog, layout: CardLayout, amount: str | None,
           growth: str | None, columns: list[CardColumn], rows: list[int], units: dict[int, str]) -> pd.DataFrame:
    """One row per unit and indicator (the titled one, its 增速), with the cells' letters for messages."""
    base = pd.DataFrame({"unit_code": [units[r] for r in rows], "row": np.asarray(rows, dtype=np.int64) + 1})
    parts: dict[str, pd.DataFrame] = {}
    seen: set[str] = set()
    for col in columns:
        indicator = growth if col.role == "growth" else amount
        if indicator is None:
            findings.note("card_column_not_in_catalog", layout.sub_row, col.col, col.header,
                          indicator=f"{layout.title}增速" if col.role == "growth" else layout.title)
            continue
        field_name = "actual" if col.role == "growth" else col.role
        if (indicator, field_name) in seen:
            findings.note("ignored_column", layout.sub_row, col.col, col.header)
            continue
        seen.add((indicator, field_name))
        source = col.measure or (layout.title_measure if col.role != "growth" else None)
        measured = measured_values(grid, findings, catalog, indicator, col.col, col.header, source, rows,
                                   layout.sub_row, col.role)
        if measured is None:
            continue
        part = parts.get(indicator)
        if part is None:
            part = parts[indicator] = base.assign(
                indicator_code=indicator, target=np.nan, milestone=np.nan, actual=np.nan,
                col_indicator=column_letter(col.col), col_target=None, col_milestone=None, col_actual=None,
                note=pd.Series([None] * len(rows), dtype=object))
        part[field_name] = measured.values
        part[f"col_{field_name}"] = column_letter(col.col)
        if measured.words:
            part["note"] = part["note"].where(part["note"].notna(), word_notes(measured.words, len(rows)))
    if not parts:
        return pd.DataFrame()
    frame = pd.concat(parts.values(), ignore_index=True)
    keep = frame[["target", "milestone", "actual"]].notna().any(axis=1) | frame["note"].notna()
    return frame[keep].reset_index(drop=True)


def _check_ranks(grid: Grid, findings: Findings, catalog: Catalog, layout: CardLayout, amount: str | None,
                 growth: str | None, frame: pd.DataFrame, rows: list[int], code: str, units: dict[int, str]) -> None:
    """Recompute the card's 排名 among the sheet's units (1224, keys rounded to 4 decimals) from the
    增速 beside it, else from the titled indicator's ranking key; each disagreement is a warning."""
    rank_cols = layout.role_columns("rank")
    if not rank_cols:
        return
    rank_col = rank_cols[0]
    basis = _rank_basis(grid, catalog, layout, amount, growth, frame, rows, code)
    if basis is None:
        findings.note("card_rank_not_checked", layout.sub_row, rank_col.col, rank_col.header)
        return
    keys, descending, basis_col = basis
    ranks = sheet_ranks(keys, descending)
    cells = [_at(grid, r, rank_col.col) for r in rows]
    parsed = parse_column(cells)
    unreadable = skip_unreadable_checks(findings, parsed, rows, rank_col.col, cells, rank_col.header)
    ruler = (growth or amount) if basis_col.role == "growth" else amount
    indicator = catalog.indicator(ruler).name if ruler else layout.title
    for i, (card_rank, rank) in enumerate(zip(parsed.values, ranks, strict=True)):
        if i in unreadable or np.isnan(card_rank):
            continue                             # a blank rank is not published, nothing to disagree with
        if np.isnan(rank) or int(card_rank) != int(rank):
            findings.warning("card_rank_differs", rows[i], rank_col.col, cells[i], rank_col.header,
                             sheet_value="—" if np.isnan(card_rank) else f"{card_rank:g}",
                             computed="—" if np.isnan(rank) else f"{int(rank)}",
                             basis=column_letter(basis_col.col), basis_header=basis_col.header,
                             unit=catalog.unit(units[rows[i]]).name, indicator=indicator)


def _rank_basis(grid: Grid, catalog: Catalog, layout: CardLayout, amount: str | None, growth: str | None,
                frame: pd.DataFrame, rows: list[int], code: str) -> tuple[np.ndarray, bool, CardColumn] | None:
    growth_cols = layout.role_columns("growth")
    if growth_cols:
        col = growth_cols[0]
        keys = parse_column([_at(grid, r, col.col) for r in rows]).values
        ruler = growth or amount
        descending = catalog.indicator(ruler).direction != "lower" if ruler else True
        return keys, descending, col
    actual_cols = layout.role_columns("actual")
    if amount is None or not actual_cols:
        return None
    info = catalog.indicator(amount)
    if frame.empty:
        return None
    own = (frame[frame["indicator_code"] == amount].set_index("row")
           .reindex([r + 1 for r in rows])[["actual", "target", "milestone"]])
    if info.kind == "amount" and own["target"].isna().all():
        return None                            # an amount ranks on completion: a card has no targets
    keys, descending = ranking_key(info, own, code)
    return keys, descending, actual_cols[0]
