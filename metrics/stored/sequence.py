"""Who numbers versions and when a version becomes visible: the store's commit seam.

* ``FolderSequence`` (the single-machine default): the published version folders *are* the list;
  a file lock serialises writers, a version is written into ``tmp/<uuid>`` and renamed into place.
* ``DbSequence`` (``METRICS_DB`` is PostgreSQL): the table ``store_versions`` is the list.  A commit
  is one transaction that takes an advisory lock on the store, reads the highest number, writes the
  version's files under ``versions/NNNNNN/`` (a folder or an object store: no rename, no file lock)
  and inserts the row.  Until that transaction commits nobody sees the version; a writer that dies
  leaves only files under a number that the next writer clears and reuses.  Replicas on different
  machines therefore get distinct consecutive numbers and lose nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import text
from sqlalchemy.engine import make_url

from metrics.stored import fs

VERSIONS = "versions"
MARKER = "sequence.json"   # written by DbSequence before its first version: its folders are never adopted
TMP = "tmp"
MANIFEST = "manifest.json"
Hook = Callable[[Path | fs.FsPath], None]


def _fsync_dir(path: Path) -> None:
    """Make a rename or a new entry durable; not every platform lets a directory be opened."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_bytes(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def is_postgres(url: str) -> bool:
    try:
        return make_url(url).get_backend_name() == "postgresql"
    except Exception:  # noqa: BLE001 - an unparsable URL is not PostgreSQL
        return False


class FolderSequence:
    """Versions are the folders under versions/; a file lock; tmp + rename."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def numbers(self) -> list[int]:
        try:
            names = os.listdir(self.root / VERSIONS)
        except FileNotFoundError:
            return []
        return sorted(int(n) for n in names if len(n) >= 6 and n.isdigit())

    @contextmanager
    def lock(self, timeout: float) -> Iterator[None]:
        """Held while a writer reads the latest version, compares and publishes (Timeout when busy)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.root / ".lock"), timeout=timeout):
            self._clean_tmp()
            yield

    def checkpoint_lock(self) -> FileLock:
        return FileLock(str(self.root / ".checkpoint.lock"), timeout=0)

    def _clean_tmp(self) -> None:
        """Remove leftovers of crashed commits; safe because only the lock holder writes in tmp/."""
        tmp = self.root / TMP
        if not tmp.exists():
            return
        for entry in tmp.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)

    def publish(self, version: int, files: dict[str, bytes], before: Hook) -> None:
        """Write into tmp/, fsync, and rename into versions/ (the commit point).  Lock held."""
        from metrics.store import StoreError

        tmp_root = self.root / TMP
        tmp_root.mkdir(parents=True, exist_ok=True)
        (self.root / VERSIONS).mkdir(parents=True, exist_ok=True)
        tmp = tmp_root / uuid.uuid4().hex
        tmp.mkdir()
        try:
            for name, data in files.items():
                (tmp / name).parent.mkdir(parents=True, exist_ok=True)
                _write_bytes(tmp / name, data)
            for sub in {(tmp / n).parent for n in files}:
                _fsync_dir(sub)
            before(tmp)
            try:
                os.rename(tmp, self.root / VERSIONS / f"{version:06d}")
            except OSError as exc:
                raise StoreError(f"could not publish version {version}: {exc}") from exc
            _fsync_dir(self.root / VERSIONS)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


