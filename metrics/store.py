"""Versioned, immutable, atomic Parquet store of figures and catalogs.

Why it looks like this:

* Every import becomes a new numbered folder ``versions/NNNNNN`` that is never changed again, so
  any earlier state can be read back (``figures(as_of=k)``) and a correction never destroys history.
* A version is written into ``tmp/<uuid>`` and renamed into place; the rename is the commit point, so
  a crash leaves either the old store or the new version, never half of one.
* A file lock serialises writers (read latest -> compare -> write -> rename), so two people importing
  at the same moment both get a version and neither import is lost.
* Replicas sharing PostgreSQL (``METRICS_DB``) and a folder or an object store
  (``METRICS_STORE=s3://bucket/prefix``): the version number is taken and the version made visible by
  one database transaction instead (``stored.sequence``); files go through ``stored.fs``.
* Figures are keyed by ``(date, unit_code, indicator_code)``: codes that end on the same day
  (``2021Q3``, ``2021-09``) are the same moment.  They are merged field by field: a blank only means
  "not supplied here" and never overwrites a stored figure.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from filelock import Timeout

from metrics.stored import checkpoints, columnar, sequence
from metrics.stored import fs as sfs
from metrics.stored.catalogs import _catalog_diff, _catalog_table, _copy_catalog_table, _read_catalog_table
from metrics.stored.columnar import (
    FACT_COLUMNS,
    FIELDS,
    FIGURE_COLUMNS,
    KEY,
    PROVENANCE_COLUMNS,
    VALUE_FIELDS,
)
from metrics.text import safe_file_name

__all__ = [
    "FIGURE_COLUMNS",
    "FACT_COLUMNS",
    "KEY",
    "CommitResult",
    "Store",
    "StoreDamaged",
    "StoreError",
    "default_store_dir",
]

_ = (PROVENANCE_COLUMNS,)  # re-exported: the store's figure columns are defined in stored.columnar
DATE_DTYPE = "datetime64[ns]"
MANIFEST_CORE = ["version", "kind", "file_name", "sha256", "user", "time", "rows"]

_VERSIONS = "versions"
_MANIFEST = "manifest.json"
_ORIGINAL = "original"
_FIGURES = "figures.parquet"
_UNITS = "units.parquet"
_INDICATORS = "indicators.parquet"
_CLEARED = "cleared.parquet"     # a rollback's fields (or whole rows, field "*") that had no value before


class StoreError(Exception):
    """A store that cannot be read or written as asked (bad input frame, missing version, busy lock)."""


class StoreDamaged(StoreError):
    """A stored file is missing or unreadable: nothing is written until ``python -m metrics verify``
    passes again (the message names the version and the file)."""

    def __init__(self, version: int, file: str, detail: str = "") -> None:
        self.version, self.file, self.detail = int(version), str(file), detail
        super().__init__(f"版本 {self.version} 的文件 {self.file} 无法读取，数据库已损坏；请运行 python -m metrics verify 查看 / "
                         f"version {self.version}: file {self.file} cannot be read, the store is damaged; "
                         f"run python -m metrics verify")


@dataclass(frozen=True)
class CommitResult:
    """What a commit did: the new version number, or None when the import changed nothing."""

    version: int | None
    changed_fields: int


def default_store_dir() -> Path | str:
    """$METRICS_STORE if set (deployments and tests point it elsewhere; ``s3://bucket/prefix`` stays a
    string), else <repo>/data/store."""
    env = os.environ.get("METRICS_STORE")
    if env:
        return env.strip() if sfs.is_uri(env.strip()) else Path(env).expanduser()
    return Path(__file__).resolve().parent.parent / "data" / "store"


def _before_publish(tmp_dir: Path | sfs.FsPath) -> None:
    """Test hook called after a version is fully written and before it is renamed into place.

    A test monkeypatches it to raise, which simulates a crash at the worst moment.
    """


# ---------------------------------------------------------------------------------------------------
# small file helpers


def _parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def _safe_file_name(file_name: str) -> str:
    """Keep only the last path component, so an upload name cannot escape the version folder, and
    a length every file system accepts (see metrics.text.safe_file_name)."""
    return safe_file_name(file_name)


def _stamp(path: Path | sfs.FsPath) -> tuple[Path | sfs.FsPath, int, int, int] | None:
    """Identity of a file (a local one or an object): versions are immutable, so this keys the
    in-process caches."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (path, st.st_ino, st.st_mtime_ns, st.st_size)


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


