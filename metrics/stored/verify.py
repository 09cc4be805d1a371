"""Proving a store intact: every file's SHA-256 against its manifest, every Parquet file read, the
version chain unbroken, every checkpoint equal to a rebuild from the versions.

The result is also written to ``verify.json`` in the store (the 数据 page shows the last one).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from metrics.stored import checkpoints, columnar, fs

RESULT = "verify.json"
PARQUET = ("figures.parquet", "units.parquet", "indicators.parquet")


@dataclass
class Finding:
    """One thing wrong: which version (or checkpoint), which file, what."""

    version: int
    file: str
    problem: str          # mismatch | missing | unreadable | chain | checkpoint
    detail: str = ""
    checkpoint: bool = False

    def render(self, lang: str = "zh") -> str:
        words = {"mismatch": ("SHA-256 与清单不符", "SHA-256 differs from the manifest"),
                 "missing": ("文件缺失", "file missing"), "unreadable": ("无法读取", "unreadable"),
                 "chain": ("版本链断裂", "version chain broken"),
                 "checkpoint": ("检查点与重建结果不同", "checkpoint differs from a rebuild")}[self.problem]
        where = (f"检查点 {self.version}" if self.checkpoint else f"版本 {self.version}") if lang != "en" else \
            (f"checkpoint {self.version}" if self.checkpoint else f"version {self.version}")
        text = f"{where} · {self.file}：{words[0]}" if lang != "en" else f"{where} · {self.file}: {words[1]}"
        return text + (f"（{self.detail}）" if self.detail and lang != "en" else f" ({self.detail})" if self.detail else "")


@dataclass
class Report:
    ok: bool
    versions: int
    files: int
    checkpoints: int
    findings: list[Finding] = field(default_factory=list)
    time: str = ""
    latest: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def _location(root: Path | str | fs.FsPath) -> Path | fs.FsPath:
    if isinstance(root, fs.FsPath):
        return root
    return fs.from_uri(root) if fs.is_uri(root) else Path(root)


def _sha(path: Path | fs.FsPath) -> str:
    h = hashlib.sha256()
    with (path.fs.open_input_stream(path.path) if isinstance(path, fs.FsPath) else open(path, "rb")) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check_version(vdir: Path, number: int, findings: list[Finding]) -> tuple[int, str | None]:
    """Checks one version folder; returns (files checked, kind)."""
    try:
        manifest = json.loads((vdir / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        findings.append(Finding(number, "manifest.json", "missing"))
        return 0, None
    except (OSError, ValueError) as exc:
        findings.append(Finding(number, "manifest.json", "unreadable", type(exc).__name__))
        return 0, None
    if manifest.get("version") != number:
        findings.append(Finding(number, "manifest.json", "chain", f"manifest says {manifest.get('version')}"))
    kind = manifest.get("kind")
    expected: dict[str, str | None] = dict(manifest.get("files") or {})
    original = f"original/{manifest.get('file_name', '')}"
    expected.setdefault(original, manifest.get("sha256"))
    for name in ("figures.parquet",) if kind == "figures" else ("units.parquet", "indicators.parquet"):
        expected.setdefault(name, None)   # older versions: no hash recorded, still read
    checked = 0
    for name, sha in sorted(expected.items()):
        path = vdir / name
        if not path.is_file():
            findings.append(Finding(number, name, "missing"))
            continue
        checked += 1
        if sha is not None and _sha(path) != sha:
            findings.append(Finding(number, name, "mismatch"))
            continue
        if name in PARQUET:
            try:
                pq.read_table(**fs.parquet_source(path))
            except (pa.ArrowException, OSError) as exc:
                findings.append(Finding(number, name, "unreadable", str(exc)[:200]))
    return checked, kind


def _same(a: pa.Table, b: pa.Table) -> bool:
    return columnar.to_pandas(a).equals(columnar.to_pandas(b))


def _check_checkpoints(root: Path, figure_versions: list[int], findings: list[Finding]) -> int:
    """Each checkpoint against a rebuild from the versions (one pass, oldest first)."""
    listed = checkpoints.listed(root)
    if not listed:
        return 0
    view, done = None, 0
    for cp in listed:
        info = checkpoints.meta(root, cp)
        path = checkpoints.path(root, cp)
        name = f"{checkpoints.DIR}/{cp:06d}/{checkpoints.VIEW}"
        if info is None or not path.is_file():
            findings.append(Finding(cp, name, "missing", checkpoint=True))
            continue
        if _sha(path) != info.get("sha256"):
            findings.append(Finding(cp, name, "mismatch", checkpoint=True))
            continue
        try:
            stored = columnar._conform(columnar.read_parquet(path, columnar.FIGURE_COLUMNS), columnar.VIEW_SCHEMA)
        except (pa.ArrowException, OSError, ValueError) as exc:
            findings.append(Finding(cp, name, "unreadable", str(exc)[:200], checkpoint=True))
            continue
        wanted = [v for v in figure_versions if v <= cp]
        if info.get("figure_versions") != wanted:
            continue   # the store's versions changed under it: the read path ignores it too
        tail = []
        for v in wanted[done:]:
            facts = columnar.read_parquet(root / "versions" / f"{v:06d}" / "figures.parquet", columnar.FACT_COLUMNS)
            tail.append(columnar.facts_to_view(facts, v))
        view = columnar.merge(([view] if view is not None else []) + tail)
        done = len(wanted)
        if not _same(stored, view):
            findings.append(Finding(cp, name, "checkpoint", checkpoint=True))
    return len(listed)


def verify(root: Path | str | fs.FsPath, write_result: bool = True) -> Report:
    """Check the whole store (a folder or ``s3://…``); with ``write_result`` the outcome is kept in
    ``verify.json``.  The versions are the published ones: the folders, or the rows committed in
    PostgreSQL (files of a writer that died before its commit are not a version)."""
    from metrics.store import Store

    root = _location(root)
    findings: list[Finding] = []
    numbers = Store(root).sequence.numbers()
    for expected, number in enumerate(numbers, start=1):
        if number != expected:
            findings.append(Finding(number, f"versions/{number:06d}", "chain", f"expected version {expected}"))
            break
    files, figure_versions = 0, []
    for number in numbers:
        checked, kind = _check_version(root / "versions" / f"{number:06d}", number, findings)
        files += checked
        if kind == "figures":
            figure_versions.append(number)
    n_cp = 0
    if not findings:   # a rebuild needs intact versions
        try:
            n_cp = _check_checkpoints(root, figure_versions, findings)
        except (pa.ArrowException, OSError, ValueError) as exc:
            findings.append(Finding(0, checkpoints.DIR, "unreadable", str(exc)[:200], checkpoint=True))
    report = Report(ok=not findings, versions=len(numbers), files=files, checkpoints=n_cp, findings=findings,
                    time=datetime.now(UTC).isoformat(timespec="seconds"), latest=numbers[-1] if numbers else 0)
    if write_result and isinstance(root, fs.FsPath):
        (root / RESULT).write_bytes(json.dumps(report.to_dict(), ensure_ascii=False, indent=2).encode("utf-8"))
    elif write_result and root.is_dir():
        tmp = root / f".{RESULT}.tmp"
        tmp.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, root / RESULT)
    return report


def last_result(root: Path | str) -> dict | None:
    """The last verification's outcome (what ``verify`` wrote), None when the store was never verified."""
    try:
        return json.loads((_location(root) / RESULT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
