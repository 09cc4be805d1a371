"""The versioned store: field-by-field merge, as-of reads, no-op imports, atomicity, concurrency."""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing as mp
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import metrics.store as store_mod
from metrics.store import FIGURE_COLUMNS, CommitResult, Store, StoreError, default_store_dir

NAN = float("nan")
SEP = pd.Timestamp("2021-09-30")
JUN = pd.Timestamp("2021-06-30")


def facts(rows: list[tuple], file: str = "a.xlsx", sheet: str = "Sheet1", first_row: int = 2) -> pd.DataFrame:
    """rows: (period, date, unit, indicator, target, milestone, actual, note)."""
    df = pd.DataFrame(rows, columns=["period", "date", "unit_code", "indicator_code",
                                     "target", "milestone", "actual", "note"])
    df["date"] = pd.to_datetime(df["date"])
    for col in ("target", "milestone", "actual"):
        df[col] = df[col].astype("float64")
    df["source_file"] = file
    df["sheet"] = sheet
    df["row"] = np.arange(first_row, first_row + len(df), dtype="int64")
    return df


def commit(store: Store, rows: list[tuple], file: str = "a.xlsx", user: str = "tester",
           **kw) -> CommitResult:
    return store.commit_figures(facts(rows, file=file, **kw), original=f"bytes of {file}".encode(),
                                file_name=file, user=user)


def one(view: pd.DataFrame, unit: str, ind: str = "I1", date: pd.Timestamp = SEP) -> pd.Series:
    hit = view[(view.unit_code == unit) & (view.indicator_code == ind) & (view.date == date)]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def tree_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def units_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "code": ["U1", "U2"], "name": ["珠晖区", "衡阳县"], "type": ["县市区", "县市区"],
        "group": ["城区", "县市"], "parent": ["", ""], "aliases": [["珠晖"], []],
    })


def indicators_frame(weight: float = 1.0) -> pd.DataFrame:
    return pd.DataFrame({
        "code": ["I1", "I2"], "name": ["地区生产总值", "GDP增速"], "category": ["经济", "经济"],
        "measure": ["亿元", "%"], "kind": ["amount", "rate"], "direction": ["higher", "higher"],
        "weight": [weight, 2.0], "scoring": ["ratio", "rank"], "frequency": ["quarter", "quarter"],
        "lead": ["统计局", "统计局"], "applies_to": [["县市区", "园区"], ["县市区"]],
        "aliases": [["GDP", "生产总值"], []], "band": [NAN, 1.0], "additive": [True, False],
    })


# --------------------------------------------------------------------------------------------------
# basics


def test_empty_store(tmp_path: Path) -> None:
    s = Store(tmp_path / "store")
    assert s.latest_version() == 0
    view = s.figures()
    assert list(view.columns) == FIGURE_COLUMNS
    assert len(view) == 0
    assert str(view["date"].dtype).startswith("datetime64")
    assert view["target"].dtype == "float64"
    assert view["target_version"].dtype == "Int64"
    assert view["actual_row"].dtype == "Int64"
    assert s.catalog() is None
    assert len(s.versions()) == 0
    assert list(s.versions().columns)[:7] == ["version", "kind", "file_name", "sha256", "user", "time", "rows"]
    assert not (tmp_path / "store").exists()  # created lazily on the first commit
    with pytest.raises(StoreError):
        s.figures(as_of=1)
    with pytest.raises(StoreError):
        s.manifest(1)


def test_default_store_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("METRICS_STORE", raising=False)
    assert default_store_dir() == Path(store_mod.__file__).resolve().parent.parent / "data" / "store"
    monkeypatch.setenv("METRICS_STORE", str(tmp_path / "elsewhere"))
    assert default_store_dir() == tmp_path / "elsewhere"
    assert Store().root == (tmp_path / "elsewhere").resolve()


