"""Exit 0 when the PostgreSQL server the tests use ($METRICS_TEST_PG or the local default) answers."""

import os
import sys

from sqlalchemy import create_engine, text

url = os.environ.get("METRICS_TEST_PG") or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
try:
    with create_engine(url, connect_args={"connect_timeout": 3}).connect() as conn:
        conn.execute(text("SELECT 1"))
except Exception as exc:  # noqa: BLE001
    print(f"PostgreSQL not reachable: {type(exc).__name__}", file=sys.stderr)
    sys.exit(1)
