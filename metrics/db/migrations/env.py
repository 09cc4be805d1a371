"""Alembic environment: runs the migrations on the engine ``metrics.db.engine.upgrade`` hands over.

Two processes starting on an empty database (the dashboard and a CLI import, two replicas) must not
both create the tables: PostgreSQL takes a transaction-level advisory lock, SQLite a file lock.
"""

from __future__ import annotations

from contextlib import nullcontext

from alembic import context
from filelock import FileLock
from sqlalchemy import text

from metrics.db import models  # noqa: F401  (registers every table on Base.metadata)
from metrics.db.base import Base

ADVISORY_KEY = 7_110_245_301  # any constant: "云绩效 schema migration"

engine = context.config.attributes["engine"]


def _file_lock():
    database = engine.url.database
    if engine.url.get_backend_name() == "sqlite" and database and database != ":memory:":
        return FileLock(database + ".migrate.lock", timeout=120)
    return nullcontext()


with _file_lock(), engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                      transaction_per_migration=False)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_KEY})
        context.run_migrations()