def test_layout_manifest_original(tmp_path: Path) -> None:
    s = Store(tmp_path)
    payload = bytes(range(256)) * 3
    res = s.commit_figures(facts([("2021Q3", SEP, "U1", "I1", 100, NAN, 50, "备注")]),
                           original=payload, file_name="进度表.xlsx", user="alice",
                           summary={"units": 1, "indicators": 1, "periods": 1})
    assert res == CommitResult(version=1, changed_fields=3)
    vdir = tmp_path / "versions" / "000001"
    assert (vdir / "original" / "进度表.xlsx").read_bytes() == payload
    assert (vdir / "figures.parquet").is_file()
    m = json.loads((vdir / "manifest.json").read_text(encoding="utf-8"))
    assert m == s.manifest(1)
    assert m["version"] == 1 and m["kind"] == "figures" and m["file_name"] == "进度表.xlsx"
    assert m["sha256"] == hashlib.sha256(payload).hexdigest()
    assert m["user"] == "alice" and m["rows"] == 1
    assert m["units"] == 1 and m["indicators"] == 1 and m["periods"] == 1
    assert m["time"].endswith("+00:00")
    assert s.original(1) == ("进度表.xlsx", payload)
    v = s.versions()
    assert v.loc[0, "version"] == 1 and v.loc[0, "sha256"] == m["sha256"] and v.loc[0, "periods"] == 1
    with pytest.raises(StoreError):
        s.original(2)


def test_file_name_cannot_escape(tmp_path: Path) -> None:
    s = Store(tmp_path / "s")
    s.commit_figures(facts([("2021Q3", SEP, "U1", "I1", 1, NAN, NAN, None)]), original=b"x",
                     file_name="../../evil.csv", user="u")
    assert s.original(1) == ("evil.csv", b"x")
    assert not (tmp_path / "evil.csv").exists()


def test_figures_parquet_holds_facts_as_given(tmp_path: Path) -> None:
    s = Store(tmp_path)
    f = facts([("2021Q3", SEP, "U1", "I1", 100, NAN, 50, "n"), ("2021Q3", SEP, "U2", "I1", NAN, NAN, 7, None)])
    s.commit_figures(f, original=b"o", file_name="a.xlsx", user="u")
    back = pd.read_parquet(tmp_path / "versions" / "000001" / "figures.parquet")
    assert list(back.columns) == list(f.columns)
    assert back["unit_code"].tolist() == ["U1", "U2"]
    assert back["actual"].tolist() == [50.0, 7.0]
    assert math.isnan(back["target"].iloc[1])
    assert back["row"].tolist() == [2, 3]


# --------------------------------------------------------------------------------------------------
# merge


def test_field_by_field_merge_and_provenance(tmp_path: Path) -> None:
    s = Store(tmp_path)
    commit(s, [("2021Q3", SEP, "U1", "I1", 100, 60, 50, "first"),
               ("2021Q3", SEP, "U2", "I1", 200, NAN, 80, None)], file="a.xlsx", sheet="A")
    # later: blank target, new actual for U1; U2 untouched; a new key
    commit(s, [("2021Q3", SEP, "U1", "I1", NAN, NAN, 55, None),
               ("2021Q3", SEP, "U3", "I1", NAN, NAN, 9, None)], file="b.xlsx", sheet="B", first_row=10)
    view = s.figures()
    assert list(view.columns) == FIGURE_COLUMNS
    assert view[["unit_code"]].to_numpy().ravel().tolist() == ["U1", "U2", "U3"]

    u1 = one(view, "U1")
    assert u1["target"] == 100.0 and u1["target_version"] == 1
    assert u1["target_file"] == "a.xlsx" and u1["target_sheet"] == "A" and u1["target_row"] == 2
    assert u1["milestone"] == 60.0 and u1["milestone_version"] == 1
    assert u1["actual"] == 55.0 and u1["actual_version"] == 2
    assert u1["actual_file"] == "b.xlsx" and u1["actual_sheet"] == "B" and u1["actual_row"] == 10
    assert u1["note"] == "first"  # a later blank note does not erase it

    u2 = one(view, "U2")
    assert (u2["target"], u2["actual"], u2["actual_version"]) == (200.0, 80.0, 1)
    assert pd.isna(u2["milestone"]) and pd.isna(u2["milestone_version"]) and pd.isna(u2["milestone_file"])
    assert pd.isna(u2["milestone_row"])

    u3 = one(view, "U3")
    assert pd.isna(u3["target"]) and pd.isna(u3["target_version"]) and pd.isna(u3["target_row"])
    assert u3["actual"] == 9.0 and u3["actual_version"] == 2 and u3["actual_row"] == 11

    assert view["target_version"].dtype == "Int64" and view["actual_row"].dtype == "Int64"
    assert view["target"].dtype == "float64"


