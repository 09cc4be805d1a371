"""Evidence files: stored once by their SHA-256 in a folder beside the figure store
(``data/store`` → ``data/store.evidence/ab/abcdef…``; ``s3://bucket/p`` → ``s3://bucket/p.evidence/ab/…``,
so every replica reads what another stored), any type, capped in size before it is read in full.
Identical files share one copy; the database keeps the name, size and hash."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from metrics.stored import fs as sfs
from metrics.supervision.states import Refused

CHUNK = 1 << 20


@dataclass(frozen=True)
class Stored:
    file_name: str
    sha256: str
    size: int


def evidence_dir(store_root: Path | str | sfs.FsPath) -> Path | sfs.FsPath:
    if sfs.is_uri(store_root):
        root = store_root if isinstance(store_root, sfs.FsPath) else sfs.from_uri(str(store_root))
    else:
        root = Path(store_root).expanduser().resolve()
    return root.parent / (root.name + ".evidence")


def _clean_name(name: str) -> str:
    base = os.path.basename(str(name).replace("\\", "/")).strip()
    base = "".join(ch for ch in base if ch.isprintable())
    return (base or "evidence")[:200]


def _read_capped(name: str, stream: BinaryIO | bytes, max_bytes: int) -> bytes:
    data = bytes(stream) if isinstance(stream, bytes | bytearray) else stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_big(name, len(data), max_bytes)
    return data


def _save_object(folder: sfs.FsPath, name: str, stream: BinaryIO | bytes, max_bytes: int) -> Stored:
    """On an object store: one PUT under the hash (atomic; an existing copy is kept as it is)."""
    data = _read_capped(name, stream, max_bytes)
    sha = hashlib.sha256(data).hexdigest()
    target = folder / sha[:2] / sha
    if not target.exists():
        target.write_bytes(data)
    return Stored(_clean_name(name), sha, len(data))


def save(folder: Path | sfs.FsPath, name: str, stream: BinaryIO | bytes, max_bytes: int) -> Stored:
    """Copy ``stream`` into the folder under its hash; refuses past ``max_bytes`` (nothing kept)."""
    if isinstance(folder, sfs.FsPath):
        return _save_object(folder, name, stream, max_bytes)
    folder.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    if isinstance(stream, bytes | bytearray):
        if len(stream) > max_bytes:
            raise _too_big(name, len(stream), max_bytes)
        data = bytes(stream)
        digest.update(data)
        size = len(data)
        chunks = [data]
    else:
        chunks = []
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            if chunks:
                out.write(chunks[0])
            else:
                while block := stream.read(CHUNK):
                    size += len(block)
                    if size > max_bytes:
                        raise _too_big(name, size, max_bytes)
                    digest.update(block)
                    out.write(block)
        sha = digest.hexdigest()
        target = folder / sha[:2] / sha
        target.parent.mkdir(exist_ok=True)
        if target.exists():
            os.unlink(tmp)
        else:
            os.replace(tmp, target)
        return Stored(_clean_name(name), sha, size)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def path_of(folder: Path | sfs.FsPath, sha256: str) -> Path | sfs.FsPath:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256")
    return folder / sha256[:2] / sha256


def _too_big(name: str, size: int, cap: int) -> Refused:
    mb = cap / (1 << 20)
    return Refused(f"佐证文件“{_clean_name(name)}”超过上限 {mb:g} MB（supervision.evidence_max_mb）",
                   f"evidence file “{_clean_name(name)}” is over the limit of {mb:g} MB (supervision.evidence_max_mb)")
