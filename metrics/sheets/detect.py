"""Which reader a sheet needs, decided from its header; sheets no reader knows are skipped and listed."""

from __future__ import annotations

from metrics.catalog import Catalog
from metrics.sheets import long, wide
from metrics.sheets.common import SheetResult
from metrics.sheets.workbook import Grid

Skipped = tuple[str, tuple[str, str]]


def read_sheets(grids: list[Grid], catalog: Catalog, *, period: str | None = None,
                ) -> tuple[list[SheetResult], list[Skipped]]:
    """Read every visible sheet a reader recognises; list the others with the reason."""
    results: list[SheetResult] = []
    skipped: list[Skipped] = []
    for grid in grids:
        if not grid.visible:
            skipped.append((grid.sheet, ("隐藏工作表", "hidden sheet")))
            continue
        header = long.find_long_header(grid)
        if header is not None:
            results.append(long.read_long(grid, catalog, period=period, header=header))
            continue
        layout = wide.find_layout(grid, catalog)
        if layout is not None:
            results.append(wide.read_wide(grid, catalog, layout, period=period))
            continue
        skipped.append((grid.sheet, ("未找到可识别的表头（期间/单位/指标，或报表的指标表头）",
                                     "no recognisable header (period/unit/indicator, or a report's indicator header)")))
    return results, skipped