def test_later_note_overrides_and_blank_note_is_not_supplied(tmp_path: Path) -> None:
    s = Store(tmp_path)
    commit(s, [("2021Q3", SEP, "U1", "I1", 1, NAN, NAN, "old")])
    commit(s, [("2021Q3", SEP, "U1", "I1", NAN, NAN, NAN, "  ")])
    assert s.latest_version() == 1  # whitespace is not a note
    commit(s, [("2021Q3", SEP, "U1", "I1", NAN, NAN, NAN, "new")])
    assert one(s.figures(), "U1")["note"] == "new"
    assert one(s.figures(as_of=1), "U1")["note"] == "old"


def test_as_of_every_version(tmp_path: Path) -> None:
    s = Store(tmp_path)
    commit(s, [("2021Q2", JUN, "U1", "I1", 100, NAN, 40, None)])
    commit(s, [("2021Q3", SEP, "U1", "I1", NAN, NAN, 70, None)])
    commit(s, [("2021Q3", SEP, "U1", "I1", 120, NAN, 75, None)])
    commit(s, [("2021Q2", JUN, "U1", "I1", NAN, NAN, 41, None)])
    assert s.latest_version() == 4
    assert len(s.figures(as_of=0)) == 0
    v1 = s.figures(as_of=1)
    assert len(v1) == 1 and one(v1, "U1", date=JUN)["actual"] == 40.0
    v2 = s.figures(as_of=2)
    assert len(v2) == 2
    assert v2["date"].tolist() == [JUN, SEP]  # sorted by date
    sep2 = one(v2, "U1")
    # the store does not carry targets forward across dates (that is the engine's job)
    assert pd.isna(sep2["target"]) and sep2["actual"] == 70.0
    sep3 = one(s.figures(as_of=3), "U1")
    assert (sep3["target"], sep3["actual"], sep3["target_version"], sep3["actual_version"]) == (120, 75, 3, 3)
    jun4 = one(s.figures(as_of=4), "U1", date=JUN)
    assert (jun4["target"], jun4["actual"], jun4["target_version"], jun4["actual_version"]) == (100, 41, 1, 4)
    assert one(s.figures(as_of=3), "U1", date=JUN)["actual"] == 40.0
    pd.testing.assert_frame_equal(s.figures(), s.figures(as_of=4))
    with pytest.raises(StoreError):
        s.figures(as_of=5)
    with pytest.raises(StoreError):
        s.figures(as_of=-1)


def test_period_codes_ending_same_day_are_one_moment(tmp_path: Path) -> None:
    s = Store(tmp_path)
    commit(s, [("2021Q3", SEP, "U1", "I1", 100, NAN, 50, None)])
    commit(s, [("2021-09", SEP, "U1", "I1", NAN, NAN, 60, None)])
    view = s.figures()
    assert len(view) == 1
    row = one(view, "U1")
    assert row["period"] == "2021-09"  # from the latest version that touched the key
    assert (row["target"], row["actual"]) == (100.0, 60.0)


