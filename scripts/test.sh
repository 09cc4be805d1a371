#!/usr/bin/env bash
# Install everything the tests need (Chromium, CJK fonts and nginx too, when root) and run the whole suite.
# Documents are looked at as pictures: pdftoppm (poppler-utils) for PDFs, LibreOffice for Word and
# PowerPoint files (tests only: the bulletin never needs LibreOffice at run time).
source "$(dirname "$0")/_venv.sh"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
  command -v pdftoppm >/dev/null || missing+=(poppler-utils)
  command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui libreoffice-impress-nogui)
  [ -x /usr/sbin/nginx ] || missing+=(nginx-light)   # the replica tests' load balancer (deploy/nginx.conf.template)
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
.venv/bin/python -m pip install -q -r requirements-dev.txt
# PostgreSQL for the database tests: $METRICS_TEST_PG, else the local server; as root, install and start
# Debian's postgresql when none answers (METRICS_TEST_PG=off skips those tests on purpose).
if [ "${METRICS_TEST_PG:-}" != off ] && ! .venv/bin/python scripts/pg_check.py; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    command -v pg_ctlcluster >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }
    pgver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
    [ -n "$pgver" ] || { pgver=$(ls /usr/lib/postgresql | sort -V | tail -n 1); pg_createcluster "$pgver" main >/dev/null; }
    pg_ctlcluster --skip-systemctl-redirect "$pgver" main start 2>/dev/null || true
    for _ in $(seq 30); do su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1 && break; sleep 1; done
    su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'metrics-test'\"" >/dev/null
    export METRICS_TEST_PG="postgresql+psycopg://postgres:metrics-test@127.0.0.1:5432/postgres"
    .venv/bin/python scripts/pg_check.py || { echo "PostgreSQL could not be started" >&2; exit 1; }
  else
    echo "No PostgreSQL answers and this is not root: the PostgreSQL tests will fail (set METRICS_TEST_PG)." >&2
  fi
fi
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
