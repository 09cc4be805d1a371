"""Where the store's files live: a local folder (``pathlib.Path``) or an object store (``FsPath``).

Why: replicas on several machines share one S3-compatible bucket (``METRICS_STORE=s3://bucket/prefix``).
``FsPath`` is a ``pyarrow.fs`` FileSystem plus a path in it, with the few ``pathlib.Path`` methods the
store uses (``/``, ``exists``, ``read_bytes``, ``stat`` …), so the store's code reads the same for a
folder and a bucket.  The local default stays a plain ``Path`` (fsync, atomic rename, file lock);
the helpers below (``listdir``, ``rmtree``, ``parquet_source`` …) take either.

Endpoint, keys and region come from the environment (``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_REGION``) or from ``[s3]`` in ``.streamlit/secrets.toml``
(``endpoint_url``, ``access_key_id``, ``secret_access_key``, ``region``); the environment wins.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

SECRETS = Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.toml"
_BUCKETS: set[str] = set()
_ENV = {"endpoint_url": "AWS_ENDPOINT_URL", "access_key_id": "AWS_ACCESS_KEY_ID",
        "secret_access_key": "AWS_SECRET_ACCESS_KEY", "region": "AWS_REGION"}


def is_uri(root: Any) -> bool:
    """True for ``s3://…`` (an object store), False for a local folder."""
    return isinstance(root, FsPath) or (isinstance(root, str) and "://" in root)


def s3_settings() -> dict[str, str]:
    """The S3 connection: environment first, then ``[s3]`` of .streamlit/secrets.toml."""
    found: dict[str, str] = {}
    try:
        with open(os.environ.get("METRICS_SECRETS", SECRETS), "rb") as fh:
            section = tomllib.load(fh).get("s3", {})
        found.update({k: str(v) for k, v in section.items() if k in _ENV})
    except (OSError, tomllib.TOMLDecodeError):
        pass
    for key, env in _ENV.items():
        if os.environ.get(env):
            found[key] = os.environ[env]
    if "region" not in found and os.environ.get("AWS_DEFAULT_REGION"):
        found["region"] = os.environ["AWS_DEFAULT_REGION"]
    return found


@lru_cache(maxsize=8)
def _s3(endpoint: str, key: str, secret: str, region: str) -> pafs.S3FileSystem:
    kwargs: dict[str, Any] = {"region": region or "us-east-1", "allow_bucket_creation": True,
                              "connect_timeout": 5, "request_timeout": 60}
    if key:
        kwargs.update(access_key=key, secret_key=secret)
    if endpoint:
        parsed = urlparse(endpoint if "://" in endpoint else f"https://{endpoint}")
        kwargs.update(endpoint_override=parsed.netloc, scheme=parsed.scheme or "https")
    return pafs.S3FileSystem(**kwargs)


def from_uri(uri: str) -> FsPath:
    """``s3://bucket/prefix`` as an FsPath (the bucket is created when missing)."""
    parsed = urlparse(uri)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise ValueError(f"unsupported store address {uri!r}: use a folder or s3://bucket/prefix")
    conf = s3_settings()
    fs = _s3(conf.get("endpoint_url", ""), conf.get("access_key_id", ""), conf.get("secret_access_key", ""),
             conf.get("region", ""))
    if parsed.netloc not in _BUCKETS:
        try:
            if fs.get_file_info(parsed.netloc).type == pafs.FileType.NotFound:
                fs.create_dir(parsed.netloc)
        except (OSError, pa.ArrowException):
            pass   # no right to list or create: the first write says what is wrong
        _BUCKETS.add(parsed.netloc)
    return FsPath(fs, f"{parsed.netloc}/{parsed.path.strip('/')}".rstrip("/"), "s3")


_STATS: dict[str, Stat] = {}


@dataclass(frozen=True)
class Stat:
    """What ``Path.stat()`` gives the store: identity (versions are immutable) and size."""

    st_ino: int
    st_mtime_ns: int
    st_size: int