def test_figures_returns_a_copy(tmp_path: Path) -> None:
    s = Store(tmp_path)
    commit(s, [("2021Q3", SEP, "U1", "I1", 100, NAN, 50, None)])
    view = s.figures()
    view.loc[0, "actual"] = -1.0
    assert s.figures().loc[0, "actual"] == 50.0


def test_microsecond_and_nanosecond_dates_are_the_same_key(tmp_path: Path) -> None:
    s = Store(tmp_path)
    a = facts([("2021Q3", SEP, "U1", "I1", 100, NAN, 50, None)])
    a["date"] = a["date"].astype("datetime64[us]")
    s.commit_figures(a, original=b"a", file_name="a.csv", user="u")
    b = facts([("2021-09", SEP, "U1", "I1", NAN, NAN, 60, None)])
    b["date"] = b["date"].astype("datetime64[ns]")
    s.commit_figures(b, original=b"b", file_name="b.csv", user="u")
    assert len(s.figures()) == 1 and one(s.figures(), "U1")["actual"] == 60.0


# --------------------------------------------------------------------------------------------------
# no-op


def test_noop_reimport(tmp_path: Path) -> None:
    s = Store(tmp_path)
    rows = [("2021Q3", SEP, "U1", "I1", 100, NAN, 50, "n"), ("2021Q3", SEP, "U2", "I1", 0.1 + 0.2, NAN, NAN, None)]
    assert commit(s, rows).version == 1
    before = tree_hashes(tmp_path / "versions")
    res = commit(s, rows, file="again.xlsx")
    assert res == CommitResult(version=None, changed_fields=0)
    assert s.latest_version() == 1 and tree_hashes(tmp_path / "versions") == before
    # a subset of the same figures, blanks included, also changes nothing
    assert commit(s, [("2021Q3", SEP, "U1", "I1", NAN, NAN, 50, None)]).version is None
    # same date, other period code: the same moment, so still nothing new
    assert commit(s, [("2021-09", SEP, "U1", "I1", 100, NAN, 50, "n")]).version is None
    assert commit(s, [("2021-09-D3", SEP, "U2", "I1", 0.1 + 0.2, NAN, NAN, None)]).version is None
    # a key with nothing supplied adds nothing
    assert commit(s, [("2021Q3", SEP, "U9", "I1", NAN, NAN, NAN, None)]).version is None
    # floats compare exactly
    res = commit(s, [("2021Q3", SEP, "U2", "I1", 0.3, NAN, NAN, None)])
    assert res == CommitResult(version=2, changed_fields=1)
    assert one(s.figures(), "U2")["target"] == 0.3
    # one changed field among unchanged ones is counted once
    res = commit(s, [("2021Q3", SEP, "U1", "I1", 100, NAN, 51, "n"), ("2021Q3", SEP, "U2", "I1", 0.3, NAN, NAN, None)])
    assert res == CommitResult(version=3, changed_fields=1)
    assert s.latest_version() == 3


def test_noop_against_latest_not_earlier(tmp_path: Path) -> None:
    """Re-importing the first file after a correction restores it: that is a change."""
    s = Store(tmp_path)
    first = [("2021Q3", SEP, "U1", "I1", 100, NAN, 50, None)]
    commit(s, first)
    commit(s, [("2021Q3", SEP, "U1", "I1", NAN, NAN, 55, None)])
    res = commit(s, first)
    assert res == CommitResult(version=3, changed_fields=1)
    assert one(s.figures(), "U1")["actual"] == 50.0


def test_empty_facts_change_nothing(tmp_path: Path) -> None:
    s = Store(tmp_path)
    assert commit(s, []).version is None
    assert s.latest_version() == 0


