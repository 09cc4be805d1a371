"""The store's read path in Arrow: version files and checkpoints as view-format tables, merged with numpy.

Why: a cold read used to convert every version's Parquet file to pandas, normalise it again and
merge text columns with a pandas groupby.  Here every text column (period, codes, note, file and
sheet names) stays dictionary-encoded (integer codes into a small table of names), a version's rows
become "view format" once (per field: value, version, file, sheet, row — null where the version did
not supply the field), and the field-by-field merge is a stable sort of one integer key per row
(date, unit, indicator ranks) plus a group-wise max of row positions.  Pandas is made once, at the
end, from the merged Arrow table.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from metrics.stored import fs

KEY = ["date", "unit_code", "indicator_code"]
VALUE_FIELDS = ["target", "milestone", "actual"]
FIELDS = [*VALUE_FIELDS, "note"]
FACT_COLUMNS = ["period", "date", "unit_code", "indicator_code", *FIELDS, "source_file", "sheet", "row"]
PROVENANCE_COLUMNS = [f"{f}_{p}" for f in VALUE_FIELDS for p in ("version", "file", "sheet", "row")]
FIGURE_COLUMNS = ["period", *KEY, *FIELDS, *PROVENANCE_COLUMNS]

_DICT = pa.dictionary(pa.int32(), pa.string())
TEXT_FACT = ["period", "unit_code", "indicator_code", "note", "source_file", "sheet"]
TEXT_VIEW = ["period", "unit_code", "indicator_code", "note",
             *[f"{f}_{p}" for f in VALUE_FIELDS for p in ("file", "sheet")]]


def _view_type(name: str) -> pa.DataType:
    if name in TEXT_VIEW:
        return _DICT
    if name == "date":
        return pa.timestamp("ns")
    if name.endswith(("_version", "_row")):
        return pa.int64()
    return pa.float64()


VIEW_SCHEMA = pa.schema([pa.field(c, _view_type(c)) for c in FIGURE_COLUMNS])


def empty_view() -> pa.Table:
    return VIEW_SCHEMA.empty_table()


def _as_dict(col: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray:
    if isinstance(col, pa.Array):
        col = pa.chunked_array([col])
    if pa.types.is_dictionary(col.type):
        if col.type.index_type != pa.int32():
            col = col.cast(_DICT)
        return col
    if not pa.types.is_string(col.type):
        col = col.cast(pa.string())
    return col.dictionary_encode().cast(_DICT)


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """The table with exactly the schema's columns and types (text dictionary-encoded)."""
    arrays = []
    for field in schema:
        if field.name in table.column_names:
            col = table.column(field.name)
            if pa.types.is_dictionary(field.type):
                col = _as_dict(col)
            elif col.type != field.type:
                col = col.cast(field.type)
        else:
            col = pa.nulls(table.num_rows, field.type)
        arrays.append(col)
    return pa.table(arrays, schema=schema)


def read_parquet(path: Path, columns: list[str], filters: list | None = None) -> pa.Table:
    """A Parquet file's columns with text read straight into dictionaries (no string decoding)."""
    text = [c for c in columns if c in TEXT_VIEW or c in TEXT_FACT]
    return pq.read_table(**fs.parquet_source(path), columns=columns, read_dictionary=text, filters=filters or None)


def facts_to_view(facts: pa.Table, version: int) -> pa.Table:
    """One version's rows (FACT_COLUMNS, as committed) in view format, sorted by the key."""
    n = facts.num_rows
    cols: dict[str, pa.ChunkedArray | pa.Array] = {
        "period": _as_dict(facts.column("period")),
        "date": facts.column("date").cast(pa.timestamp("ns")),
        "unit_code": _as_dict(facts.column("unit_code")),
        "indicator_code": _as_dict(facts.column("indicator_code")),
        "note": _as_dict(facts.column("note")),
    }
    file = _as_dict(facts.column("source_file"))
    sheet = _as_dict(facts.column("sheet"))
    row = facts.column("row").cast(pa.int64())
    for f in VALUE_FIELDS:
        value = facts.column(f).cast(pa.float64())
        cols[f] = value
        has = np.asarray(value.is_valid())
        if has.all():
            cols[f"{f}_version"] = pa.array(np.full(n, version, dtype="int64"))
            cols[f"{f}_file"], cols[f"{f}_sheet"], cols[f"{f}_row"] = file, sheet, row
        else:
            idx = pa.array(np.arange(n, dtype="int64"), mask=~has)
            cols[f"{f}_version"] = pa.array(np.full(n, version, dtype="int64"), mask=~has)
            cols[f"{f}_file"], cols[f"{f}_sheet"] = file.take(idx), sheet.take(idx)
            cols[f"{f}_row"] = row.take(idx)
    table = _conform(pa.table(cols), VIEW_SCHEMA)
    return merge([table])


