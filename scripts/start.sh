#!/usr/bin/env bash
# Install into .venv, import the demo data when the store is empty, create the demo accounts (printed
# below; anonymous reading on), start the dashboard on :8501.
source "$(dirname "$0")/_venv.sh"
.venv/bin/python -m pip install -q -r requirements.txt
if [ "$(.venv/bin/python -c 'from metrics.store import Store; print(Store().latest_version())')" = 0 ]; then
  echo "导入演示数据 / importing the synthetic demo data …"
  # the figures, then the 2021 加扣分事项 (they go into the database; the operator may import them)
  .venv/bin/python data/demo/received/import_demo.py --store "${METRICS_STORE:-data/store}"
  .venv/bin/python -m metrics import data/demo/events/*.xlsx >/dev/null
  echo "加扣分事项已导入数据库（考核结果页使用）。"
fi
.venv/bin/python data/demo/accounts.py
.venv/bin/python data/demo/supervision.py   # the 督查台账, 任务清单 and 调度会 of the demo (once, synthetic)
exec .venv/bin/streamlit run server.py --server.port 8501 --server.headless true "$@"