def test_bad_frames_are_refused(tmp_path: Path) -> None:
    s = Store(tmp_path)
    with pytest.raises(StoreError):
        s.commit_figures(facts([("2021Q3", SEP, "U1", "I1", 1, NAN, 1, None)]).drop(columns="unit_code"),
                         original=b"", file_name="x", user="u")
    dup = facts([("2021Q3", SEP, "U1", "I1", 1, NAN, 1, None), ("2021-09", SEP, "U1", "I1", 2, NAN, 2, None)])
    with pytest.raises(StoreError):
        s.commit_figures(dup, original=b"", file_name="x", user="u")
    bad = facts([("2021Q3", SEP, "U1", "I1", 1, NAN, 1, None)])
    bad["target"] = ["abc"]
    with pytest.raises(StoreError):
        s.commit_figures(bad, original=b"", file_name="x", user="u")
    assert s.latest_version() == 0


# --------------------------------------------------------------------------------------------------
# catalog


def test_catalog_versions_share_the_sequence(tmp_path: Path) -> None:
    s = Store(tmp_path)
    commit(s, [("2021Q3", SEP, "U1", "I1", 100, NAN, 50, None)])  # v1 figures
    res = s.commit_catalog(units_frame(), indicators_frame(), original=b"catalog-1", file_name="目录.xlsx",
                           user="admin", summary={"units": 2, "indicators": 2})
    assert res.version == 2 and res.changed_fields > 0
    commit(s, [("2021Q3", SEP, "U1", "I1", NAN, NAN, 60, None)])  # v3 figures
    res = s.commit_catalog(units_frame(), indicators_frame(weight=3.0), original=b"catalog-2",
                           file_name="目录.xlsx", user="admin")
    assert res == CommitResult(version=4, changed_fields=1)

    vdir = tmp_path / "versions" / "000002"
    assert (vdir / "units.parquet").is_file() and (vdir / "indicators.parquet").is_file()
    assert not (vdir / "figures.parquet").exists()
    assert s.original(2) == ("目录.xlsx", b"catalog-1")
    versions = s.versions()
    assert versions["version"].tolist() == [1, 2, 3, 4]
    assert versions["kind"].tolist() == ["figures", "catalog", "figures", "catalog"]
    assert versions["rows"].tolist() == [1, 4, 1, 4]
    assert versions.loc[1, "units"] == 2 and pd.isna(versions.loc[0, "units"])

    assert s.catalog(as_of=1) is None
    u2, i2 = s.catalog(as_of=2)
    assert s.catalog(as_of=3)[1]["weight"].tolist() == [1.0, 2.0]
    assert s.catalog()[1]["weight"].tolist() == [3.0, 2.0]
    assert u2["code"].tolist() == ["U1", "U2"]
    assert u2["aliases"].tolist() == [["珠晖"], []]
    assert i2["applies_to"].tolist() == [["县市区", "园区"], ["县市区"]]
    assert i2["aliases"].tolist() == [["GDP", "生产总值"], []]
    assert all(type(v) is list for v in i2["aliases"]) and type(i2["aliases"][0][0]) is str
    assert math.isnan(i2["band"][0]) and i2["band"][1] == 1.0
    assert i2["additive"].tolist() == [True, False]
    # catalog versions do not disturb the figures view
    assert one(s.figures(), "U1")["actual"] == 60.0 and one(s.figures(as_of=2), "U1")["actual"] == 50.0
    assert one(s.figures(), "U1")["actual_version"] == 3


