"""One sheet as raw values: the grid every sheet reader works on, and the error that refuses a file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property


class WorkbookError(Exception):
    """The file cannot be read as a workbook: unreadable, wrong format, undecodable text."""

    def __init__(self, file: str, message_zh: str, message_en: str) -> None:
        super().__init__(f"{file}: {message_en}")
        self.file = file
        self.message_zh = message_zh
        self.message_en = message_en

    def message(self, lang: str = "zh") -> str:
        """The message with the file name, in ``zh`` (default) or ``en``."""
        return f"{self.file}：{self.message_zh}" if lang == "zh" else f"{self.file}: {self.message_en}"


@dataclass(repr=False)
class Grid:
    """One sheet as a rectangle of raw values; ``rows[r][c]`` is Excel cell ``location(r, c)``."""

    file: str
    sheet: str
    rows: list[list[object]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: frozenset[int] = frozenset()
    hidden_cols: frozenset[int] = frozenset()
    percent_cells: frozenset[tuple[int, int]] = frozenset()
    visible: bool = True
    #: cells far beyond the table, cut out before reading (a stray cell at XFD1048576): (row, col, text)
    stray_cells: list[tuple[int, int, str]] = field(default_factory=list)

    def __repr__(self) -> str:  # sizes, not 50k rows of values
        return (f"Grid(file={self.file!r}, sheet={self.sheet!r}, {self.n_rows}x{self.n_cols}, "
                f"merged={len(self.merged)}, hidden_rows={len(self.hidden_rows)}, "
                f"hidden_cols={len(self.hidden_cols)}, percent_cells={len(self.percent_cells)}, "
                f"visible={self.visible})")

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    @cached_property
    def _merge_origin(self) -> dict[tuple[int, int], tuple[int, int]]:
        """Covered cell -> top-left cell of its merged range (built on first use)."""
        origin: dict[tuple[int, int], tuple[int, int]] = {}
        for r0, c0, r1, c1 in self.merged:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    origin[r, c] = (r0, c0)
        return origin

    def cell(self, r: int, c: int) -> object:
        """The value at (r, c), or the top-left value of the merged range covering it; None outside."""
        if self.merged:
            r, c = self._merge_origin.get((r, c), (r, c))
        if 0 <= r < len(self.rows):
            row = self.rows[r]
            if 0 <= c < len(row):
                return row[c]
        return None

    def location(self, r: int, c: int) -> str:
        """Excel notation for a 0-based cell: (11, 2) -> "C12"."""
        return f"{column_letter(c)}{r + 1}"

    def is_percent(self, r: int, c: int) -> bool:
        """True when the numeric cell is shown with a percent format (0.075 shown as 7.5%)."""
        return (r, c) in self.percent_cells

    def head(self, n: int) -> list[list[object]]:
        """The first n rows: enough to find a header without touching the rest of a big sheet."""
        return self.rows[:n]

    def body_columns(self, first_row: int, columns: Iterable[int]) -> dict[int, list[object]]:
        """Values of some columns from ``first_row`` down, column by column (long-template readers)."""
        body = self.rows[first_row:]
        by_column = list(zip(*body, strict=True)) if body else []
        return {c: list(by_column[c]) if c < len(by_column) else [None] * len(body) for c in columns}


class ColumnarGrid(Grid):
    """A big sheet read column-wise by fastexcel (Arrow); Python rows are built only if asked for.

    Long templates of 50k rows spend most of their read turning cells into Python objects; read as
    Arrow columns they cost about half. Cell values are text as Excel displays the stored value
    ("20.51", "2021-06-30 00:00:00"); every reader parses text anyway.
    """

    def __init__(self, file: str, sheet: str, table: object, col_index: list[int], n_cols: int,
                 merged: list[tuple[int, int, int, int]], visible: bool,
                 special: dict[tuple[int, int], object] | None = None) -> None:
        self.file, self.sheet, self.merged, self.visible = file, sheet, merged, visible
        self.hidden_rows = self.hidden_cols = frozenset()
        self.percent_cells = frozenset()
        self.stray_cells = []
        self.special = special or {}   # error cells and formulas without a result, over the Arrow text
        self._table = table
        self._col_index = col_index
        self._n_rows = table.num_rows
        self._n_cols = n_cols

    @property
    def n_rows(self) -> int:
        return self._n_rows

    @property
    def n_cols(self) -> int:
        return self._n_cols

    def _column(self, c: int, first_row: int = 0, n: int | None = None) -> list[object]:
        if c not in self._col_index:
            length = max(0, (self._n_rows if n is None else min(n, self._n_rows)) - first_row)
            return [None] * length
        array = self._table.column(self._col_index.index(c))
        values = array.slice(first_row, None if n is None else max(0, n - first_row)).to_pylist()
        for (r, cc), value in self.special.items():
            if cc == c and 0 <= r - first_row < len(values):
                values[r - first_row] = value
        return values

    def head(self, n: int) -> list[list[object]]:
        columns = [self._column(c, 0, n) for c in range(self._n_cols)]
        return [list(row) for row in zip(*columns, strict=True)] if columns else []

    def body_columns(self, first_row: int, columns: Iterable[int]) -> dict[int, list[object]]:
        return {c: self._column(c, first_row) for c in columns}

    @cached_property
    def rows(self) -> list[list[object]]:  # type: ignore[override]
        return self.head(self._n_rows)


def column_letter(c: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA" (bijective base 26)."""
    if c < 0:
        raise ValueError(f"negative column index {c}")
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """"A" -> 0, "AA" -> 26 (inverse of column_letter; case-insensitive)."""
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"not a column: {letters!r}")
        n = n * 26 + ord(ch) - 64
    if not n:
        raise ValueError("empty column")
    return n - 1
