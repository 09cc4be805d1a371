"""The wide report offices circulate: a title naming the period, a two-row header (indicator names
merged over sub-columns 目标 | 完成 | 完成率 | 排名 …), one row per unit, total rows and footnotes.

The sheet's own 完成率 and 排名 are not trusted: they are recomputed and a disagreement is a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from metrics import periods
from metrics.catalog import Catalog, LookupFailure
from metrics.matching import closest, hint
from metrics.measures import split_annotated, split_measure
from metrics.ranking import round_half_up, sheet_ranks
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
from metrics.sheets.titles import (
    period_cell,
    table_period,
)
from metrics.sheets.workbook import Grid, column_letter
from metrics.text import match_key

SUB_COLUMNS: dict[str, tuple[str, ...]] = {
    "target": ("目标", "目标值", "年度目标", "全年目标", "年目标"),
    "milestone": ("节点目标", "序时目标"),
    "actual": ("完成", "完成值", "累计", "实际", "实际完成", "累计完成", "绝对额", "绝对值", "总量", "指标值", "本年累计",
               "累计值", "年初至今", "数值"),
    "single": ("本期", "本月", "当月", "当期", "本季", "当季", "本季度"),
    "growth": ("增速", "增减", "增长", "同比", "同比增长", "比上年增长", "比上年同期增长", "增幅", "增长率", "比上年",
               "比上年同期", "比上年±", "同比增减", "增减率"),
    "completion": ("完成率", "完成进度"),
    "rank": ("排名", "位次", "排位"),
}
_SUB = {match_key(w): kind for kind, words in SUB_COLUMNS.items() for w in words}
IGNORED_SUBS = {match_key(w) for w in ("备注", "说明", "序号")}
UNIT_HEADERS = {match_key(w) for w in ("单位", "单位名称", "地区", "县市区", "县(市、区)", "县市区名称", "名称", "区域")}
FOOTNOTE = re.compile(r"^\s*(注|备注|说明|数据来源|资料来源|来源|填报|制表|审核)")
HEADERS_ZH = {"target": "目标", "milestone": "节点目标", "actual": "完成", "growth": "增速", "completion": "完成率",
              "rank": "排名"}


@dataclass
class Column:
    """One sub-column of an indicator block."""

    col: int
    role: str                    # target | milestone | actual | growth | completion | rank | ignored
    header: str
    measure: str | None


@dataclass
class Block:
    """The sub-columns under one indicator header."""

    label: str                   # the indicator as written (without its measure)
    measure: str | None          # measure written in the indicator header
    first_col: int
    columns: list[Column] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # （季度） and such, kept as the figures' note


@dataclass
class Layout:
    header_row: int              # the sub-header row
    unit_col: int
    blocks: list[Block]
    period_text: object | None   # the cell that names the period (title or merged header)
    period_cell: tuple[int, int] | None
    end_row: int | None = None   # first row after the table (the next stacked table's title), None: sheet end
    top_row: int = 0             # first row of the table's title area


def _sub_role(value: object) -> str | None:
    key = header_key(value)
    if key in _SUB:
        return _SUB[key]
    return "ignored" if key in IGNORED_SUBS else None


def _layout_at(grid: Grid, catalog: Catalog, r: int) -> Layout | None:
    """The table whose sub-header row (two or more of 目标/完成/完成率/排名/绝对额/增速) is row r."""
    subs = [c for c, v in enumerate(grid.rows[r])
            if c not in grid.hidden_cols and v is not None and _sub_role(v) not in (None, "ignored")]
    if not subs:
        return None
    unit_col = _unit_column(grid, catalog, r, min(subs))
    if unit_col is None:
        return None
    blocks = _blocks(grid, r, unit_col)
    if not blocks:
        return None
    if len(subs) < 2 and not any(catalog.find_indicator(b.label) for b in blocks):
        return None      # one sub-header alone is a table only under an indicator the catalog knows
    return Layout(r, unit_col, blocks, None, None)


def find_layout(grid: Grid, catalog: Catalog, search_rows: int = 12) -> Layout | None:
    """The first table of a sheet (see find_layouts), looked for in its first rows."""
    for r in range(1, min(search_rows, len(grid.rows))):
        layout = _layout_at(grid, catalog, r)
        if layout is not None:
            layout.period_text, layout.period_cell = period_cell(grid, r)
            return layout
    return None


def find_layouts(grid: Grid, catalog: Catalog, search_rows: int = 12, max_rows: int = 5000) -> list[Layout]:
    """Every table of a sheet: several may be stacked one under another, each with its own title row
    (naming its period, often （一）/（二）), its own two-row header, blank rows between them."""
    first = find_layout(grid, catalog, search_rows)
    if first is None:
        return []
    layouts = [first]
    r = first.header_row + 2
    while r < min(len(grid.rows), max_rows):
        layout = _layout_at(grid, catalog, r) if r not in grid.hidden_rows else None
        if layout is None:
            r += 1
            continue
        top = _title_area_start(grid, catalog, layout, layouts[-1].header_row)
        layouts[-1].end_row = top
        layout.top_row = top
        layout.period_text, layout.period_cell = period_cell(grid, r, top)
        if layout.period_text is None:           # no title period of its own: the nearest one above
            layout.period_text, layout.period_cell = period_cell(grid, r)
        layouts.append(layout)
        r += 2
    return layouts


def _title_area_start(grid: Grid, catalog: Catalog, layout: Layout, previous_header: int) -> int:
    """The first row of a stacked table's title and header (rows above its header that are neither
    blank nor a unit row of the table before)."""
    top = layout.header_row - 1
    while top - 1 > previous_header:
        row = grid.rows[top - 1]
        if all(v is None for v in row):
            break
        label = row[layout.unit_col] if layout.unit_col < len(row) else None
        if label is not None and (catalog.find_unit(label) is not None or is_total_label(label)):
            break
        top -= 1
    return top


def _unit_column(grid: Grid, catalog: Catalog, header_row: int, first_sub: int) -> int | None:
    """The column left of the figures whose labels are mostly catalog units."""
    best, best_hits = None, 0
    for c in range(first_sub):
        if c in grid.hidden_cols:
            continue
        labels = [grid.rows[r][c] for r in range(header_row + 1, min(len(grid.rows), header_row + 60))]
        hits = sum(1 for v in labels if v is not None and catalog.find_unit(v) is not None)
        named = header_key(grid.cell(header_row - 1, c)) in UNIT_HEADERS or header_key(grid.cell(header_row, c)) in UNIT_HEADERS
        if hits > best_hits or (hits == best_hits and hits and named):
            best, best_hits = c, hits
    return best


def _blocks(grid: Grid, header_row: int, unit_col: int) -> list[Block]:
    blocks: list[Block] = []
    width = max((len(row) for row in grid.rows), default=0)
    for c in range(unit_col + 1, width):
        if c in grid.hidden_cols:
            continue
        top = grid.cell(header_row - 1, c)
        sub = grid.rows[header_row][c] if c < len(grid.rows[header_row]) else None
        top_text = cell_text(top)
        if top_text is None and sub is None:
            continue
        role = _sub_role(sub) if sub is not None else None
        if role is None and sub is None and top_text is not None:
            role = "actual"  # an indicator header merged down over both header rows: one value column
        if role is None:
            role = "ignored"
        label, measure, notes = split_annotated(top_text) if top_text else ("", None, [])
        sub_header = cell_text(sub) or top_text or ""
        sub_measure = split_measure(sub)[1] if sub is not None else None
        if not blocks or blocks[-1].label != label or _merge_start(grid, header_row - 1, c) != blocks[-1].first_col:
            blocks.append(Block(label, measure, _merge_start(grid, header_row - 1, c), notes=notes))
        blocks[-1].columns.append(Column(c, role, sub_header, sub_measure))
    for block in blocks:
        resolve_single_period(block.columns)
    return [b for b in blocks if b.label and any(not col.role.startswith("ignored") for col in b.columns)]


def resolve_single_period(columns: list) -> None:
    """本期/本月 beside a year-to-date column (累计, 1-9月) of the same table is ignored (with a note when
    read); alone it is the figure. (A figure is year-to-date: the ruling on same-date columns.)"""
    has_actual = any(col.role == "actual" for col in columns)
    for col in columns:
        if col.role == "single":
            col.role = "ignored_single" if has_actual else "actual"


def _merge_start(grid: Grid, r: int, c: int) -> int:
    for r0, c0, r1, c1 in grid.merged:
        if r0 <= r <= r1 and c0 <= c <= c1:
            return c0
    return c


def read_wide(grid: Grid, catalog: Catalog, layouts: Layout | list[Layout], *, period: str | None = None,
              year: int | None = None) -> SheetResult:
    """Tidy rows of a wide report sheet (every stacked table of it), with located problems and 完成率/排名
    cross-checks. ``year``: the workbook's year, for a period the sheet names without one (1-9月).
    A sheet whose tables hold labels but no figure (an empty template) is skipped with that reason."""
    findings = Findings(grid)
    frames: list[pd.DataFrame] = []
    any_figure = False
    for layout in layouts if isinstance(layouts, list) else [layouts]:
        frame, had_figure = _read_table(grid, findings, catalog, layout, period, year)
        any_figure |= had_figure
        if frame is not None:
            frames.append(frame)
    if not any_figure and not findings.has_errors:
        return SheetResult(empty_tidy(), findings.problems, "wide", skip_reason=EMPTY_TEMPLATE)
    if not frames:
        return SheetResult(empty_tidy(), findings.problems, "wide")
    return SheetResult(pd.concat(frames, ignore_index=True), findings.problems, "wide")


EMPTY_TEMPLATE = ("表格只有标签、没有数值（空白模板）", "the table has labels but no figures (an empty template)")


def _read_table(grid: Grid, findings: Findings, catalog: Catalog, layout: Layout, period: str | None,
                year: int | None) -> tuple[pd.DataFrame | None, bool]:
    """One table of the sheet: (its tidy rows or None, whether any figure cell holds something)."""
    rows = _data_rows(grid, findings, layout)
    if not _has_figures(grid, layout, rows):
        return None, False
    code = table_period(grid, findings, layout, period, year)
    if code is None:
        return None, True
    units: dict[int, str] = {}
    for r in rows:
        label = cell_text(grid.rows[r][layout.unit_col])
        try:
            units[r] = catalog.resolve_unit(label)
        except LookupFailure as failure:
            findings.error(failure.key, r, layout.unit_col, label, "单位", **failure.params)
    frames = [_block_frame(grid, findings, catalog, layout, block, rows, units, code) for block in layout.blocks]
    frames = [f for f in frames if f is not None and not f.empty]
    if not frames:
        return None, True
    frame = pd.concat(frames, ignore_index=True)
    frame = (frame.groupby(["unit_code", "indicator_code"], as_index=False, sort=False)
             .agg(_combine_fields))
    frame["period"] = code
    frame["note"] = frame["note"].astype(object).where(frame["note"].notna(), None)
    frame.insert(1, "date", pd.Timestamp(periods.end_date(code)))
    frame["date"] = frame["date"].astype("datetime64[us]")
    frame["source_file"] = grid.file
    frame["sheet"] = grid.sheet
    frame["col_unit"] = column_letter(layout.unit_col)
    return frame, True


def _has_figures(grid: Grid, layout: Layout, rows: list[int]) -> bool:
    """Whether any figure cell of the table holds something (an empty template holds nothing)."""
    cols = [col.col for block in layout.blocks for col in block.columns
            if col.role in ("target", "milestone", "actual", "growth")]
    for r in rows:
        row = grid.rows[r]
        if any(c < len(row) and row[c] is not None and str(row[c]).strip() not in ("", "-", "—", "/")
               for c in cols):
            return True
    return False


def _combine_fields(series: pd.Series) -> object:
    """A growth column and its indicator's own block may fill different fields of one row."""
    present = series.dropna()
    return present.iloc[0] if len(present) else np.nan


