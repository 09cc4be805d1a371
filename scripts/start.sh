#!/usr/bin/env bash
# Install into .venv, import the demo data when the store is empty, start the dashboard on :8501.
source "$(dirname "$0")/_venv.sh"
.venv/bin/python -m pip install -q -r requirements.txt
if [ "$(.venv/bin/python -c 'from metrics.store import Store; print(Store().latest_version())')" = 0 ]; then
  echo "导入演示数据 / importing the synthetic demo data …"
  .venv/bin/python -m metrics import data/demo/*.xlsx data/demo/*.xls data/demo/*.csv --user demo >/dev/null
  # 加扣分事项 go into the database as the server's operator (an events workbook needs an administrator)
  .venv/bin/python -m metrics import data/demo/events/*.xlsx >/dev/null
  .venv/bin/python -m metrics versions | tail -n 3
fi
exec .venv/bin/streamlit run dashboard.py --server.port 8501 --server.headless true "$@"
