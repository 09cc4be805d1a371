"""Which reader a sheet needs, decided from its header; sheets no reader takes are skipped and listed.

Order matters: the long template first (its header is unmistakable), then the bureau's card (a header
cell that is a period over 绝对额/增速/排名: on a wide report that row names indicators instead), then
the wide report. A card's periods may omit the year, so the whole workbook is looked at first.
"""

from __future__ import annotations

from collections import Counter

from metrics.catalog import Catalog
from metrics.sheets import across, card, long, titles, wide
from metrics.sheets.common import SheetResult, stray_problems
from metrics.sheets.workbook import Grid

Skipped = tuple[str, tuple[str, str]]

NO_HEADER = ("未找到可识别的表头（期间/单位/指标，或按单位排列的报表表头），不是数据表",
             "no recognisable header (period/unit/indicator, or a table by unit), not a data table")
NO_UNIT_ROWS = ("不是分单位表格：没有一行是目录中的单位", "not a table by unit: no row names a catalog unit")
CONTENTS = ("目录页，不是数据表", "contents page, not a data table")
#: reasons that say nothing beyond "not a sheet we read": a file with only these is "unrecognised"
UNINFORMATIVE = (NO_HEADER, NO_UNIT_ROWS)


def read_sheets(grids: list[Grid], catalog: Catalog, *, period: str | None = None,
                ) -> tuple[list[SheetResult], list[Skipped]]:
    """Read every visible sheet a reader recognises; list the others with the reason."""
    results: list[SheetResult] = []
    skipped: list[Skipped] = []
    longs = {id(g): long.find_long_header(g) for g in grids if g.visible}
    cards = {id(g): card.find_card(g) for g in grids if g.visible and longs.get(id(g)) is None}
    context = card.workbook_context([layout for g in grids if g.visible and (layout := cards.get(id(g)))], period)
    year = context.year or workbook_year(grids)
    for grid in grids:
        if not grid.visible:
            skipped.append((grid.sheet, card.skip_reason_hidden(grid)))
            continue
        header = longs.get(id(grid))
        if header is not None:
            result = long.read_long(grid, catalog, period=period, header=header)
            result.problems.extend(stray_problems(grid, set(header[1].values())))
            results.append(result)
            continue
        layout = cards.get(id(grid))
        if layout is not None:
            result, reason = card.read_card(grid, catalog, layout, context)
            if result is not None:
                result.problems.extend(stray_problems(grid, set()))
                results.append(result)
            else:
                skipped.append((grid.sheet, reason or NO_HEADER))
            continue
        found = wide.find_layouts(grid, catalog)
        if found:
            result = wide.read_wide(grid, catalog, found, period=period, year=year)
            if result.skip_reason is not None:
                skipped.append((grid.sheet, result.skip_reason))
                continue
            result.problems.extend(stray_problems(grid, set()))
            results.append(result)
            continue
        table = across.find_across(grid)
        if table is not None:
            result, reason = across.read_across(grid, catalog, table)
            if result is not None:
                result.problems.extend(stray_problems(grid, set()))
                results.append(result)
            else:
                skipped.append((grid.sheet, reason))
            continue
        skipped.append((grid.sheet, _why_not_read(grid, catalog)))
    return results, skipped


def workbook_year(grids: list[Grid], rows: int = 3) -> int | None:
    """The year most sheet titles of a workbook name (for sheets named 1-9月 whose title has none)."""
    years: Counter[int] = Counter()
    for grid in grids:
        if grid.visible:
            year = titles.title_year(grid, min(rows, grid.n_rows) - 1)
            if year is not None:
                years[year] += 1
    return max(years.items(), key=lambda item: (item[1], item[0]))[0] if years else None


def _why_not_read(grid: Grid, catalog: Catalog, columns: int = 3, rows: int = 200) -> tuple[str, str]:
    """Contents, a table without any unit row (a city-wide breakdown), or an unrecognised header."""
    if card.is_contents(grid):
        return CONTENTS
    for row in grid.head(rows):
        for value in row[:columns]:
            if isinstance(value, str) and catalog.find_unit(value) is not None:
                return NO_HEADER
    return NO_UNIT_ROWS
