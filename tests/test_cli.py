"""python -m metrics import / versions, as a clerk runs them."""

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import tree_digest
from factories import write_catalog, write_xlsx

ROOT = Path(__file__).resolve().parents[1]


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "metrics", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_import_summary_and_versions(tmp_path):
    store = str(tmp_path / "s")
    cat = write_catalog(tmp_path / "目录.xlsx")
    fig = write_xlsx(tmp_path / "q3.xlsx", [["2021Q3", "衡阳县", "GDP", 400, None, 310, None],
                                            ["2021Q3", "衡南县", "GDP", 380, None, 300, None]])
    # the catalog is imported first even when named after the figures
    done = run("import", str(fig), str(cat), "--store", store)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已导入 目录.xlsx → 版本 1" in done.stdout and "已导入 q3.xlsx → 版本 2" in done.stdout
    assert "行数 2，单位 2 个，指标 1 个，期间 2021Q3" in done.stdout
    again = run("import", str(fig), "--store", store)
    assert again.returncode == 0 and "未新增版本" in again.stdout
    listed = run("versions", "--store", store)
    assert "（服务器操作员）" in listed.stdout and "q3.xlsx" in listed.stdout and "目录.xlsx" in listed.stdout


def test_refusal_exit_code_and_store_untouched(tmp_path):
    store = tmp_path / "s"
    assert run("import", str(write_catalog(tmp_path / "c.xlsx")), "--store", str(store)).returncode == 0
    before = tree_digest(store)
    bad = write_xlsx(tmp_path / "bad.xlsx", [["2021Q3", "衡阳新区", "GDP", 1, None, 1, None]])
    done = run("import", str(bad), "--store", str(store))
    assert done.returncode == 1
    assert "拒绝导入 bad.xlsx" in done.stdout and "第 2 行，B 列（单位）：“衡阳新区”：未知单位" in done.stdout
    english = run("import", str(bad), "--store", str(store), "--lang", "en")
    assert "refused bad.xlsx" in english.stdout and "row 2, column B" in english.stdout
    assert tree_digest(store) == before


def test_store_from_environment_dry_run_and_json(tmp_path):
    store = tmp_path / "env-store"
    env = {"METRICS_STORE": str(store)}
    assert run("import", str(write_catalog(tmp_path / "c.xlsx")), env=env).returncode == 0
    fig = write_xlsx(tmp_path / "f.xlsx", [["2021年1-6月", "衡阳县", "GDP", 400, None, 190, None]])
    dry = run("import", str(fig), "--dry-run", env=env)
    assert dry.returncode == 0 and "试运行" in dry.stdout
    out = run("import", str(fig), "--json", env=env)
    data = json.loads(out.stdout)
    assert data["files"][0]["status"] == "imported" and data["files"][0]["version"] == 2
    assert data["files"][0]["rows_per_period"] == {"2021Q2": 1}


def test_period_option(tmp_path):
    store = str(tmp_path / "s")
    run("import", str(write_catalog(tmp_path / "c.xlsx")), "--store", store)
    fig = write_xlsx(tmp_path / "f.xlsx", [["衡阳县", "GDP", 400, 95]], header=["单位", "指标", "目标值", "完成值"])
    done = run("import", str(fig), "--store", store, "--period", "2021年一季度")
    assert done.returncode == 0 and "期间 2021Q1" in done.stdout
