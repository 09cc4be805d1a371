"""``python -m metrics report``: a real store, the hand-computed cases, exact CSV columns, JSON, xlsx,
groups, as-of versions, provenance and schemes."""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from metrics import report
from metrics.compute import indicator_table, unit_table
from metrics.scheme import Scheme
from metrics.store import Store

ROOT = Path(__file__).resolve().parent.parent
NAN = float("nan")

IND_HEADER = ("period,unit_code,unit_name,group,indicator_code,indicator_name,kind,direction,target,milestone,"
              "actual,expected_progress,completion,attainment,gap_pp,status,rank,rank_of,score,weight")
UNIT_HEADER = "period,unit_code,unit_name,group,composite,rank,rank_of,rank_change,green,yellow,red,missing,no_target"


def catalog() -> tuple[pd.DataFrame, pd.DataFrame]:
    units = pd.DataFrame({
        "code": ["Z1", "Z2", "Z3", "X1", "X2"], "name": ["珠晖区", "雁峰区", "石鼓区", "耒阳市", "常宁市"],
        "type": ["县市区"] * 5, "group": ["城区", "城区", "城区", "县市", "县市"], "parent": [""] * 5,
        "aliases": [[], [], [], [], []],
    })
    rows = [
        ("INV", "固定资产投资", "amount", "higher", "亿元", 2.0, "ratio", np.nan),
        ("NRG", "能耗总量", "amount", "lower", "万吨标煤", 1.0, "ratio", np.nan),
        ("DEATH", "安全生产事故死亡人数", "amount", "lower", "人", 1.0, "ratio", np.nan),
        ("GDP", "GDP增速", "rate", "higher", "%", 3.0, "rank", np.nan),
        ("PM", "PM2.5浓度", "rate", "lower", "μg/m³", 1.0, "rank", np.nan),
    ]
    indicators = pd.DataFrame({
        "code": [r[0] for r in rows], "name": [r[1] for r in rows], "category": "经济",
        "measure": [r[4] for r in rows], "kind": [r[2] for r in rows], "direction": [r[3] for r in rows],
        "weight": [r[5] for r in rows], "scoring": [r[6] for r in rows], "frequency": "quarter",
        "lead": "市发改委", "applies_to": [["县市区"] for _ in rows], "aliases": [[] for _ in rows],
        "band": [r[7] for r in rows], "additive": [r[2] == "amount" for r in rows],
    })
    return units, indicators


