#!/usr/bin/env bash
# Install everything the tests need (Chromium and CJK fonts too, when root) and run the whole suite.
source "$(dirname "$0")/_venv.sh"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
.venv/bin/python -m pip install -q -r requirements-dev.txt
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