# -- merging ----------------------------------------------------------------------------------------


def _ranks(col: pa.ChunkedArray) -> np.ndarray:
    """Per row, the rank of its text among the column's distinct texts (the column's sort order)."""
    col = col.unify_dictionaries() if col.num_chunks > 1 else col
    if col.num_chunks == 0 or len(col) == 0:
        return np.zeros(0, dtype="int64")
    dictionary = col.chunk(0).dictionary
    order = np.asarray(pc.sort_indices(dictionary))
    rank = np.empty(len(order), dtype="int64")
    rank[order] = np.arange(len(order), dtype="int64")
    # equal texts may sit twice in a dictionary: give them one rank
    values = np.asarray(dictionary.take(pa.array(order)).to_pylist(), dtype=object)
    if len(values) > 1:
        same = np.concatenate([[False], values[1:] == values[:-1]])
        dense = np.cumsum(~same) - 1
        rank[order] = dense
    idx = np.concatenate([np.asarray(c.indices.fill_null(0)) for c in col.chunks]).astype("int64")
    return rank[idx]


def key_codes(table: pa.Table) -> np.ndarray:
    """One int64 per row ordering like (date, unit_code, indicator_code) as texts."""
    days = np.asarray(table.column("date").cast(pa.int64()).fill_null(0)) // 86_400_000_000_000
    u = _ranks(table.column("unit_code"))
    i = _ranks(table.column("indicator_code"))
    nu, ni = int(u.max(initial=0)) + 1, int(i.max(initial=0)) + 1
    d = days - days.min(initial=0)
    return (d * nu + u) * ni + i


def merge(parts: list[pa.Table]) -> pa.Table:
    """Field-by-field merge of view-format tables (oldest first): per key and field the last value
    supplied, with its provenance; the key's period from its last row.  Sorted by the key."""
    parts = [p for p in parts if p.num_rows]
    if not parts:
        return empty_view()
    table = pa.concat_tables(parts).unify_dictionaries().combine_chunks()
    n = table.num_rows
    key = key_codes(table)
    order = np.argsort(key, kind="stable")        # stable: within a key, rows stay oldest first
    ks = key[order]
    if n > 1 and (ks[1:] != ks[:-1]).all():
        if (order == np.arange(n)).all():
            return table
        return table.take(pa.array(order))
    starts = np.flatnonzero(np.concatenate([[True], ks[1:] != ks[:-1]]))
    ends = np.append(starts[1:], n) - 1
    last = order[ends]
    cols: dict[str, pa.Array] = {}
    take_last = pa.array(last)
    for c in ("period", *KEY):
        cols[c] = table.column(c).take(take_last)
    pos = np.arange(n, dtype="int64")
    for f in FIELDS:
        valid = np.asarray(table.column(f).is_valid())[order]
        best = np.maximum.reduceat(np.where(valid, pos, -1), starts)
        src = pa.array(np.where(best >= 0, order[np.maximum(best, 0)], 0), mask=best < 0)
        cols[f] = table.column(f).take(src)
        if f in VALUE_FIELDS:
            for p in ("version", "file", "sheet", "row"):
                cols[f"{f}_{p}"] = table.column(f"{f}_{p}").take(src)
    return pa.table([cols[c] for c in FIGURE_COLUMNS], schema=VIEW_SCHEMA)