def facts(rows: list[tuple], file: str) -> pd.DataFrame:
    """rows: (period, date, unit, indicator, target, milestone, actual); Excel rows from 3."""
    frame = pd.DataFrame(rows, columns=["period", "date", "unit_code", "indicator_code", "target", "milestone",
                                        "actual"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["note"] = None
    frame["source_file"] = file
    frame["sheet"] = "主要指标"
    frame["row"] = np.arange(3, 3 + len(frame))
    return frame


Q1, Q3, Q4 = "2021-03-31", "2021-09-30", "2020-12-31"
V2 = [  # hand-computed cases (see tests/test_compute.py for the arithmetic)
    ("2021Q1", Q1, "Z1", "INV", 100, NAN, 20), ("2021Q1", Q1, "Z2", "INV", 120, NAN, 30),
    ("2021Q3", Q3, "Z1", "INV", NAN, NAN, 75),          # target 100 carried from Q1 -> 1.0 green
    ("2021Q3", Q3, "Z2", "INV", NAN, 100, 90),          # milestone: e = 100/120, att 0.9 -> yellow
    ("2021Q3", Q3, "Z3", "INV", 0, NAN, 10),            # zero target, higher: no_target
    ("2021Q3", Q3, "X1", "INV", 100, NAN, 60),          # 0.8 red
    ("2021Q3", Q3, "X2", "INV", 100, NAN, NAN),         # blank actual: missing
    ("2021Q3", Q3, "Z1", "NRG", 100, NAN, 80),          # lower: 75/80 = 0.9375 yellow
    ("2021Q3", Q3, "Z2", "NRG", 100, NAN, 90),          # 75/90 red
    ("2021Q3", Q3, "Z1", "DEATH", 0, NAN, 0),           # 零死亡: cap, green
    ("2021Q3", Q3, "Z2", "DEATH", 0, NAN, 2),           # 0, red
    ("2021Q3", Q3, "Z1", "GDP", 8.2, NAN, 7.2),         # -1.0 pp: yellow
    ("2021Q3", Q3, "Z2", "GDP", 8.0, NAN, 8.5),         # green
    ("2021Q3", Q3, "Z3", "GDP", NAN, NAN, 9.0),         # ranked without a target
    ("2021Q3", Q3, "X1", "GDP", 8.0, NAN, 6.9),         # red, group of ... two
    ("2021Q3", Q3, "Z1", "PM", 35, NAN, 36.75),         # band 1.75: yellow
    ("2021Q3", Q3, "Z2", "PM", 35, NAN, 30),            # green
    ("2020Q4", Q4, "Z1", "INV", 100, NAN, 90), ("2020Q4", Q4, "Z2", "INV", 100, NAN, 100),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("store")
    s = Store(root)
    units, indicators = catalog()
    s.commit_catalog(units, indicators, original=b"catalog", file_name="目录.xlsx", user="t")        # v1
    s.commit_figures(facts(V2, "2021年三季度.xlsx"), original=b"v2", file_name="2021年三季度.xlsx", user="t")  # v2
    fix = facts([("2021Q3", Q3, "X1", "INV", NAN, NAN, 95)], "更正.xlsx")
    s.commit_figures(fix, original=b"v3", file_name="更正.xlsx", user="t")                         # v3
    return root


def run(store: Path, *argv: str, capsys=None) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    report.add_parser(sub)
    args = parser.parse_args(["report", "--store", str(store), *argv])
    code = args.func(args)
    out, err = capsys.readouterr() if capsys else ("", "")
    return code, out, err


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def cell(rows: list[dict], unit: str, indicator: str | None = None) -> dict:
    hit = [r for r in rows if r["unit_code"] == unit and (indicator is None or r["indicator_code"] == indicator)]
    assert len(hit) == 1, hit
    return hit[0]


def test_indicator_csv_header_and_hand_computed_cases(store, capsys):
    code, out, _ = run(store, "--period", "2021Q3", capsys=capsys)
    assert code == 0
    header = out.splitlines()[0]
    assert header.startswith(IND_HEADER + ",")
    assert header.endswith("actual_version,actual_file,actual_sheet,actual_row,"
                           "target_version,target_file,target_sheet,target_row")
    rows = read_csv(out)
    assert len(rows) == 5 * 5
    z1 = cell(rows, "Z1", "INV")
    assert (z1["target"], z1["actual"], z1["expected_progress"], z1["attainment"], z1["status"]) == \
        ("100.0", "75.0", "0.75", "1.0", "green")
    assert (z1["gap_pp"], z1["milestone"]) == ("", "")                      # empty cells
    z2 = cell(rows, "Z2", "INV")
    assert float(z2["expected_progress"]) == 100 / 120 and z2["status"] == "yellow"
    assert z2["expected_progress"] == repr(100 / 120)                        # full precision
    assert cell(rows, "Z3", "INV")["status"] == "no_target"
    x1 = cell(rows, "X1", "INV")
    assert (x1["status"], x1["actual"], x1["actual_version"], x1["actual_file"]) == ("green", "95.0", "3", "更正.xlsx")
    assert (x1["rank"], x1["rank_of"]) == ("1", "1")                         # a group of one (X2 missing)
    x2 = cell(rows, "X2", "INV")
    assert (x2["status"], x2["score"], x2["rank"], x2["rank_of"], x2["weight"]) == ("missing", "0.0", "", "", "2.0")
    assert cell(rows, "Z1", "NRG")["attainment"] == "0.9375"
    assert cell(rows, "Z2", "NRG")["status"] == "red"
    assert (cell(rows, "Z1", "DEATH")["attainment"], cell(rows, "Z1", "DEATH")["status"]) == ("1.2", "green")
    assert cell(rows, "Z2", "DEATH")["status"] == "red"
    g = cell(rows, "Z1", "GDP")
    assert (g["status"], g["gap_pp"], g["expected_progress"]) == ("yellow", repr(7.2 - 8.2), "")
    assert (cell(rows, "Z3", "GDP")["status"], cell(rows, "Z3", "GDP")["rank"]) == ("no_target", "1")
    assert [cell(rows, u, "GDP")["rank"] for u in ("Z3", "Z2", "Z1")] == ["1", "2", "3"]
    assert cell(rows, "Z1", "PM")["status"] == "yellow"
    # provenance: the carried-forward target names the Q1 row
    assert (z1["target_version"], z1["target_file"], z1["target_sheet"], z1["target_row"]) == \
        ("2", "2021年三季度.xlsx", "主要指标", "3")
    assert (z1["actual_version"], z1["actual_row"]) == ("2", "5")


def test_cli_output_equals_engine(store, capsys):
    s = Store(store)
    units, indicators = s.catalog()
    want = indicator_table(units, indicators, s.figures(), "2021Q3", Scheme())
    _, out, _ = run(store, "--period", "2021Q3", capsys=capsys)
    got = pd.read_csv(io.StringIO(out), keep_default_na=False)
    for col in ("target", "milestone", "actual", "expected_progress", "completion", "attainment", "gap_pp",
                "score", "weight"):
        expected = want[col].to_numpy(dtype=float)
        actual = pd.to_numeric(got[col].replace("", np.nan)).to_numpy(dtype=float)
        assert np.array_equal(expected, actual, equal_nan=True), col
    assert got["status"].tolist() == want["status"].astype(str).tolist()


def test_unit_level_csv(store, capsys):
    code, out, _ = run(store, "--period", "2021Q3", "--level", "unit", capsys=capsys)
    assert code == 0
    assert out.splitlines()[0].startswith(UNIT_HEADER)
    rows = read_csv(out)
    z1 = cell(rows, "Z1")
    s = Store(store)
    units, indicators = s.catalog()
    want = unit_table(units, indicators, s.figures(), "2021Q3", Scheme()).set_index("unit_code")
    # INV 1.0 w2, NRG 0.9375 w1, DEATH cap 1.2 w1, GDP rank 3 of 3 -> 0.5 w3, PM rank 2 of 2 -> 0.5 w1
    assert z1["composite"] == repr(100 * (2 * 1.0 + 0.9375 + 1.2 + 3 * 0.5 + 0.5) / 8) == "76.71875"
    assert float(z1["composite"]) == want.loc["Z1", "composite"]
    # Z2: INV 0.9 w2, NRG 75/90 w1, DEATH 0 w1, GDP rank 2 of 3 -> 0.75 w3, PM rank 1 -> 1 w1
    assert float(cell(rows, "Z2")["composite"]) == 100 * (2 * 0.9 + 75 / 90 + 0.0 + 3 * 0.75 + 1.0) / 8
    assert (z1["rank"], z1["rank_of"], cell(rows, "Z2")["rank"]) == ("1", "2", "2")
    # the previous quarter, 2021Q2, has no actual at all: nobody was ranked, no change
    assert (z1["rank_change"], cell(rows, "Z2")["rank_change"]) == ("", "")
    z3 = cell(rows, "Z3")  # every indicator no_target: no composite, no rank
    assert (z3["composite"], z3["rank"], z3["rank_of"], z3["rank_change"], z3["no_target"]) == ("", "", "", "", "5")
    assert (z1["green"], z1["yellow"], z1["red"], z1["missing"], z1["no_target"]) == ("2", "3", "0", "0", "0")
    assert cell(rows, "X2")["composite"] == "" and cell(rows, "X2")["missing"] == "1"


def test_rank_change_across_the_year_boundary(store, capsys):
    # 2020Q4: Z2 100/100 -> rank 1, Z1 90/100 -> 2.  2021Q1: Z1 20/25 = 0.8, Z2 30/30 = 1.0 -> Z2 1, Z1 2
    _, out, _ = run(store, "--period", "2021Q1", "--level", "unit", capsys=capsys)
    rows = read_csv(out)
    assert [(cell(rows, u)["rank"], cell(rows, u)["rank_change"]) for u in ("Z1", "Z2")] == [("2", "0"), ("1", "0")]
    assert cell(rows, "Z1")["composite"] == repr(100 * (2 * 0.8) / 2)


def test_group_filter_and_unknown_group(store, capsys):
    code, out, _ = run(store, "--period", "2021Q3", "--group", "县市", capsys=capsys)
    assert code == 0 and {r["unit_code"] for r in read_csv(out)} == {"X1", "X2"}
    code, out, err = run(store, "--period", "2021Q3", "--group", "园区", capsys=capsys)
    assert code == 1 and out == "" and "城区" in err


def test_as_of_version(store, capsys):
    _, out, _ = run(store, "--period", "2021Q3", "--as-of-version", "2", capsys=capsys)
    x1 = cell(read_csv(out), "X1", "INV")
    assert (x1["actual"], x1["status"], x1["actual_version"]) == ("60.0", "red", "2")
    code, _, err = run(store, "--period", "2021Q3", "--as-of-version", "9", capsys=capsys)
    assert code == 1 and "9" in err
    code, _, err = run(store, "--period", "2021Q3", "--as-of-version", "0", capsys=capsys)
    assert code == 1  # no catalog yet at version 0


def test_json_format(store, capsys):
    code, out, _ = run(store, "--period", "2021年1-9月", "--format", "json", capsys=capsys)
    assert code == 0
    data = json.loads(out)
    z1 = next(r for r in data if r["unit_code"] == "Z1" and r["indicator_code"] == "INV")
    assert z1["period"] == "2021Q3" and z1["gap_pp"] is None and z1["attainment"] == 1.0
    assert z1["rank"] == 1 and isinstance(z1["rank"], int) and z1["target_row"] == 3
    z2 = next(r for r in data if r["unit_code"] == "Z2" and r["indicator_code"] == "INV")
    assert z2["expected_progress"] == 100 / 120
    code, out, _ = run(store, "--period", "2021Q3", "--format", "json", "--level", "unit", capsys=capsys)
    assert all(isinstance(r["green"], int) for r in json.loads(out))


def test_xlsx_format(store, tmp_path, capsys):
    out_file = tmp_path / "r.xlsx"
    code, _, err = run(store, "--period", "2021Q3", "--format", "xlsx", "--out", str(out_file), capsys=capsys)
    assert code == 0 and str(out_file) in err
    book = pd.read_excel(out_file, engine="openpyxl")
    assert list(book.columns[:20]) == IND_HEADER.split(",")
    assert len(book) == 25
    row = book[(book["unit_code"] == "Z1") & (book["indicator_code"] == "INV")].iloc[0]
    assert row["attainment"] == 1.0 and row["status"] == "green"


def test_csv_to_file(store, tmp_path, capsys):
    out_file = tmp_path / "r.csv"
    assert run(store, "--period", "2021Q3", "--out", str(out_file), capsys=capsys)[0] == 0
    assert out_file.read_text(encoding="utf-8").startswith(IND_HEADER)


def test_bad_period_and_empty_store(store, tmp_path, capsys):
    code, out, err = run(store, "--period", "2021年7-9月", capsys=capsys)
    assert code == 2 and out == "" and "7-9" in err
    code, _, err = run(tmp_path / "empty", "--period", "2021Q3", capsys=capsys)
    assert code == 1 and "目录" in err


def test_scheme_file_changes_results(store, tmp_path, capsys):
    strict = tmp_path / "strict.toml"
    strict.write_text("[status]\nyellow = 0.95\n", encoding="utf-8")
    _, out, _ = run(store, "--period", "2021Q3", "--scheme", str(strict), capsys=capsys)
    assert cell(read_csv(out), "Z2", "INV")["status"] == "red"      # 0.9 < 0.95
    bad = tmp_path / "bad.toml"
    bad.write_text("[status]\nyelow = 0.95\n", encoding="utf-8")
    code, _, err = run(store, "--period", "2021Q3", "--scheme", str(bad), capsys=capsys)
    assert code == 1 and "yelow" in err


def test_year_scheme_files_are_used(store, tmp_path, capsys, monkeypatch):
    schemes = tmp_path / "schemes"
    schemes.mkdir()
    (schemes / "default.toml").write_text((ROOT / "schemes" / "default.toml").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    (schemes / "2021.toml").write_text("[score]\ncap = 1.0\n", encoding="utf-8")
    monkeypatch.setenv("METRICS_SCHEMES", str(schemes))
    _, out, _ = run(store, "--period", "2021Q3", capsys=capsys)
    assert cell(read_csv(out), "Z1", "DEATH")["attainment"] == "1.0"   # zero deaths: cap of 2021


def test_python_dash_m_metrics_report(store):
    """The real command line (metrics/__main__.py wires report in)."""
    proc = subprocess.run([sys.executable, "-m", "metrics", "report", "--period", "2021Q3", "--store", str(store),
                           "--level", "unit"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0 and "invalid choice: 'report'" in proc.stderr:
        pytest.skip("metrics/__main__.py does not wire report in yet")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith(UNIT_HEADER)


# ------------------------------------------------------------------------------------------------
# every hand-computed case of tests/test_compute.py, through a store and the command line


def _scenarios() -> dict[str, tuple]:
    from tests.test_compute import COUNTIES, figs, ind, inds, units

    u2 = units(("A", "县市区", "城区"), ("B", "县市区", "县市"), ("C", "县市区", "县市"), ("S1", "市州", "市州"),
               ("S2", "市州", "市州"), ("S3", "市州", "市州"))
    return {
        # (units, indicators, figures, periods, {(period, unit, indicator): (status, rank)})
        "lights": (COUNTIES, inds(ind("INV"), ind("NRG", direction="lower"), ind("GDP", kind="rate"),
                                  ind("PM", kind="rate", direction="lower", measure="μg/m³")),
                   figs(("2021Q3", "A", "INV", 100, NAN, 75), ("2021Q3", "B", "INV", 100, NAN, 67.5),
                        ("2021Q3", "C", "INV", 100, NAN, 60), ("2021Q3", "A", "NRG", 100, NAN, 75),
                        ("2021Q3", "B", "NRG", 100, NAN, 80), ("2021Q3", "C", "NRG", 100, NAN, 90),
                        ("2021Q3", "A", "GDP", 8.0, NAN, 8.5), ("2021Q3", "B", "GDP", 8.2, NAN, 7.2),
                        ("2021Q3", "C", "GDP", 8.0, NAN, 6.9), ("2021Q3", "A", "PM", 35, NAN, 30),
                        ("2021Q3", "B", "PM", 35, NAN, 36.75), ("2021Q3", "C", "PM", 35, NAN, 37)),
                   ["2021Q3"],
                   {("2021Q3", u, i): (s, r) for u, i, s, r in [
                       ("A", "INV", "green", "1"), ("B", "INV", "yellow", "2"), ("C", "INV", "red", "3"),
                       ("A", "NRG", "green", "1"), ("B", "NRG", "yellow", "2"), ("C", "NRG", "red", "3"),
                       ("A", "GDP", "green", "1"), ("B", "GDP", "yellow", "2"), ("C", "GDP", "red", "3"),
                       ("A", "PM", "green", "1"), ("B", "PM", "yellow", "2"), ("C", "PM", "red", "3"),
                       ("D", "INV", "no_target", "")]}),
        "zero targets, missing, milestone, carry-forward": (
            COUNTIES, inds(ind("INV"), ind("DEATH", direction="lower", measure="人")),
            figs(("2021Q1", "A", "INV", 120, NAN, 30), ("2021Q3", "A", "INV", NAN, NAN, 90),
                 ("2021Q4", "B", "INV", 200, NAN, 150), ("2021Q3", "B", "INV", NAN, NAN, 100),
                 ("2021Q3", "C", "INV", 100, 60, 60), ("2021Q3", "D", "INV", 100, NAN, NAN),
                 ("2021Q3", "A", "DEATH", 0, NAN, 0), ("2021Q3", "B", "DEATH", 0, NAN, 2),
                 ("2021Q3", "C", "DEATH", 4, NAN, 0), ("2021Q3", "D", "DEATH", 0, NAN, NAN)),
            ["2021Q3"],
            {("2021Q3", u, i): (s, r) for u, i, s, r in [
                ("A", "INV", "green", "1"), ("B", "INV", "no_target", ""), ("C", "INV", "green", "2"),
                ("D", "INV", "missing", ""), ("A", "DEATH", "green", "1"), ("B", "DEATH", "red", "3"),
                ("C", "DEATH", "green", "1"), ("D", "DEATH", "missing", "")]}),
        "same day, dekads, weeks": (
            COUNTIES, inds(ind("INV"), ind("DK", frequency="dekad"), ind("WK", frequency="week")),
            figs(("2021-09", "A", "INV", 100, NAN, 80), ("2021-09-D1", "A", "DK", 365, NAN, 253),
                 ("2021-09-D3", "A", "DK", 365, NAN, 300), ("2021-W37", "A", "WK", 365, NAN, 262),
                 ("2020-W53", "A", "WK", 100, NAN, 100)),
            ["2021Q3", "2021-09", "2021-09-D3", "2021-09-D1", "2021-W37", "2020-W53"],
            {(p, "A", i): (s, "1") for p, i, s in [
                ("2021Q3", "INV", "green"), ("2021-09", "INV", "green"), ("2021-09-D3", "INV", "green"),
                ("2021-09-D1", "DK", "green"), ("2021-09-D3", "DK", "green"), ("2021-W37", "WK", "green"),
                ("2020-W53", "WK", "green")]}),
        "ties, groups of one, ranks without targets": (
            u2, inds(ind("INV"), ind("G", kind="rate", applies=("市州",))),
            figs(("2021Q3", "A", "INV", 100, NAN, 20), ("2021Q3", "B", "INV", 100, NAN, 10.05),
                 ("2021Q3", "C", "INV", 100, NAN, 10.045), ("2021Q3", "S1", "G", NAN, NAN, 7.5),
                 ("2021Q3", "S2", "G", NAN, NAN, 8.1), ("2021Q3", "S3", "G", 8.0, NAN, 7.5)),
            ["2021Q3"],
            {("2021Q3", u, i): (s, r) for u, i, s, r in [
                ("A", "INV", "red", "1"), ("B", "INV", "red", "1"), ("C", "INV", "red", "1"),
                ("S2", "G", "no_target", "1"), ("S1", "G", "no_target", "2"), ("S3", "G", "yellow", "2")]}),
        "year boundary": (
            COUNTIES, inds(ind("INV")),
            figs(("2020Q4", "A", "INV", 100, NAN, 90), ("2020Q4", "B", "INV", 100, NAN, 100),
                 ("2021Q1", "A", "INV", 100, NAN, 30), ("2021Q1", "B", "INV", 100, NAN, 20)),
            ["2021Q1"], {("2021Q1", "A", "INV"): ("green", "1"), ("2021Q1", "B", "INV"): ("red", "2")}),
    }


def _commit(root: Path, units: pd.DataFrame, indicators: pd.DataFrame, frame: pd.DataFrame) -> None:
    s = Store(root)
    s.commit_catalog(units, indicators, original=b"c", file_name="目录.xlsx", user="t")
    if len(frame):
        fact = frame[["period", "date", "unit_code", "indicator_code", "target", "milestone", "actual"]].copy()
        fact["note"] = None
        fact["source_file"] = "case.xlsx"
        fact["sheet"] = "S1"
        fact["row"] = np.arange(2, 2 + len(fact))
        s.commit_figures(fact, original=b"f", file_name="case.xlsx", user="t")


@pytest.mark.parametrize("name", list(_scenarios()))
def test_cli_reproduces_hand_computed_cases(name, tmp_path, capsys):
    units, indicators, frame, periods_, expected = _scenarios()[name]
    _commit(tmp_path, units, indicators, frame)
    s = Store(tmp_path)
    for period in periods_:
        code, out, err = run(tmp_path, "--period", period, capsys=capsys)
        assert code == 0, err
        rows = read_csv(out)
        for (p, unit, indicator), (status, rank) in expected.items():
            if p == period:
                c = cell(rows, unit, indicator)
                assert (c["status"], c["rank"]) == (status, rank), (name, p, unit, indicator)
        want = indicator_table(*s.catalog(), s.figures(), period, Scheme())
        got = pd.read_csv(io.StringIO(out), keep_default_na=False)
        assert got["status"].tolist() == want["status"].astype(str).tolist()
        for col in ("target", "actual", "expected_progress", "completion", "attainment", "gap_pp", "score", "rank"):
            expected_values = want[col].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            values = pd.to_numeric(got[col].replace("", np.nan)).to_numpy(dtype=float)
            assert np.array_equal(expected_values, values, equal_nan=True), (name, period, col)
        code, out, _ = run(tmp_path, "--period", period, "--level", "unit", capsys=capsys)
        want_u = unit_table(*s.catalog(), s.figures(), period, Scheme())
        got_u = pd.read_csv(io.StringIO(out), keep_default_na=False)
        for col in ("composite", "rank", "rank_change", "green", "red", "missing", "no_target"):
            expected_values = want_u[col].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            values = pd.to_numeric(got_u[col].replace("", np.nan)).to_numpy(dtype=float)
            assert np.array_equal(expected_values, values, equal_nan=True), (name, period, col)
