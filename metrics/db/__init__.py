"""The database for everything people write: ledger, tasks, meetings, users, roles, audit.

Why SQL beside the Parquet store: figures are immutable versions read whole, but what people write
is many small rows changed one at a time by several people at once, with transactions, constraints
and an audit trail.  SQLAlchemy keeps one code path for the embedded default (a SQLite file beside
the store: nothing to install) and for PostgreSQL (``METRICS_DB=postgresql+psycopg://…``); Alembic
migrations create and upgrade the schema, automatically on first use.
"""

from metrics.db.base import Base
from metrics.db.engine import database_url, engine_for, session_scope, upgrade

__all__ = ["Base", "database_url", "engine_for", "session_scope", "upgrade"]