class FsPath:
    """A path inside a ``pyarrow.fs`` FileSystem, with the subset of ``pathlib.Path`` the store uses.

    Objects have no folders: a "folder" exists when something is stored under it."""

    def __init__(self, fs: pafs.FileSystem, path: str, scheme: str) -> None:
        self.fs, self.path, self.scheme = fs, path.rstrip("/"), scheme

    def __truediv__(self, name: str) -> FsPath:
        return FsPath(self.fs, f"{self.path}/{name}", self.scheme)

    def __str__(self) -> str:
        return f"{self.scheme}://{self.path}"

    def __repr__(self) -> str:
        return f"FsPath({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FsPath) and str(other) == str(self)

    def __hash__(self) -> int:
        return hash(str(self))

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def parent(self) -> FsPath:
        return FsPath(self.fs, self.path.rsplit("/", 1)[0], self.scheme)

    def resolve(self) -> FsPath:
        return self

    def expanduser(self) -> FsPath:
        return self

    def _info(self) -> pafs.FileInfo:
        return self.fs.get_file_info(self.path)

    def exists(self) -> bool:
        """A file, or a "folder" (pyarrow's S3 file system says Directory when keys lie under it)."""
        return self._info().type != pafs.FileType.NotFound

    def is_file(self) -> bool:
        return self._info().type == pafs.FileType.File

    def is_dir(self) -> bool:
        return self._info().type == pafs.FileType.Directory

    def is_symlink(self) -> bool:
        return False

    def stat(self) -> Stat:
        """A file's size and time; remembered for files inside a version (committed versions never
        change, so a page run does not send one request per version)."""
        key = str(self)
        found = _STATS.get(key)
        if found is not None:
            return found
        info = self._info()
        if info.type != pafs.FileType.File:
            raise FileNotFoundError(key)
        found = Stat(0, int(info.mtime_ns or 0), int(info.size or 0))
        if "/versions/" in key and len(_STATS) < 100_000:
            _STATS[key] = found
        return found

    def read_bytes(self) -> bytes:
        try:
            with self.fs.open_input_stream(self.path) as fh:
                return fh.read()
        except (OSError, pa.ArrowException) as exc:
            raise FileNotFoundError(f"{self}: {exc}") from None

    def read_text(self, encoding: str = "utf-8") -> str:
        return self.read_bytes().decode(encoding)

    def write_bytes(self, data: bytes) -> None:
        with self.fs.open_output_stream(self.path) as fh:
            fh.write(data)

    def mkdir(self, parents: bool = False, exist_ok: bool = False) -> None:
        """Nothing to make: an object's key carries its folders."""

    def iterdir(self) -> list[FsPath]:
        return [self / name for name in listdir(self)]

    def unlink(self, missing_ok: bool = False) -> None:
        try:
            self.fs.delete_file(self.path)
        except (OSError, pa.ArrowException):
            if not missing_ok:
                raise


def listdir(path: Path | FsPath) -> list[str]:
    """Names directly under a folder (FileNotFoundError when there is none), like ``os.listdir``."""
    if isinstance(path, FsPath):
        infos = path.fs.get_file_info(pafs.FileSelector(path.path, allow_not_found=True))
        if not infos:
            raise FileNotFoundError(str(path))
        return [info.base_name for info in infos]
    return os.listdir(path)


def rmtree(path: Path | FsPath) -> None:
    """Remove a folder and everything in it; a missing one is fine."""
    if isinstance(path, FsPath):
        try:
            path.fs.delete_dir_contents(path.path, missing_dir_ok=True)
            path.fs.delete_dir(path.path)
        except (OSError, pa.ArrowException):
            pass
        return
    shutil.rmtree(path, ignore_errors=True)


def parquet_source(path: Path | FsPath) -> dict[str, Any]:
    """Keyword arguments for ``pq.read_table`` / ``pq.ParquetFile`` reading this file."""
    if isinstance(path, FsPath):
        return {"source": path.path, "filesystem": path.fs}
    return {"source": path}


def write_parquet(table: pa.Table, path: Path | FsPath, **kwargs: Any) -> None:
    """``pq.write_table`` to a local file or an object."""
    if isinstance(path, FsPath):
        pq.write_table(table, path.path, filesystem=path.fs, **kwargs)
    else:
        pq.write_table(table, path, **kwargs)