# ---------------------------------------------------------------------------------------------------
# figures: normalising and merging


def _text_array(values: pd.Series) -> pa.Array:
    """A text column as Arrow strings (null stays null); anything else written as text."""
    try:
        return pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array(values.astype("str"), type=pa.string(), from_pandas=True)


def _normalise_facts(facts: pd.DataFrame, default_file: str = "") -> pa.Table:
    """The facts in the store's canonical columns and types, as Arrow (FACT_SCHEMA): what is written
    and compared.  Built column by column in Arrow: a 50k-row import spends milliseconds here."""
    if not isinstance(facts, pd.DataFrame):
        raise StoreError(f"figures must be a DataFrame, not {type(facts).__name__}")
    missing = [c for c in ("period", *KEY) if c not in facts.columns]
    if missing:
        raise StoreError(f"figures frame lacks column(s): {', '.join(missing)}")
    n = len(facts)
    cols: dict[str, pa.Array] = {"period": _text_array(facts["period"])}
    try:
        dates = pd.to_datetime(facts["date"])
    except (ValueError, TypeError) as exc:
        raise StoreError(f"figures frame has an unreadable date: {exc}") from exc
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    cols["date"] = pa.array(dates.astype(DATE_DTYPE).to_numpy(), type=pa.timestamp("ns"))
    cols["unit_code"] = _text_array(facts["unit_code"])
    cols["indicator_code"] = _text_array(facts["indicator_code"])
    for col in VALUE_FIELDS:
        if col in facts.columns:
            try:
                values = pd.to_numeric(facts[col]).astype("float64").to_numpy()
            except (ValueError, TypeError) as exc:
                raise StoreError(f"figures column {col!r} is not numeric: {exc}") from exc
            cols[col] = pa.array(values, type=pa.float64(), from_pandas=True)
        else:
            cols[col] = pa.nulls(n, pa.float64())
    if "note" in facts.columns:
        note = _text_array(facts["note"])
        blank = pc.equal(pc.utf8_trim_whitespace(note), "")   # a blank note is not supplied
        cols["note"] = pc.if_else(pc.fill_null(blank, False), pa.nulls(n, pa.string()), note)
    else:
        cols["note"] = pa.nulls(n, pa.string())
    cols["source_file"] = (_text_array(facts["source_file"]) if "source_file" in facts.columns
                           else pa.array([default_file] * n, type=pa.string()))
    cols["sheet"] = _text_array(facts["sheet"]) if "sheet" in facts.columns else pa.nulls(n, pa.string())
    if "row" in facts.columns:
        try:
            rows = pd.to_numeric(facts["row"]).astype("Int64")
        except (ValueError, TypeError) as exc:
            raise StoreError(f"figures column 'row' is not an integer: {exc}") from exc
        cols["row"] = pa.array(rows.to_numpy(dtype="int64", na_value=0), type=pa.int64(),
                               mask=rows.isna().to_numpy())
    else:
        cols["row"] = pa.nulls(n, pa.int64())
    table = pa.table([cols[c] for c in FACT_COLUMNS], schema=columnar.FACT_SCHEMA)
    bad = (table.column("date").null_count + table.column("unit_code").null_count
           + table.column("indicator_code").null_count)
    if bad:
        mask = pc.or_(pc.or_(pc.is_null(table.column("date")), pc.is_null(table.column("unit_code"))),
                      pc.is_null(table.column("indicator_code")))
        raise StoreError(f"{pc.sum(mask).as_py()} figure row(s) have no date, unit or indicator")
    return table


def _changed_fields(incoming: pd.DataFrame, view: pd.DataFrame) -> int:
    """How many supplied fields differ from the current view (floats exactly, notes as text)."""
    if incoming.empty:
        return 0
    cur = view[[*KEY, *FIELDS]].rename(columns={f: f"_cur_{f}" for f in FIELDS})
    merged = incoming[[*KEY, *FIELDS]].merge(cur, on=KEY, how="left", sort=False)
    changed = 0
    for f in FIELDS:
        new = merged[f]
        old = merged[f"_cur_{f}"]
        same = old.notna() & new.notna() & (new == old).fillna(False).astype(bool)
        changed += int((new.notna() & ~same).sum())
    return changed


# ---------------------------------------------------------------------------------------------------
# rollbacks: what a reverted version cleared