def select_keys(view: pa.Table, keys: pd.DataFrame) -> pa.Table:
    """The rows of a view whose (date, unit, indicator) is among ``keys`` (a small frame)."""
    if view.num_rows == 0 or keys.empty:
        return view.slice(0, 0)
    dates = pa.array(pd.to_datetime(keys["date"]).astype("datetime64[ns]").unique(), pa.timestamp("ns"))
    mask = pc.is_in(view.column("date"), value_set=dates)
    mask = pc.and_(mask, pc.is_in(view.column("unit_code").cast(pa.string()),
                                  value_set=pa.array(keys["unit_code"].astype(str).unique(), pa.string())))
    mask = pc.and_(mask, pc.is_in(view.column("indicator_code").cast(pa.string()),
                                  value_set=pa.array(keys["indicator_code"].astype(str).unique(), pa.string())))
    return view.filter(mask)


def key_filters(keys: pd.DataFrame) -> list:
    """Parquet filters for the rows whose date, unit and indicator are among ``keys`` (row groups
    whose statistics exclude them are not read)."""
    dates = sorted(pd.to_datetime(keys["date"]).astype("datetime64[ns]").unique())
    return [("date", "in", [pd.Timestamp(d) for d in dates]),
            ("unit_code", "in", sorted(keys["unit_code"].astype(str).unique())),
            ("indicator_code", "in", sorted(keys["indicator_code"].astype(str).unique()))]


# -- to pandas --------------------------------------------------------------------------------------


def _int_mapper(t: pa.DataType):
    return pd.Int64Dtype() if t == pa.int64() else None


def to_pandas(view: pa.Table, codes: bool = False) -> pd.DataFrame:
    """The view as the store's pandas frame: text as ``str`` (or, with ``codes``, as categoricals that
    share the Arrow dictionaries: the engine takes their integer codes), versions and rows Int64."""
    if not codes:
        arrays = [view.column(c).cast(pa.large_string()) if pa.types.is_dictionary(view.column(c).type) else view.column(c)
                  for c in view.column_names]
        view = pa.table(arrays, names=view.column_names)
    frame = view.to_pandas(types_mapper=_int_mapper, self_destruct=False)
    if codes:
        for c in TEXT_VIEW:
            if c in frame and frame[c].dtype == "category":
                cats = frame[c].cat.categories
                if cats.dtype != "str":
                    frame[c] = frame[c].cat.rename_categories(cats.astype("str"))
    return frame


def _fact_type(name: str) -> pa.DataType:
    if name in TEXT_FACT:
        return pa.string()
    if name == "date":
        return pa.timestamp("ns")
    if name == "row":
        return pa.int64()
    return pa.float64()


FACT_SCHEMA = pa.schema([pa.field(c, _fact_type(c)) for c in FACT_COLUMNS])


# -- a small tail onto a big merged view ------------------------------------------------------------

#: above this many splice points a tail is merged the ordinary way (a full sort of view and tail)
MAX_SPLICES = 20_000
#: above this many pieces the spliced table is made contiguous (one copy) before it is handed on
MAX_PIECES = 256


def _global_ranks(columns: list[pa.ChunkedArray]) -> list[np.ndarray]:
    """Per column, per row, the rank of its text among the texts of all the columns together (so keys
    built from different tables compare like the texts)."""
    values = []
    for col in columns:
        for chunk in col.chunks:
            values.append(np.asarray(chunk.dictionary.to_pylist(), dtype=object))
    universe = np.unique(np.concatenate(values)) if values else np.zeros(0, dtype=object)
    out = []
    for col in columns:
        pieces = []
        for chunk in col.chunks:
            rank = np.searchsorted(universe, np.asarray(chunk.dictionary.to_pylist(), dtype=object)).astype("int64")
            pieces.append(rank[np.asarray(chunk.indices.fill_null(0))] if len(rank) else
                          np.zeros(len(chunk), dtype="int64"))
        out.append(np.concatenate(pieces) if pieces else np.zeros(0, dtype="int64"))
    return out


