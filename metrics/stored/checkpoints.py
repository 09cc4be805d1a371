"""Checkpoints: the merged view as of a version, materialised as one Parquet file.

Why: a read is "nearest checkpoint at or before N, plus the versions after it", so its cost no
longer grows with every import.  A checkpoint is derived data and never needed for correctness:

* it is written into ``checkpoints/tmp-<uuid>`` and renamed into ``checkpoints/NNNNNN`` (a crash
  leaves a tmp folder that the next writer removes, never a half checkpoint);
* ``checkpoint.json`` records the figure versions it merges and the SHA-256 of ``view.parquet``; a
  checkpoint whose versions differ from the store's, or that cannot be read, is ignored (the view is
  rebuilt from the versions), and ``verify`` compares each checkpoint with a rebuild;
* deleting every checkpoint gives the same views.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from metrics.stored import fs

DIR = "checkpoints"
VIEW = "view.parquet"
META = "checkpoint.json"
ROW_GROUP = 65_536
#: views up to this many rows get a checkpoint after every commit (cheap to write, and a cold read
#: is then one file); bigger ones every ``every()`` figure versions
SMALL_ROWS = 300_000
#: a big view gets one too when the versions after its last checkpoint hold 1/TAIL_SHARE of its rows
#: (a province's monthly file is 1/12 of its year: it gets one, a one-row correction does not)
TAIL_SHARE = 20


def every() -> int:
    """Figure versions between checkpoints ($METRICS_CHECKPOINT_EVERY, default 8; 0 turns them off)."""
    try:
        return max(0, int(os.environ.get("METRICS_CHECKPOINT_EVERY", "8")))
    except ValueError:
        return 8


def _before_rename(tmp: Path) -> None:
    """Test hook: called when a checkpoint is fully written, before it is renamed into place."""


def folder(root: Path) -> Path:
    return root / DIR


def listed(root: Path) -> list[int]:
    """Published checkpoint versions, ascending."""
    try:
        names = fs.listdir(folder(root))
    except FileNotFoundError:
        return []
    return sorted(int(n) for n in names if n.isdigit())


def meta(root: Path, version: int) -> dict | None:
    try:
        return json.loads((folder(root) / f"{version:06d}" / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def path(root: Path, version: int) -> Path:
    return folder(root) / f"{version:06d}" / VIEW


def usable(root: Path, as_of: int, figure_versions: list[int]) -> tuple[int, dict] | None:
    """The nearest checkpoint at or before ``as_of`` whose recorded versions match the store's."""
    for v in reversed(listed(root)):
        if v > as_of:
            continue
        info = meta(root, v)
        if info is None:
            continue
        expected = [f for f in figure_versions if f <= v]
        if info.get("figure_versions") == expected and path(root, v).is_file():
            try:
                if path(root, v).stat().st_size == info.get("bytes"):
                    return v, info
            except OSError:
                continue
    return None


def trusted(root: Path, as_of: int, numbers: set[int]) -> tuple[int, dict] | None:
    """The nearest checkpoint at or before ``as_of`` whose own record is believed, so a read lists the
    versions once and looks only at those after it (its cost does not grow with the versions under
    it).  Sound because versions are immutable and numbered under the store's lock: no version at or
    before a checkpoint can appear after it was written.  Its figure versions must all be in the
    listing and its file of the recorded size; ``verify`` compares it with a rebuild."""
    for v in reversed(listed(root)):
        if v > as_of or v not in numbers:
            continue
        info = meta(root, v)
        if info is None or info.get("version", v) != v:
            continue
        versions = info.get("figure_versions")
        if not isinstance(versions, list) or not all(isinstance(f, int) and f <= v and f in numbers for f in versions):
            continue
        try:
            if path(root, v).stat().st_size != info.get("bytes"):
                continue
        except OSError:
            continue
        return v, info
    return None


def clean(root: Path) -> None:
    """Remove leftovers of checkpoint writers that crashed (caller holds the checkpoint lock)."""
    base = folder(root)
    if not base.exists():
        return
    for entry in base.iterdir():
        if entry.name.startswith("tmp-"):
            fs.rmtree(entry)


def milestone_count(root: Path, as_of: int, figure_versions: list[int]) -> int:
    """How many of the figure versions the latest usable milestone checkpoint at or before as_of covers."""
    for v in reversed(listed(root)):
        if v > as_of:
            continue
        info = meta(root, v)
        if info and info.get("milestone", True) and info.get("figure_versions") == [f for f in figure_versions if f <= v]:
            return len(info["figure_versions"])
    return 0


def prune(root: Path, latest: int) -> None:
    """Remove checkpoints before ``latest`` that are not milestones: the newest one and one every
    ``every()`` versions are kept (as-of reads of old versions start from a milestone)."""
    for v in listed(root):
        if v < latest:
            info = meta(root, v)
            if info is not None and not info.get("milestone", True):
                fs.rmtree(folder(root) / f"{v:06d}")


def write(root: Path, version: int, figure_versions: list[int], view: pa.Table, milestone: bool = True,
          cleared: list[int] | None = None) -> Path:
    """Write the view as of ``version`` (caller holds the checkpoint lock); returns its folder.
    ``cleared``: the versions up to it that hold a rollback's withdrawn fields (recorded, so a read
    need not look for them in every version)."""
    base = folder(root)
    base.mkdir(parents=True, exist_ok=True)
    final = base / f"{version:06d}"
    if isinstance(final, fs.FsPath):   # an object store: no rename; checkpoint.json, written last, publishes
        return final if (final / META).exists() else _write_objects(final, version, figure_versions, view, milestone)
    if final.exists():
        return final
    tmp = base / f"tmp-{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        pq.write_table(view, tmp / VIEW, row_group_size=ROW_GROUP, compression="zstd")
        data = (tmp / VIEW).read_bytes()
        info = {"version": version, "figure_versions": figure_versions, "rows": view.num_rows, "milestone": milestone,
                **({} if cleared is None else {"cleared_versions": [int(c) for c in cleared]}),
                "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                "time": datetime.now(UTC).isoformat(timespec="seconds")}
        del data
        with open(tmp / META, "w", encoding="utf-8") as fh:
            json.dump(info, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        with open(tmp / VIEW, "rb") as fh:
            os.fsync(fh.fileno())
        _before_rename(tmp)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def _info(version: int, figure_versions: list[int], view: pa.Table, milestone: bool, data: bytes) -> dict:
    return {"version": version, "figure_versions": figure_versions, "rows": view.num_rows, "milestone": milestone,
            "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "time": datetime.now(UTC).isoformat(timespec="seconds")}


def _write_objects(final: fs.FsPath, version: int, figure_versions: list[int], view: pa.Table,
                   milestone: bool) -> fs.FsPath:
    """A checkpoint on an object store: view.parquet, then checkpoint.json (``usable`` needs both, and
    the recorded size must match, so a writer that dies in between leaves nothing used)."""
    sink = pa.BufferOutputStream()
    pq.write_table(view, sink, row_group_size=ROW_GROUP, compression="zstd")
    data = sink.getvalue().to_pybytes()
    (final / VIEW).write_bytes(data)
    _before_rename(final)
    (final / META).write_bytes(json.dumps(_info(version, figure_versions, view, milestone, data), indent=2).encode())
    return final