def test_catalog_noop(tmp_path: Path) -> None:
    s = Store(tmp_path)
    assert s.commit_catalog(units_frame(), indicators_frame(), original=b"c", file_name="c.xlsx",
                            user="u").version == 1
    # the same content with other dtypes and column order: no new version
    ind = indicators_frame()
    ind = ind[list(reversed(ind.columns))]
    ind["applies_to"] = [("县市区", "园区"), ("县市区",)]
    ind["weight"] = [1, 2]  # ints equal to the stored floats
    units = units_frame().astype({"code": object})
    res = s.commit_catalog(units, ind, original=b"c", file_name="c.xlsx", user="u")
    assert res == CommitResult(version=None, changed_fields=0)
    # reading back and committing what was read is a no-op too
    u, i = s.catalog()
    assert s.commit_catalog(u, i, original=b"c", file_name="c.xlsx", user="u").version is None
    # a new alias is a change
    u.at[1, "aliases"] = ["衡阳"]
    assert s.commit_catalog(u, i, original=b"c", file_name="c.xlsx", user="u") == CommitResult(2, 1)
    assert s.catalog()[0]["aliases"].tolist() == [["珠晖"], ["衡阳"]]
    assert s.catalog(as_of=1)[0]["aliases"].tolist() == [["珠晖"], []]


def test_catalog_copy_is_independent(tmp_path: Path) -> None:
    s = Store(tmp_path)
    s.commit_catalog(units_frame(), indicators_frame(), original=b"c", file_name="c.xlsx", user="u")
    u, _ = s.catalog()
    u.at[0, "aliases"].append("mutated")
    assert s.catalog()[0]["aliases"][0] == ["珠晖"]


# --------------------------------------------------------------------------------------------------
# atomicity


class Crash(RuntimeError):
    pass


def test_crash_before_publish_leaves_store_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = Store(tmp_path)
    commit(s, [("2021Q3", SEP, "U1", "I1", 100, NAN, 50, None)])
    s.commit_catalog(units_frame(), indicators_frame(), original=b"c", file_name="c.xlsx", user="u")
    before = tree_hashes(tmp_path / "versions")
    view_before = s.figures()

    seen: list[Path] = []

    def crash(tmp_dir: Path) -> None:
        seen.append(tmp_dir)
        assert (tmp_dir / "manifest.json").is_file()  # fully written, only the rename is missing
        assert (tmp_dir / "figures.parquet").is_file() or (tmp_dir / "units.parquet").is_file()
        raise Crash("power cut")

    monkeypatch.setattr(store_mod, "_before_publish", crash)
    with pytest.raises(Crash):
        commit(s, [("2021Q3", SEP, "U1", "I1", NAN, NAN, 99, None)], file="crash.xlsx")
    with pytest.raises(Crash):
        s.commit_catalog(units_frame(), indicators_frame(weight=9), original=b"c2", file_name="c.xlsx", user="u")
    assert len(seen) == 2
    assert tree_hashes(tmp_path / "versions") == before
    assert s.latest_version() == 2
    pd.testing.assert_frame_equal(s.figures(), view_before)
    assert s.catalog()[1]["weight"].tolist() == [1.0, 2.0]

    # a crash that killed the process leaves a tmp folder behind: readers ignore it ...
    stale = tmp_path / "tmp" / "deadbeef"
    (stale / "original").mkdir(parents=True)
    (stale / "figures.parquet").write_bytes(b"half-written")
    assert s.latest_version() == 2 and tree_hashes(tmp_path / "versions") == before

    # ... and the next commit works and removes it
    monkeypatch.setattr(store_mod, "_before_publish", lambda tmp_dir: None)
    res = commit(s, [("2021Q3", SEP, "U1", "I1", NAN, NAN, 99, None)], file="retry.xlsx")
    assert res == CommitResult(version=3, changed_fields=1)
    assert one(s.figures(), "U1")["actual"] == 99.0
    assert not stale.exists()
    assert list((tmp_path / "tmp").iterdir()) == []
    after = tree_hashes(tmp_path / "versions")
    assert {k: v for k, v in after.items() if not k.startswith("000003")} == before


# --------------------------------------------------------------------------------------------------
# concurrency