def _key_of(tables: list[pa.Table]) -> list[np.ndarray]:
    """One int64 per row, comparable across the given tables, ordering like (date, unit, indicator)."""
    units = _global_ranks([_as_dict(t.column("unit_code")) for t in tables])
    inds = _global_ranks([_as_dict(t.column("indicator_code")) for t in tables])
    days = [np.asarray(t.column("date").cast(pa.int64()).fill_null(0)) // 86_400_000_000_000 for t in tables]
    nu = max((int(u.max(initial=0)) for u in units), default=0) + 1
    ni = max((int(i.max(initial=0)) for i in inds), default=0) + 1
    low = min((int(d.min(initial=0)) for d in days), default=0)
    return [((d - low) * nu + u) * ni + i for d, u, i in zip(days, units, inds, strict=True)]


def _candidates(view: pa.Table, tail: pa.Table) -> np.ndarray:
    """Positions in ``view`` whose date, unit and indicator each occur in ``tail`` (a superset of the
    rows the tail touches), computed on the dictionaries, not on every row's text."""
    mask = np.asarray(pc.is_in(view.column("date"), value_set=pc.unique(tail.column("date"))).fill_null(False))
    for name in ("unit_code", "indicator_code"):
        wanted = pa.array(sorted({v for v in _as_dict(tail.column(name)).cast(pa.string()).to_pylist() if v is not None}),
                          pa.string())
        hit = []
        for chunk in _as_dict(view.column(name)).chunks:
            in_dict = np.asarray(pc.is_in(chunk.dictionary, value_set=wanted).fill_null(False))
            hit.append(in_dict[np.asarray(chunk.indices.fill_null(0))] if len(in_dict) else
                       np.zeros(len(chunk), dtype=bool))
        mask &= np.concatenate(hit) if hit else np.zeros(view.num_rows, dtype=bool)
    return np.flatnonzero(mask)


def merge_onto(view: pa.Table, parts: list[pa.Table]) -> pa.Table:
    """``merge([view, *parts])`` for a merged view (sorted, one row per key) and later parts: only the
    view's rows the parts touch are merged; the rest of the view is spliced around them as zero-copy
    slices.  Gives the same rows in the same order as the full merge; falls back to it when the parts
    would cut the view into too many pieces."""
    tail = merge(parts)
    if tail.num_rows == 0:
        return view
    if view.num_rows == 0:
        return tail
    touched = _candidates(view, tail)
    small = merge([view.take(pa.array(touched)), tail]) if len(touched) else tail
    # where each merged row goes in the view: the view is sorted by date first, so only its rows on
    # the tail's dates are ranked (a one-row tail ranks one period's rows, a new period's none)
    days = np.concatenate([np.asarray(c.cast(pa.int64()).fill_null(0)) for c in view.column("date").chunks])
    small_days = np.asarray(small.column("date").cast(pa.int64()).fill_null(0))
    lo = int(np.searchsorted(days, small_days.min(), side="left"))
    hi = int(np.searchsorted(days, small_days.max(), side="right"))
    if hi > lo:
        view_key, small_key = _key_of([view.slice(lo, hi - lo), small])
        at = lo + np.searchsorted(view_key, small_key, side="left")
    else:
        at = np.full(small.num_rows, lo, dtype="int64")
    cuts = np.unique(np.concatenate([touched, touched + 1, at, [0, view.num_rows]]))
    if len(cuts) > MAX_SPLICES:
        return merge([view, *parts])
    skip = set(touched.tolist())
    starts = np.searchsorted(at, cuts[:-1], side="left")
    ends = np.searchsorted(at, cuts[:-1], side="right")
    pieces = []
    for k in range(len(cuts) - 1):
        a, b = int(cuts[k]), int(cuts[k + 1])
        if ends[k] > starts[k]:
            pieces.append(small.slice(int(starts[k]), int(ends[k] - starts[k])))
        if a not in skip:
            pieces.append(view.slice(a, b - a))
    tail_end = np.searchsorted(at, view.num_rows, side="left")
    if tail_end < small.num_rows:
        pieces.append(small.slice(int(tail_end)))
    schema = view.schema
    out = pa.concat_tables([p.cast(schema) if p.schema != schema else p for p in pieces if p.num_rows])
    if len(pieces) > MAX_PIECES:     # thousands of slices cost more downstream than one copy now
        out = out.unify_dictionaries().combine_chunks()
    return out
