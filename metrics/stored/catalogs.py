"""The store's catalog versions: units and indicators as Parquet (list columns as list<string>, so
aliases round-trip as lists of str) and the cell-by-cell comparison that makes a re-imported
identical catalog a no-op."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from metrics.stored import fs as sfs


def _is_listlike(value: Any) -> bool:
    return isinstance(value, (list, tuple, np.ndarray))


def _list_columns(df: pd.DataFrame) -> list[str]:
    cols = []
    for col in df.columns:
        if df[col].dtype != object:
            continue
        values = [v for v in df[col].tolist() if v is not None and not (isinstance(v, float) and np.isnan(v))]
        if values and all(_is_listlike(v) for v in values):
            cols.append(col)
    return cols


def _catalog_table(df: pd.DataFrame, what: str) -> pa.Table:
    """A catalog frame as Arrow, list columns as list<string> so aliases round-trip as lists of str."""
    if not isinstance(df, pd.DataFrame):
        from metrics.store import StoreError

        raise StoreError(f"{what} must be a DataFrame, not {type(df).__name__}")
    df = df.reset_index(drop=True)
    list_cols = _list_columns(df)
    arrays = []
    for col in df.columns:
        if col in list_cols:
            vals = [None if not _is_listlike(v) else [str(x) for x in v] for v in df[col].tolist()]
            arrays.append(pa.array(vals, type=pa.list_(pa.string())))
        else:
            try:
                arrays.append(pa.Array.from_pandas(df[col]))
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as exc:
                from metrics.store import StoreError

                raise StoreError(f"{what} column {col!r} cannot be stored: {exc}") from exc
    return pa.Table.from_arrays(arrays, names=[str(c) for c in df.columns])


def _read_catalog_table(path: Path | sfs.FsPath) -> pd.DataFrame:
    table = pq.read_table(**sfs.parquet_source(path))
    df = table.to_pandas()
    for field in table.schema:
        if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
            df[field.name] = pd.Series(
                [None if v is None else [str(x) for x in v] for v in df[field.name].tolist()],
                index=df.index, dtype=object,
            )
    return df


def _canon_value(value: Any) -> Any:
    if _is_listlike(value):
        return tuple(str(x) for x in value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    return value


def _canon_rows(df: pd.DataFrame, columns: list[str]) -> list[tuple]:
    data = [
        [_canon_value(v) for v in df[c].tolist()] if c in df.columns else [None] * len(df)
        for c in columns
    ]
    return list(zip(*data, strict=True)) if data else [() for _ in range(len(df))]


def _catalog_diff(new: pd.DataFrame, old: pd.DataFrame | None) -> int:
    """Cells that differ between two catalog tables; rows matched by ``code`` when there is one."""
    if old is None:
        return int(new.shape[0] * new.shape[1])
    columns = sorted({str(c) for c in new.columns} | {str(c) for c in old.columns})
    new_rows = _canon_rows(new.reset_index(drop=True), columns)
    old_rows = _canon_rows(old.reset_index(drop=True), columns)
    if new_rows == old_rows:
        return 0
    width = len(columns)
    if "code" in columns:
        ci = columns.index("code")
        new_by = {r[ci]: r for r in new_rows}
        old_by = {r[ci]: r for r in old_rows}
        if len(new_by) == len(new_rows) and len(old_by) == len(old_rows):
            changed = 0
            for code in new_by.keys() | old_by.keys():
                a, b = new_by.get(code), old_by.get(code)
                if a is None or b is None:
                    changed += width
                else:
                    changed += sum(x != y for x, y in zip(a, b, strict=True))
            return max(changed, 1)  # same content in another row order still changes the catalog
    changed = abs(len(new_rows) - len(old_rows)) * width
    for a, b in zip(new_rows, old_rows, strict=False):
        changed += sum(x != y for x, y in zip(a, b, strict=True))
    return max(changed, 1)


def _copy_catalog_table(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = [list(v) if isinstance(v, list) else v for v in out[col].tolist()]
    return out