def _data_rows(grid: Grid, findings: Findings, layout: Layout) -> list[int]:
    rows = []
    for r in range(layout.header_row + 1, layout.end_row if layout.end_row is not None else len(grid.rows)):
        if r in grid.hidden_rows:
            continue
        label = cell_text(grid.rows[r][layout.unit_col])
        first = cell_text(next((v for v in grid.rows[r] if v is not None), None))
        if first and FOOTNOTE.match(first):
            break
        if label is None:
            continue
        if is_total_label(label):
            findings.note("total_row_skipped", r, layout.unit_col, label)
            continue
        rows.append(r)
    return rows


def _block_frame(grid: Grid, findings: Findings, catalog: Catalog, layout: Layout, block: Block,
                 rows: list[int], units: dict[int, str], code: str) -> pd.DataFrame | None:
    hr = layout.header_row
    try:
        indicator = catalog.resolve_indicator(block.label)
    except LookupFailure:
        names = closest(block.label, catalog.indicators["name"].tolist())
        findings.error("unknown_indicator", hr - 1, block.first_col, block.label, None, hint=hint(names))
        return None
    growth = catalog.growth_indicator(indicator)
    out_rows = [r for r in rows if r in units]
    if not out_rows:
        return None
    frame = pd.DataFrame({"unit_code": [units[r] for r in out_rows], "row": np.asarray(out_rows) + 1})
    parts = [frame.assign(indicator_code=indicator, target=np.nan, milestone=np.nan, actual=np.nan,
                          col_indicator=column_letter(block.first_col), col_target=None, col_milestone=None,
                          col_actual=None, note=pd.Series([None] * len(out_rows), dtype=object))]
    checks: dict[str, Column] = {}
    for column in block.columns:
        if column.role == "ignored":
            findings.note("ignored_column", hr, column.col, column.header)
            continue
        if column.role == "ignored_single":
            findings.note("single_period_ignored", hr, column.col, column.header)
            continue
        if column.role in ("completion", "rank"):
            checks[column.role] = column
            continue
        if column.role == "growth" and growth is None:
            info = catalog.indicator(indicator)
            if info.kind == "rate" and not any(c.role == "actual" for c in block.columns):
                column.role = "actual"   # 增速 under 地区生产总值增速: the block's own rate indicator
            else:
                findings.note("growth_not_in_catalog", hr, column.col, f"{info.name}增速")
                continue
        target_code = growth if column.role == "growth" else indicator
        source = column.measure or (block.measure if column.role != "growth" else None)
        measured = measured_values(grid, findings, catalog, target_code, column.col, column.header, source, out_rows,
                                   hr, column.role)
        if measured is None:
            continue
        notes = word_notes(measured.words, len(out_rows))
        if column.role == "growth":
            parts.append(frame.assign(indicator_code=growth, target=np.nan, milestone=np.nan, actual=measured.values,
                                      col_indicator=column_letter(column.col), col_target=None, col_milestone=None,
                                      col_actual=column_letter(column.col), note=notes))
        else:
            parts[0][column.role] = measured.values
            parts[0][f"col_{column.role}"] = column_letter(column.col)
            if measured.words:
                parts[0]["note"] = parts[0]["note"].where(parts[0]["note"].notna(), notes)
    _cross_check(grid, findings, catalog, indicator, growth, checks, parts, out_rows, code)
    if block.notes:
        note = "；".join(block.notes)
        findings.note("header_note_kept", hr - 1, block.first_col, note)
        parts[0]["note"] = parts[0]["note"].where(parts[0]["note"].notna(), note)
    return pd.concat(parts, ignore_index=True)