def _worker(root: str, worker: int, commits: int, start) -> list[int]:  # pragma: no cover - in child
    # widen the window between "read latest version" and "rename": without the lock, the two
    # processes would then pick the same number and one commit would fail or be lost
    store_mod._before_publish = lambda tmp_dir: time.sleep(0.05)
    start.wait(30)
    s = Store(root)
    got = []
    for j in range(commits):
        rows = [("2021Q3", SEP, f"P{worker}", f"K{j}", 100.0 + j, NAN, float(worker * 100 + j), None),
                ("2021Q3", SEP, "SHARED", f"W{worker}", NAN, NAN, float(j), None)]
        res = s.commit_figures(facts(rows, file=f"w{worker}-{j}.xlsx"), original=f"{worker}-{j}".encode(),
                               file_name=f"w{worker}-{j}.xlsx", user=f"worker{worker}")
        got.append(res.version)
    return got


def test_two_processes_commit_concurrently(tmp_path: Path) -> None:
    ctx = mp.get_context("spawn")
    n_workers, commits = 2, 6
    with ctx.Manager() as manager:
        start = manager.Event()
        with ctx.Pool(n_workers) as pool:
            pending = [pool.apply_async(_worker, (str(tmp_path), w, commits, start)) for w in range(n_workers)]
            start.set()
            results = [p.get(timeout=120) for p in pending]
    s = Store(tmp_path)
    total = n_workers * commits
    got = sorted(v for r in results for v in r)
    assert got == list(range(1, total + 1))  # every commit landed, no number twice, no gap
    assert s.latest_version() == total
    assert s.versions()["version"].tolist() == list(range(1, total + 1))
    assert sorted(s.versions()["user"].value_counts().tolist()) == [commits, commits]
    view = s.figures()
    for w in range(n_workers):
        for j in range(commits):
            row = one(view, f"P{w}", f"K{j}")
            assert row["actual"] == w * 100 + j and row["target"] == 100 + j
            assert row["actual_file"] == f"w{w}-{j}.xlsx"
        assert one(view, "SHARED", f"W{w}")["actual"] == commits - 1
    assert list((tmp_path / "tmp").iterdir()) == []


# --------------------------------------------------------------------------------------------------
# the vectorised merge against a plain reference


def _reference(history: list[list[tuple]]) -> dict:
    state: dict = {}
    for version, rows in enumerate(history, start=1):
        for unit, day, target, actual in rows:
            entry = state.setdefault((day, unit), {})
            if not math.isnan(target):
                entry["target"] = (target, version)
            if not math.isnan(actual):
                entry["actual"] = (actual, version)
    return state


_value = st.one_of(st.just(NAN), st.sampled_from([0.0, 1.5, 2.0, 100.0]))
_row = st.tuples(st.sampled_from(["U1", "U2", "U3"]), st.sampled_from([30, 31]), _value, _value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_row, max_size=5, unique_by=lambda r: (r[0], r[1])), min_size=1, max_size=5))
def test_merge_matches_reference(history: list[list[tuple]]) -> None:
    dates = {30: JUN, 31: SEP}
    with tempfile.TemporaryDirectory() as d:
        s = Store(d)
        applied: list[list[tuple]] = []
        for rows in history:
            res = commit(s, [("P", dates[day], unit, "I1", t, NAN, a, None) for unit, day, t, a in rows])
            if res.version is not None:
                applied.append(rows)
            else:  # a no-op must really be one: nothing supplied differs from the view
                ref = _reference(applied)
                for unit, day, t, a in rows:
                    entry = ref.get((day, unit), {})
                    assert math.isnan(t) or entry.get("target", (None,))[0] == t
                    assert math.isnan(a) or entry.get("actual", (None,))[0] == a
        assert s.latest_version() == len(applied)
        ref = _reference(applied)
        view = s.figures()
        assert len(view) == len({(day, u) for rows in applied for u, day, _, _ in rows})
        for (day, unit), entry in ref.items():
            row = one(view, unit, date=dates[day])
            for field in ("target", "actual"):
                if field in entry:
                    assert (row[field], row[f"{field}_version"]) == entry[field]
                else:
                    assert pd.isna(row[field]) and pd.isna(row[f"{field}_version"])