class DbSequence:
    """Versions are rows of ``store_versions`` in PostgreSQL; the commit is that row's transaction."""

    def __init__(self, root: Path | fs.FsPath, url: str) -> None:
        self.root, self.url, self.key = root, url, str(root)
        self._held = threading.local()

    def _engine(self):
        from metrics.db.engine import engine_for, session_factory

        session_factory(self.url)   # the schema (store_versions) brought up to date on first use
        return engine_for(self.url)

    def numbers(self) -> list[int]:
        conn = getattr(self._held, "conn", None)
        query = text("SELECT version FROM store_versions WHERE store = :s ORDER BY version")
        if conn is not None:
            return [int(r[0]) for r in conn.execute(query, {"s": self.key})]
        with self._engine().connect() as c:
            found = [int(r[0]) for r in c.execute(query, {"s": self.key})]
        if not found and self._folders() and not (self.root / MARKER).exists():
            return self._adopt()
        return found

    def latest(self) -> int:
        """The highest committed number: the cheap query every replica runs on each page run."""
        with self._engine().connect() as c:
            value = c.execute(text("SELECT max(version) FROM store_versions WHERE store = :s"), {"s": self.key}).scalar()
        return int(value) if value is not None else (self.numbers()[-1:] or [0])[0]

    def _folders(self) -> list[int]:
        try:
            names = fs.listdir(self.root / VERSIONS)
        except FileNotFoundError:
            return []
        return sorted(int(n) for n in names if len(n) >= 6 and n.isdigit())

    def _adopt(self) -> list[int]:
        """A folder store moved onto PostgreSQL: its complete versions (manifest written last,
        checked against its own file list) are registered once, under the commit lock.  Never for a
        store written through PostgreSQL (its marker): there, a folder without a row is a dead write."""
        with self.lock(300.0):
            conn = self._held.conn
            if conn.execute(text("SELECT count(*) FROM store_versions WHERE store = :s"), {"s": self.key}).scalar():
                return self.numbers()
            for n in self._folders():
                vdir = self.root / VERSIONS / f"{n:06d}"
                try:
                    manifest = json.loads((vdir / MANIFEST).read_text(encoding="utf-8"))
                    if not all((vdir / name).exists() for name in manifest.get("files", {})):
                        break
                except (OSError, ValueError):
                    break
                self._insert(conn, n, manifest)
            return self.numbers()

    @contextmanager
    def lock(self, timeout: float) -> Iterator[None]:
        """One transaction holding the store's advisory lock; committed when the block ends."""
        with self._engine().connect() as conn:
            tx = conn.begin()
            try:
                conn.execute(text(f"SET LOCAL lock_timeout = '{int(timeout * 1000)}ms'"))
                try:
                    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": "metrics-store:" + self.key})
                except Exception as exc:  # noqa: BLE001 - lock_timeout: another replica holds it
                    raise Timeout(self.key) from exc
                self._held.conn = conn
                yield
                tx.commit()
            except BaseException:
                tx.rollback()
                raise
            finally:
                self._held.conn = None

    @contextmanager
    def checkpoint_lock(self) -> Iterator[None]:
        """A session advisory lock tried once: a checkpoint is optional, nobody waits for it."""
        with self._engine().connect() as conn:
            key = {"k": "metrics-checkpoint:" + self.key}
            if not conn.execute(text("SELECT pg_try_advisory_lock(hashtext(:k))"), key).scalar():
                raise Timeout(self.key)
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(hashtext(:k))"), key)
                conn.commit()

    def _insert(self, conn, version: int, manifest: dict) -> None:
        conn.execute(text("INSERT INTO store_versions (store, version, kind, sha256, committed_at) "
                          "VALUES (:s, :v, :k, :h, :t)"),
                     {"s": self.key, "v": version, "k": str(manifest.get("kind", "")),
                      "h": str(manifest.get("sha256", "")), "t": datetime.now(UTC)})

    def publish(self, version: int, files: dict[str, bytes], before: Hook) -> None:
        """Write the files under versions/NNNNNN/ (a dead writer's leftovers there cleared first), then
        insert the row; the lock's transaction commits it.  Lock held."""
        conn = self._held.conn
        marker = self.root / MARKER
        if not marker.exists():   # a first version that dies before its commit must not be adopted later
            data = json.dumps({"versions": "postgresql store_versions"}).encode()
            if isinstance(marker, Path):
                marker.parent.mkdir(parents=True, exist_ok=True)
                _write_bytes(marker, data)
            else:
                marker.write_bytes(data)
        vdir = self.root / VERSIONS / f"{version:06d}"
        fs.rmtree(vdir)
        for name, data in files.items():
            target = vdir / name
            if isinstance(target, Path):
                target.parent.mkdir(parents=True, exist_ok=True)
                _write_bytes(target, data)
            else:
                target.write_bytes(data)
        before(vdir)
        manifest = json.loads(files[MANIFEST].decode("utf-8"))
        self._insert(conn, version, manifest)


def for_store(root: Path | fs.FsPath) -> FolderSequence | DbSequence:
    """DbSequence when the store's database (METRICS_DB) is PostgreSQL, else the folder's own."""
    from metrics.db.engine import database_url

    url = database_url(root)
    if is_postgres(url):
        return DbSequence(root, url)
    if isinstance(root, fs.FsPath):
        raise ValueError("a store on object storage needs METRICS_DB (a PostgreSQL URL)")
    return FolderSequence(root)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