def _apply_cleared(view: pd.DataFrame, parts: list[tuple[int, pd.DataFrame]],
                   cleared: list[tuple[int, pd.DataFrame]]) -> pd.DataFrame:
    """Withdraw what rollbacks cleared (a field that had no value before the reverted version), unless
    a version after the rollback supplied it again.  Value fields know their supplier version; a note
    or a whole row is kept when any later version's own rows hold it."""
    if view.empty:
        return view
    view = view.copy()
    index = pd.MultiIndex.from_frame(view[KEY])
    drop = np.zeros(len(view), dtype=bool)
    for c, clear in sorted(cleared, key=lambda p: p[0]):
        if clear.empty:
            continue
        later = [df for v, df in parts if v > c]
        for fname, rows in clear.groupby("field", sort=False):
            keys = pd.MultiIndex.from_frame(rows[KEY].astype({"date": DATE_DTYPE}))
            hit = index.isin(keys)
            if fname in VALUE_FIELDS:
                supplier = view[f"{fname}_version"]
                hit &= (supplier.isna() | (supplier < c)).fillna(True).to_numpy(dtype=bool)
            else:
                column = "note" if fname == "note" else None
                again = [pd.MultiIndex.from_frame(df.loc[df[column].notna() if column else slice(None), KEY])
                         for df in later]
                for mi in again:
                    hit &= ~index.isin(mi)
            if fname == "*":
                drop |= hit
                continue
            view.loc[hit, fname] = np.nan
            if fname in VALUE_FIELDS:
                view.loc[hit, f"{fname}_version"] = pd.NA
                view.loc[hit, f"{fname}_row"] = pd.NA
                view.loc[hit, [f"{fname}_file", f"{fname}_sheet"]] = np.nan
    return view.loc[~drop].reset_index(drop=True) if drop.any() else view


# ---------------------------------------------------------------------------------------------------
# in-process caches (versions are immutable; keyed by file identity so a recreated store is re-read)


@lru_cache(maxsize=64)
def _cached_part(stamp: tuple, version: int) -> pa.Table:
    """One version's figures in view format (Arrow, text as dictionaries)."""
    path = stamp[0]
    try:
        facts = columnar.read_parquet(path, FACT_COLUMNS)
        return columnar.facts_to_view(facts, version)
    except (pa.ArrowException, OSError, KeyError, ValueError) as exc:
        raise StoreDamaged(version, _FIGURES, str(exc)) from None


def _cached_checkpoint(root: Path, version: int, info: dict) -> pa.Table | None:
    """A checkpoint's view, or None when it cannot be read (the view is then rebuilt)."""
    try:
        table = columnar.read_parquet(checkpoints.path(root, version), FIGURE_COLUMNS)
        return columnar._conform(table, columnar.VIEW_SCHEMA)
    except (pa.ArrowException, OSError, ValueError):
        return None


@lru_cache(maxsize=64)
def _cached_catalog_table(stamp: tuple) -> pd.DataFrame:
    return _read_catalog_table(stamp[0])


@lru_cache(maxsize=2048)
def _cached_manifest(stamp: tuple) -> dict:
    return json.loads(stamp[0].read_text(encoding="utf-8"))


_VIEW_CACHE: OrderedDict[tuple, pa.Table] = OrderedDict()
_VIEW_CACHE_ROWS = 12_000_000   # merged views kept in memory (rows over all entries; the latest always)
_VIEW_CACHE_LOCK = threading.Lock()


# ---------------------------------------------------------------------------------------------------


