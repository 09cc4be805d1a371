"""The supervision commands end to end on a store with a catalog: ledger import/list/move/export,
tasks import/list, meeting new/agenda/minutes; --user is checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from supervision_factories import write_problem_list, write_task_list

from metrics import users
from metrics.access import Actor
from metrics.db import database_url

ROOT = Path(__file__).resolve().parents[1]


def cli(store, *args, ok=True):
    proc = subprocess.run([sys.executable, "-m", "metrics", *args, "--store", str(store.root)], cwd=ROOT,
                          capture_output=True, text=True)
    if ok:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_ledger_tasks_and_meeting_commands(store, tmp_path):
    url = database_url(store.root)
    users.add_user(url, Actor.cli_operator(), "tb", "reporter", units=["430422"], password="Demo-pass-2021!")
    cli(store, "ledger", "import", str(write_problem_list(tmp_path / "问题清单.xlsx")), "--date", "2021-04-06")
    listed = json.loads(cli(store, "ledger", "list", "--json", "--date", "2021-04-06").stdout)
    assert [(r["code"], r["unit_name"], r["status"], r["deadline"]) for r in listed] == [
        ("DC-2021-0001", "衡阳县", "挂账", "2021-06-30"), ("DC-2021-0002", "衡南县", "挂账", "2021-06-30")]
    refused = cli(store, "ledger", "move", "DC-2021-0001", "--move", "start", "--user", "tb", ok=False)
    assert refused.returncode == 3 and "衡阳县" not in refused.stdout
    cli(store, "ledger", "move", "DC-2021-0002", "--move", "start", "--user", "tb")
    evidence = tmp_path / "整改报告.txt"
    evidence.write_text("已完成", encoding="utf-8")
    cli(store, "ledger", "move", "DC-2021-0002", "--move", "apply", "--file", str(evidence), "--user", "tb")
    urged = cli(store, "ledger", "urge", "DC-2021-0001", "--text", "请抓紧").stdout
    assert "一次催办" in urged
    out = tmp_path / "台账.xlsx"
    cli(store, "ledger", "export", "--status", "申请销号", "--out", str(out))
    import openpyxl

    rows = list(openpyxl.load_workbook(out).active.values)
    assert rows[1][0] == "DC-2021-0002" and len(rows) == 2
    cli(store, "tasks", "import", str(write_task_list(tmp_path / "tasks.xlsx")))
    tasks = json.loads(cli(store, "tasks", "list", "--json", "--date", "2021-04-01").stdout)
    assert [(t["title"], t["light"]) for t in tasks] == [("巩固拓展脱贫攻坚成果", "红"), ("高标准农田建设", "绿")]
    mid = cli(store, "meeting", "new", "--date", "2021-07-05").stdout.strip().splitlines()[-1]
    agenda = json.loads(cli(store, "meeting", "agenda", mid, "--json").stdout)["agenda"]
    assert {x["code"] for x in agenda["overdue_items"]} == {"DC-2021-0001", "DC-2021-0002"}
    docx_path = tmp_path / "纪要.docx"
    cli(store, "meeting", "minutes", mid, "--out", str(docx_path))
    assert docx_path.stat().st_size > 5000
