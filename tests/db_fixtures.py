"""Databases for the tests: a fresh SQLite file, and a real PostgreSQL server.

PostgreSQL comes from ``$METRICS_TEST_PG`` (a SQLAlchemy URL of a maintenance database the tests may
create databases from), else ``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``.  Each test
session creates its own uniquely named database and drops it at the end, so suites running at the
same time never meet.  An unreachable server fails the PostgreSQL tests (they are never skipped
silently); ``scripts/test.sh`` installs and starts one when none runs.  ``METRICS_TEST_PG=off`` skips
them explicitly, for a developer without a server.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
KEEP = {"alembic_version", "roles"}


def pg_server_url() -> str:
    return os.environ.get("METRICS_TEST_PG", PG_DEFAULT)


@pytest.fixture(scope="session")
def pg_database():
    """A new, migrated PostgreSQL database for this test session (dropped afterwards)."""
    server = pg_server_url()
    if server.strip().lower() == "off":
        pytest.skip("METRICS_TEST_PG=off: PostgreSQL tests skipped on request")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"metrics_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any connection failure is reported as such
        pytest.fail(f"PostgreSQL at {make_url(server).render_as_string(hide_password=True)} is not usable "
                    f"({type(exc).__name__}: {exc}); run scripts/test.sh (it starts one) or set METRICS_TEST_PG")
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    from metrics.db import engine as db_engine

    db_engine.upgrade(url)
    yield url
    db_engine.dispose(url)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """One migrated SQLite file, copied for each test (migrating every time would be slow)."""
    from metrics.db import engine as db_engine

    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    url = f"sqlite:///{path}"
    db_engine.upgrade(url)
    db_engine.dispose(url)
    return path


def _empty_pg(url: str) -> None:
    """Every table emptied (roles reseeded), so each test starts from a new database."""
    from metrics.access import DEFAULT_ROLES
    from metrics.db.engine import engine_for

    engine = engine_for(url)
    with engine.begin() as conn:
        tables = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))]
        emptied = [t for t in tables if t not in KEEP]
        if emptied:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in emptied) + " RESTART IDENTITY CASCADE"))
        conn.execute(text("DELETE FROM roles WHERE name NOT IN (SELECT role FROM users)"))
        from metrics.db.models import Role

        for name, (zh, en, perms, scoped) in DEFAULT_ROLES.items():
            conn.execute(Role.__table__.delete().where(Role.name == name))
            conn.execute(Role.__table__.insert().values(name=name, label_zh=zh, label_en=en, permissions=perms,
                                                        unit_scoped=scoped))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path, sqlite_template):
    """A migrated, empty database: each test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "people.sqlite3"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
        from metrics.db import engine as db_engine

        db_engine._upgraded.add(url)  # copied from a migrated template
        yield url
        db_engine.dispose(url)
        return
    url = request.getfixturevalue("pg_database")
    _empty_pg(url)
    yield url