class Store:
    """A folder of immutable versions; figures and catalogs share one version sequence."""

    lock_timeout: float = 300.0

    def __init__(self, root: Path | str | None = None) -> None:
        """Point at a store folder or ``s3://bucket/prefix`` (None: default_store_dir()); nothing is
        created until a commit."""
        root = default_store_dir() if root is None else root
        if sfs.is_uri(root):
            self.root: Path | sfs.FsPath = root if isinstance(root, sfs.FsPath) else sfs.from_uri(str(root))
        else:
            self.root = Path(root).expanduser().resolve()
        self._sequence: sequence.FolderSequence | sequence.DbSequence | None = None

    @property
    def sequence(self) -> sequence.FolderSequence | sequence.DbSequence:
        """Who numbers and publishes versions: the folder itself, or PostgreSQL (stored.sequence)."""
        if self._sequence is None:
            self._sequence = sequence.for_store(self.root)
        return self._sequence

    def __repr__(self) -> str:
        return f"Store({str(self.root)!r})"

    # -- paths ------------------------------------------------------------------------------------

    @property
    def _versions_dir(self) -> Path:
        return self.root / _VERSIONS

    def _version_dir(self, version: int) -> Path:
        return self._versions_dir / f"{version:06d}"

    def _version_numbers(self) -> list[int]:
        """Published versions, ascending; tmp folders and strays are not versions."""
        return self.sequence.numbers()

    def _check_as_of(self, as_of: int | None) -> int:
        latest = self.latest_version()
        if as_of is None:
            return latest
        as_of = int(as_of)
        if as_of < 0 or as_of > latest:
            raise StoreError(f"no version {as_of} in the store (latest is {latest})")
        return as_of

    # -- reading ----------------------------------------------------------------------------------

    def latest_version(self) -> int:
        """The highest published version, 0 for an empty store (one small query with PostgreSQL)."""
        if isinstance(self.sequence, sequence.DbSequence):
            return self.sequence.latest()
        numbers = self._version_numbers()
        return numbers[-1] if numbers else 0

    def manifest(self, version: int) -> dict:
        """The manifest of one version (what was imported, by whom, when, and its summary)."""
        stamp = _stamp(self._version_dir(int(version)) / _MANIFEST)
        if stamp is None:
            if self._version_dir(int(version)).is_dir():
                raise StoreDamaged(int(version), _MANIFEST, "missing")
            raise StoreError(f"no version {version} in the store")
        try:
            return copy.deepcopy(_cached_manifest(stamp))
        except (OSError, ValueError) as exc:
            raise StoreDamaged(int(version), _MANIFEST, str(exc)) from None

    def versions(self) -> pd.DataFrame:
        """One row per version with its manifest, so the history can be listed and audited."""
        records = [self.manifest(v) for v in self._version_numbers()]
        frame = pd.DataFrame(records)
        for col in MANIFEST_CORE:
            if col not in frame.columns:
                frame[col] = pd.Series(dtype="int64" if col in ("version", "rows") else "str")
        extra = [c for c in frame.columns if c not in MANIFEST_CORE]
        frame = frame[MANIFEST_CORE + extra]
        if len(frame):
            frame["version"] = frame["version"].astype("int64")
            frame["rows"] = frame["rows"].astype("int64")
        for col in extra:  # counts missing from some versions stay integers (nullable), not floats
            values = [v for r in records if (v := r.get(col)) is not None]
            if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
                frame[col] = pd.array([r.get(col) for r in records], dtype="Int64")
        return frame.reset_index(drop=True)

    def supplied(self, version: int, columns: tuple[str, ...] = ("date", "unit_code", "indicator_code", "actual"),
                 dates=None) -> pd.DataFrame:
        """The facts one figures version supplied itself (not the merged view): what the reporting
        calendar needs to know which version first brought a figure.  Empty for a catalog version.
        ``dates``: only the rows of these period ends (the others are not read)."""
        path = self._version_dir(int(version)) / _FIGURES
        if not path.exists():
            return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        filters = None
        if dates is not None:
            filters = [("date", "in", [pd.Timestamp(d) for d in pd.to_datetime(pd.Series(list(dates))).unique()])]
            if not filters[0][2]:
                return pq.read_table(**sfs.parquet_source(path), columns=list(columns)).slice(0, 0).to_pandas()
        return pq.read_table(**sfs.parquet_source(path), columns=list(columns), filters=filters).to_pandas()

    def original(self, version: int) -> tuple[str, bytes]:
        """The uploaded file of a version, byte for byte, with its name."""
        manifest = self.manifest(version)
        name = manifest["file_name"]
        path = self._version_dir(int(version)) / _ORIGINAL / name
        try:
            return name, path.read_bytes()
        except OSError as exc:
            raise StoreError(f"version {version} has no original file: {exc}") from exc

    def _trusted(self, as_of: int) -> tuple[list[int], tuple[int, dict] | None]:
        """The versions <= as_of (one directory listing) and the nearest checkpoint whose record is
        believed for the versions under it (checkpoints.trusted)."""
        numbers = [v for v in self._version_numbers() if v <= as_of]
        return numbers, checkpoints.trusted(self.root, as_of, set(numbers))

    def _figure_parts(self, as_of: int) -> list[tuple[int, tuple]]:
        """(version, file identity) of every figures version <= as_of.  The versions under the nearest
        trusted checkpoint come from its record (identified by the checkpoint's own file, nothing
        looked up per version); each version after it is looked at: a folder holding neither figures
        nor a catalog is damage, said as such (never silently skipped)."""
        numbers, found = self._trusted(as_of)
        parts: list[tuple[int, tuple]] = []
        if found is not None:
            cp, info = found
            ident = _stamp(checkpoints.folder(self.root) / f"{cp:06d}" / checkpoints.META) or ("", 0, 0, 0)
            base = str(self._versions_dir)
            parts = [(f, (os.path.join(base, f"{f:06d}", _FIGURES), -cp, ident[1], ident[2]))
                     for f in info["figure_versions"]]
            numbers = [v for v in numbers if v > cp]
        for v in numbers:
            stamp = _stamp(self._version_dir(v) / _FIGURES)
            if stamp is not None:
                parts.append((v, stamp))
            elif not (self._version_dir(v) / _UNITS).exists():
                raise StoreDamaged(v, _FIGURES, "missing")
        return parts

    def _cached_view(self, parts: list[tuple[int, tuple]]) -> tuple[int, pa.Table] | None:
        """The longest cached view whose versions are a prefix of ``parts``: (how many parts, view)."""
        root = str(self.root)
        best = None
        with _VIEW_CACHE_LOCK:
            for (r, key_parts), view in _VIEW_CACHE.items():
                n = len(key_parts)
                if r == root and n <= len(parts) and tuple(parts[:n]) == key_parts and (best is None or n > best[0]):
                    best = (n, view)
            if best is not None:
                _VIEW_CACHE.move_to_end((root, tuple(parts[:best[0]])))
        return best

    def _remember(self, parts: list[tuple[int, tuple]], view: pa.Table) -> None:
        with _VIEW_CACHE_LOCK:
            _VIEW_CACHE[(str(self.root), tuple(parts))] = view
            _VIEW_CACHE.move_to_end((str(self.root), tuple(parts)))
            while len(_VIEW_CACHE) > 1 and sum(v.num_rows for v in _VIEW_CACHE.values()) > _VIEW_CACHE_ROWS:
                _VIEW_CACHE.popitem(last=False)

    def _base(self, parts: list[tuple[int, tuple]], as_of: int) -> tuple[int, pa.Table | None]:
        """Where a read starts: the longest cached view or the nearest usable checkpoint (whichever
        covers more versions), as (number of parts it covers, view); (0, None) means from scratch."""
        cached = self._cached_view(parts)
        n_cached = cached[0] if cached else 0
        found = checkpoints.usable(self.root, as_of, [v for v, _ in parts])
        if found is not None:
            cp_version, info = found
            n_cp = sum(1 for v, _ in parts if v <= cp_version)
            if n_cp > n_cached:
                view = _cached_checkpoint(self.root, cp_version, info)
                if view is not None:
                    return n_cp, view
        if cached:
            return cached
        return 0, None

    def _view_arrow(self, as_of: int, parts: list[tuple[int, tuple]] | None = None,
                    remember: bool = True) -> pa.Table:
        """The merged view as of a version, in Arrow (cached unless ``remember`` is False; immutable)."""
        parts = self._figure_parts(as_of) if parts is None else parts
        done, base = self._base(parts, as_of)
        if base is not None and done == len(parts):
            if remember and self._cached_view(parts) is None:
                self._remember(parts, base)
            return base
        tail = [_cached_part(stamp, v) for v, stamp in parts[done:]]
        view = columnar.merge(tail) if base is None else columnar.merge_onto(base, tail)
        if remember:
            self._remember(parts, view)
        return view

    def _view(self, as_of: int) -> pd.DataFrame:
        """The merged view as a pandas frame (a new frame each call)."""
        return columnar.to_pandas(self._view_arrow(as_of))

    def _view_of_keys(self, as_of: int, keys: pd.DataFrame) -> pd.DataFrame:
        """The view's rows for the given keys only: what an import compares against.  Reads only
        the checkpoint's row groups that can hold those keys and the versions after it, so a
        one-row import costs the same in a store of any size."""
        parts = self._figure_parts(as_of)
        cached = self._cached_view(parts)
        if cached is not None and cached[0] == len(parts):
            return columnar.to_pandas(columnar.select_keys(cached[1], keys))
        found = checkpoints.usable(self.root, as_of, [v for v, _ in parts])
        base, done = None, 0
        if found is not None:
            try:
                table = columnar.read_parquet(checkpoints.path(self.root, found[0]), FIGURE_COLUMNS,
                                              filters=columnar.key_filters(keys))
                base = columnar.select_keys(columnar._conform(table, columnar.VIEW_SCHEMA), keys)
                done = sum(1 for v, _ in parts if v <= found[0])
            except (pa.ArrowException, OSError, ValueError):
                base, done = None, 0
        tail = [columnar.select_keys(_cached_part(stamp, v), keys) for v, stamp in parts[done:]]
        return columnar.to_pandas(columnar.merge(([base] if base is not None else []) + tail))

    def _cleared_parts(self, as_of: int) -> list[tuple[int, tuple]]:
        """(version, file identity) of every rollback's withdrawn fields <= as_of: those under a
        trusted checkpoint that recorded them from its record, the versions after it looked at."""
        numbers, found = self._trusted(as_of)
        known: list[int] = []
        if found is not None and isinstance(found[1].get("cleared_versions"), list):
            known = [int(c) for c in found[1]["cleared_versions"]]
            numbers = [v for v in numbers if v > found[0]]
        out = [(v, stamp) for v in known if (stamp := _stamp(self._version_dir(v) / _CLEARED)) is not None]
        return out + [(v, stamp) for v in numbers if (stamp := _stamp(self._version_dir(v) / _CLEARED)) is not None]

    def _with_cleared(self, view: pd.DataFrame, as_of: int) -> pd.DataFrame:
        """What rollbacks withdrew, taken out of a merged view (applied on top of the merge, so
        checkpoints and cached views stay plain merges)."""
        cleared = self._cleared_parts(as_of)
        if not cleared:
            return view
        first = min(v for v, _ in cleared)
        later = [(v, self.supplied(v, ("date", "unit_code", "indicator_code", "note")))
                 for v, _ in self._figure_parts(as_of) if v > first]
        for _, frame in later:
            frame["date"] = pd.to_datetime(frame["date"]).astype(DATE_DTYPE)
        return _apply_cleared(view, later, [(v, pq.read_table(**sfs.parquet_source(stamp[0])).to_pandas()) for v, stamp in cleared])

    def version_figures(self, version: int) -> pd.DataFrame:
        """The rows one version itself supplied (empty for a catalog version): what a rollback reverts."""
        frame = self.supplied(version, tuple(FACT_COLUMNS[:8]))
        if len(frame):
            frame["date"] = pd.to_datetime(frame["date"]).astype(DATE_DTYPE)
        return frame

    def version_cleared(self, version: int) -> pd.DataFrame:
        """What a rollback version withdrew (``date, unit_code, indicator_code, field``; empty otherwise)."""
        stamp = _stamp(self._version_dir(int(version)) / _CLEARED)
        if stamp is None:
            return pd.DataFrame({"date": pd.Series(dtype=DATE_DTYPE), "unit_code": pd.Series(dtype="str"),
                                 "indicator_code": pd.Series(dtype="str"), "field": pd.Series(dtype="str")})
        return pq.read_table(**sfs.parquet_source(stamp[0])).to_pandas()

    def figures(self, as_of: int | None = None, *, codes: bool = False, cache: bool = True) -> pd.DataFrame:
        """Figures as of version N (default latest), merged field by field, with provenance.

        ``codes=True`` gives the text columns as categoricals (what the engine wants: integer codes,
        no strings); the default gives them as ``str``.  ``cache=False`` keeps no merged view in
        this process (a caller that holds the frame itself, like the dashboard's engine, so the
        server never holds two copies of a province's figures)."""
        as_of = self._check_as_of(as_of)
        return self._with_cleared(columnar.to_pandas(self._view_arrow(as_of, remember=cache), codes=codes), as_of)

    def figures_of(self, keys: pd.DataFrame, as_of: int | None = None) -> pd.DataFrame:
        """The figures of the given (date, unit_code, indicator_code) keys only, as ``figures`` has them."""
        as_of = self._check_as_of(as_of)
        return self._with_cleared(self._view_of_keys(as_of, keys), as_of)

    def _catalog_version(self, as_of: int) -> int | None:
        for v in reversed(self._version_numbers()):
            if v <= as_of and (self._version_dir(v) / _UNITS).exists():
                return v
        return None

    def _catalog_cached(self, as_of: int) -> tuple[pd.DataFrame, pd.DataFrame] | None:
        v = self._catalog_version(as_of)
        if v is None:
            return None
        us = _stamp(self._version_dir(v) / _UNITS)
        ins = _stamp(self._version_dir(v) / _INDICATORS)
        if us is None or ins is None:
            raise StoreDamaged(v, _UNITS if us is None else _INDICATORS, "missing")
        try:
            return _cached_catalog_table(us), _cached_catalog_table(ins)
        except (pa.ArrowException, OSError, ValueError) as exc:
            raise StoreDamaged(v, _UNITS, str(exc)) from None

    def catalog(self, as_of: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame] | None:
        """(units, indicators) of the latest catalog version <= N, None when there is none yet."""
        cached = self._catalog_cached(self._check_as_of(as_of))
        if cached is None:
            return None
        return _copy_catalog_table(cached[0]), _copy_catalog_table(cached[1])

    # -- writing ----------------------------------------------------------------------------------

    def _lock(self):
        """The commit lock: a file lock on the folder, or PostgreSQL's advisory lock in a transaction."""
        return self.sequence.lock(self.lock_timeout)

    def _publish(self, kind: str, files: dict[str, bytes], *, original: bytes, file_name: str,
                 user: str, rows: int, summary: dict | None) -> int:
        """Write a version into tmp/, fsync it, and rename it into versions/ (the commit point).

        Must be called with the lock held; the sequence writes the files and makes them visible
        (a rename, or the row of the lock's transaction).  The summary is merged into the manifest; the core keys
        (version, kind, file_name, sha256, user, time, rows) always win over summary keys.
        """
        version = self.latest_version() + 1
        name = _safe_file_name(file_name)
        manifest: dict[str, Any] = dict(summary or {})
        manifest.update({
            "version": version,
            "kind": kind,
            "file_name": name,
            "sha256": hashlib.sha256(original).hexdigest(),
            "user": str(user),
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "rows": int(rows),
            # every stored file's SHA-256, so `python -m metrics verify` can prove the version intact
            "files": {f"{_ORIGINAL}/{name}": hashlib.sha256(original).hexdigest(),
                      **{fname: hashlib.sha256(data).hexdigest() for fname, data in files.items()}},
        })
        text = json.dumps(manifest, ensure_ascii=False, indent=2, default=_json_default)
        self.sequence.publish(version, {f"{_ORIGINAL}/{name}": bytes(original), **files,
                                        _MANIFEST: text.encode("utf-8")}, lambda where: _before_publish(where))
        return version

    def commit_figures(self, facts: pd.DataFrame, *, original: bytes, file_name: str, user: str,
                       summary: dict | None = None, cleared: pd.DataFrame | None = None) -> CommitResult:
        """Add the facts as a new version, unless every supplied field already equals the view.

        Compares only against the view's rows of the incoming keys (a one-row import reads a few
        row groups, whatever the store's size); after the commit, a checkpoint is written when the
        versions since the last one reach ``checkpoints.every()``."""
        table = _normalise_facts(facts, default_file=_safe_file_name(file_name))
        norm = columnar.to_pandas(table.select([*KEY, *FIELDS]))
        if norm.duplicated(KEY).any():
            raise StoreError("figures frame has the same (date, unit, indicator) more than once")
        files = {_FIGURES: _parquet_bytes(table)}
        if cleared is not None and len(cleared):   # a rollback's withdrawn fields (see _apply_cleared)
            clear = pd.DataFrame({"date": pd.to_datetime(cleared["date"]).astype(DATE_DTYPE).to_numpy(),
                                  "unit_code": cleared["unit_code"].astype(str).to_numpy(),
                                  "indicator_code": cleared["indicator_code"].astype(str).to_numpy(),
                                  "field": cleared["field"].astype(str).to_numpy()})
            if not clear["field"].isin([*FIELDS, "*"]).all():
                raise StoreError("cleared fields must be target, milestone, actual, note or *")
            files[_CLEARED] = _parquet_bytes(pa.Table.from_pandas(clear, preserve_index=False))
        try:
            with self._lock():
                latest = self.latest_version()
                changed = _changed_fields(norm, self._view_of_keys(latest, norm[KEY])) + (
                    0 if cleared is None else len(cleared))
                if changed == 0:
                    return CommitResult(version=None, changed_fields=0)
                version = self._publish("figures", files, original=original,
                                        file_name=file_name, user=user, rows=table.num_rows, summary=summary)
        except Timeout as exc:
            raise StoreError("the store is busy (another import holds the lock)") from exc
        self._after_commit(version, table)
        return CommitResult(version=version, changed_fields=changed)

    def _after_commit(self, version: int, table: pa.Table) -> None:
        """Carry a cached view forward to the new version (the server's next read is one small merge)
        and write a checkpoint when one is due.  Never fails the commit: checkpoints are optional."""
        try:
            parts = self._figure_parts(version)
            previous = self._cached_view(parts[:-1]) if parts and parts[-1][0] == version else None
            if previous is not None and previous[0] == len(parts) - 1:
                new = columnar.facts_to_view(table, version)
                view = columnar.merge_onto(previous[1], [new])
                self._remember(parts, view)
                if self.checkpoint_if_due(version, parts) is not None:
                    self._remember(self._figure_parts(version), view)   # the key now names the new checkpoint
                return
            self.checkpoint_if_due(version, parts)
        except Exception:  # noqa: BLE001 - the version is published; a checkpoint is only an optimisation
            pass

    def checkpoint_if_due(self, version: int | None = None, parts: list[tuple[int, tuple]] | None = None) -> int | None:
        """Write the checkpoint of ``version`` (default latest) when one is due; returns its version or None.

        Due after every commit while the view is small (``checkpoints.SMALL_ROWS``: a read is then one
        file) or when the rows since the last checkpoint reach 1/``TAIL_SHARE`` of it (a province's
        monthly file), else when ``checkpoints.every()`` figure versions have come since the last milestone."""
        every = checkpoints.every()
        if every <= 0:
            return None
        version = self.latest_version() if version is None else int(version)
        parts = self._figure_parts(version) if parts is None else parts
        numbers = [v for v, _ in parts]
        found = checkpoints.usable(self.root, version, numbers)
        if found is not None and found[0] >= (numbers[-1] if numbers else 0):
            return None
        since = len(numbers) - checkpoints.milestone_count(self.root, version, numbers)
        if since >= every:
            return self.write_checkpoint(version)
        if found is None:
            return None
        rows = int(found[1].get("rows", 0))
        tail_rows = sum(int(self.manifest(v).get("rows", 0)) for v in numbers if v > found[0])
        if rows <= checkpoints.SMALL_ROWS or tail_rows * checkpoints.TAIL_SHARE >= rows:
            return self.write_checkpoint(version)
        return None

    def write_checkpoint(self, version: int | None = None) -> int | None:
        """Materialise the view as of ``version`` (default latest) as a checkpoint; None when another
        process is writing one right now (it is optional, so nobody waits)."""
        version = self._check_as_of(version)
        parts = self._figure_parts(version)
        if not parts:
            return None
        try:
            with self.sequence.checkpoint_lock():
                checkpoints.clean(self.root)
                view = self._view_arrow(version, parts, remember=False)
                numbers = [v for v, _ in parts]
                milestone = len(numbers) - checkpoints.milestone_count(self.root, version, numbers) >= checkpoints.every()
                cleared = [v for v, _ in self._cleared_parts(version)]
                checkpoints.write(self.root, version, numbers, view, milestone=milestone or not checkpoints.listed(self.root),
                                  cleared=cleared)
                checkpoints.prune(self.root, version)
        except Timeout:
            return None
        return version

    def commit_catalog(self, units: pd.DataFrame, indicators: pd.DataFrame, *, original: bytes,
                       file_name: str, user: str, summary: dict | None = None) -> CommitResult:
        """Add a catalog version, unless units and indicators equal the latest catalog's."""
        files = {
            _UNITS: _parquet_bytes(_catalog_table(units, "units")),
            _INDICATORS: _parquet_bytes(_catalog_table(indicators, "indicators")),
        }
        try:
            with self._lock():
                current = self._catalog_cached(self.latest_version())
                old_u, old_i = current if current is not None else (None, None)
                changed = _catalog_diff(units, old_u) + _catalog_diff(indicators, old_i)
                if current is not None and changed == 0:
                    return CommitResult(version=None, changed_fields=0)
                version = self._publish("catalog", files, original=original, file_name=file_name,
                                        user=user, rows=len(units) + len(indicators), summary=summary)
        except Timeout as exc:
            raise StoreError("the store is busy (another import holds the lock)") from exc
        return CommitResult(version=version, changed_fields=changed)
