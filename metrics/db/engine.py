"""Which database, one engine per URL, transactions, and the schema brought up to date on first use.

``METRICS_DB`` (any SQLAlchemy URL) wins; otherwise a SQLite file beside the figure store
(``data/store`` → ``data/store.sqlite3``), so the embedded default needs nothing installed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

_engines: dict[str, Engine] = {}
_makers: dict[str, sessionmaker] = {}
_upgraded: set[str] = set()
_lock = threading.Lock()
_upgrade_lock = threading.RLock()


def database_url(store_root: Path | str | None = None) -> str:
    """``$METRICS_DB``, else ``sqlite:///<store folder>.sqlite3`` beside the given (or default) store."""
    env = os.environ.get("METRICS_DB", "").strip()
    if env:
        return env
    if store_root is None or "://" in str(store_root):
        from metrics.store import default_store_dir

        store_root = default_store_dir() if store_root is None else None
        if store_root is None:
            raise ValueError("a store on object storage needs METRICS_DB (a PostgreSQL URL)")
    root = Path(store_root).expanduser().resolve()
    return f"sqlite:///{root.parent / (root.name + '.sqlite3')}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def engine_for(url: str) -> Engine:
    """One engine per URL for the life of the process (pools connections; safe across threads)."""
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            parsed = make_url(url)
            if parsed.get_backend_name() == "sqlite":
                if parsed.database and parsed.database != ":memory:":
                    Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
                engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
                event.listen(engine, "connect", _sqlite_pragmas)
            else:
                engine = create_engine(url, pool_pre_ping=True)
            _engines[url] = engine
            _makers[url] = sessionmaker(engine, expire_on_commit=False)
        return engine


def upgrade(url: str, force: bool = False) -> list[str]:
    """Bring the schema to the newest migration (idempotent); returns the revisions now current.

    Runs once per URL and process unless ``force``; concurrent processes are serialised by the
    migration environment (a file lock for SQLite, an advisory lock for PostgreSQL).
    """
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext

    engine = engine_for(url)
    if url in _upgraded and not force:
        with engine.connect() as conn:
            return sorted(MigrationContext.configure(conn).get_current_heads())
    with _upgrade_lock:   # Alembic's context is process-global: two threads (a page run and /healthz) must
        if url not in _upgraded or force:   # not migrate at once (they deadlock on the advisory lock)
            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS))
            cfg.attributes["engine"] = engine
            command.upgrade(cfg, "heads")
            _upgraded.add(url)
    with engine.connect() as conn:
        return sorted(MigrationContext.configure(conn).get_current_heads())


def session_factory(url: str) -> sessionmaker:
    """Sessions on an up-to-date schema (migrated on first use)."""
    if url not in _upgraded:
        upgrade(url)
    engine_for(url)
    return _makers[url]


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back if it raises."""
    session = session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def dispose(url: str | None = None) -> None:
    """Close pooled connections (tests dropping a database; a replica shutting down)."""
    with _lock:
        for key in [url] if url else list(_engines):
            engine = _engines.pop(key, None)
            _makers.pop(key, None)
            _upgraded.discard(key)
            if engine is not None:
                engine.dispose()