def _cross_check(grid: Grid, findings: Findings, catalog: Catalog, indicator: str, growth: str | None,
                 checks: dict[str, Column], parts: list[pd.DataFrame], rows: list[int], code: str) -> None:
    """Recompute the sheet's 完成率 and 排名; a disagreement is a warning naming the cell."""
    own = parts[0]
    info = catalog.indicator(indicator)
    if "completion" in checks:
        column = checks["completion"]
        cells = [grid.rows[r][column.col] for r in rows]
        parsed = parse_column(cells, [(r, column.col) in grid.percent_cells for r in rows] if grid.percent_cells else None)
        skip_unreadable_checks(findings, parsed, rows, column.col, cells, column.header)
        with np.errstate(divide="ignore", invalid="ignore"):
            computed = own["actual"].to_numpy() / own["target"].to_numpy() * 100
        for i, (sheet_value, value) in enumerate(zip(parsed.values, computed, strict=True)):
            if np.isnan(sheet_value) or not np.isfinite(value):
                continue
            if abs(sheet_value - value) > 0.1 + 1e-9:
                findings.warning("completion_differs", rows[i], column.col, cells[i], column.header,
                                 sheet_value=f"{sheet_value:g}%", computed=f"{float(round_half_up(value, 2)):g}%")
    if "rank" in checks:
        column = checks["rank"]
        ruler = indicator
        if growth is not None and len(parts) > 1:
            keys = parts[1]["actual"].to_numpy(dtype=float)
            descending = catalog.indicator(growth).direction == "higher"
            ruler = growth
        else:
            keys, descending = ranking_key(info, own, code)
        ranks = sheet_ranks(keys, descending)
        cells = [grid.rows[r][column.col] for r in rows]
        parsed = parse_column(cells)
        unreadable = skip_unreadable_checks(findings, parsed, rows, column.col, cells, column.header)
        units = own["unit_code"].tolist()
        for i, (sheet_rank, rank) in enumerate(zip(parsed.values, ranks, strict=True)):
            if i in unreadable or (np.isnan(sheet_rank) and np.isnan(rank)):
                continue
            if np.isnan(sheet_rank) or np.isnan(rank) or int(sheet_rank) != int(rank):
                findings.warning("rank_differs", rows[i], column.col, cells[i], column.header,
                                 sheet_value="—" if np.isnan(sheet_rank) else f"{sheet_rank:g}",
                                 computed="—" if np.isnan(rank) else f"{int(rank)}",
                                 unit=catalog.unit(units[i]).name, indicator=catalog.indicator(ruler).name)


def ranking_key(info, frame: pd.DataFrame, code: str) -> tuple[np.ndarray, bool]:
    """The domain's ranking key among the sheet's units (see docs/metrics.md, 排名)."""
    actual = frame["actual"].to_numpy(dtype=float)
    if info.kind == "rate":
        return actual, info.direction == "higher"
    target = frame["target"].to_numpy(dtype=float)
    milestone = frame["milestone"].to_numpy(dtype=float)
    e = periods.expected_progress(periods.end_date(code))
    expected = np.where(milestone > 0, milestone, target * e)
    with np.errstate(divide="ignore", invalid="ignore"):
        if info.direction == "higher":
            key = np.where(target > 0, actual / target, np.nan)
        else:
            key = np.where(actual == 0, 1.2, np.where(target == 0, 0.0, expected / actual))
            key = np.where(np.isnan(target), np.nan, key)
    return key, True
