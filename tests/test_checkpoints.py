"""Checkpoints never change a view: random import sequences (corrections, blanks, notes, catalog
versions) read the same at every version with checkpoints, without them, and by a plain-Python model;
a crash while a checkpoint is written leaves the store correct."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import metrics.store as store_mod
from metrics.store import FIGURE_COLUMNS, Store
from metrics.stored import checkpoints
from metrics.stored.verify import verify

DATES = {"2021Q2": pd.Timestamp("2021-06-30"), "2021Q3": pd.Timestamp("2021-09-30"),
         "2021-09": pd.Timestamp("2021-09-30")}
UNITS = ["U1", "U2", "U10", "珠晖区"]
INDS = ["I1", "I2"]
value = st.one_of(st.none(), st.sampled_from([0.0, 1.5, 2.0, -3.25, 100.0]))
row = st.tuples(st.sampled_from(list(DATES)), st.sampled_from(UNITS), st.sampled_from(INDS),
                value, value, value, st.one_of(st.none(), st.sampled_from(["修正", "同期为0", "口径调整"])))
step = st.one_of(st.just("catalog"), st.lists(row, min_size=1, max_size=6))


def _frame(rows: list[tuple], k: int) -> pd.DataFrame:
    seen, unique = set(), []
    for r in rows:
        key = (DATES[r[0]], r[1], r[2])
        if key not in seen:
            seen.add(key)
            unique.append(r)
    df = pd.DataFrame(unique, columns=["period", "unit_code", "indicator_code", "target", "milestone", "actual", "note"])
    df["date"] = df["period"].map(DATES)
    for c in ("target", "milestone", "actual"):
        df[c] = df[c].astype("float64")
    df["source_file"] = f"f{k}.xlsx"
    df["sheet"] = np.where(np.arange(len(df)) % 2, "表一", "Sheet1")
    df["row"] = np.arange(2, 2 + len(df), dtype="int64")
    return df


def _catalog(k: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    units = pd.DataFrame({"code": UNITS, "name": UNITS, "type": "县市区", "group": "", "parent": "",
                          "aliases": [[f"别名{k}"]] + [[] for _ in UNITS[1:]]})
    inds = pd.DataFrame({"code": INDS, "name": ["甲", "乙"], "weight": [float(k), 1.0]})
    return units, inds


def _model(commits: list[tuple[int, pd.DataFrame]], as_of: int) -> pd.DataFrame:
    """The field-by-field merge written the obvious way (dict of keys, one field at a time)."""
    view: dict[tuple, dict] = {}
    for version, df in commits:
        if version > as_of:
            break
        for r in df.to_dict("records"):
            key = (r["date"], r["unit_code"], r["indicator_code"])
            cur = view.setdefault(key, {c: None for c in FIGURE_COLUMNS})
            cur.update(date=key[0], unit_code=key[1], indicator_code=key[2], period=r["period"])
            for f in ("target", "milestone", "actual"):
                if not pd.isna(r[f]):
                    cur.update({f: r[f], f"{f}_version": version, f"{f}_file": r["source_file"],
                                f"{f}_sheet": r["sheet"], f"{f}_row": r["row"]})
            if r["note"] is not None and not pd.isna(r["note"]):
                cur["note"] = r["note"]
    return pd.DataFrame([view[k] for k in sorted(view)], columns=FIGURE_COLUMNS)


def _comparable(df: pd.DataFrame) -> list[tuple]:
    out = df[FIGURE_COLUMNS].astype(object).where(df[FIGURE_COLUMNS].notna(), None)
    return [tuple(None if v is None else (float(v) if isinstance(v, (int, float, np.number)) else v) for v in r)
            for r in out.itertuples(index=False)]


def _fresh_caches() -> None:
    store_mod._cached_part.cache_clear()
    store_mod._VIEW_CACHE.clear()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=12), every=st.integers(1, 3))
def test_views_with_and_without_checkpoints_are_identical(steps, every, monkeypatch) -> None:
    tmp = Path(tempfile.mkdtemp())
    try:
        monkeypatch.setenv("METRICS_CHECKPOINT_EVERY", str(every))
        with_cp = Store(tmp / "with")
        commits: list[tuple[int, pd.DataFrame]] = []
        for k, s in enumerate(steps):
            if s == "catalog":
                with_cp.commit_catalog(*_catalog(k), original=b"c%d" % k, file_name="catalog.xlsx", user="t")
                continue
            df = _frame(s, k)
            result = with_cp.commit_figures(df, original=b"f%d" % k, file_name=f"f{k}.xlsx", user="t")
            if result.version is not None:
                commits.append((result.version, df))
        latest = with_cp.latest_version()
        # as-of reads in between, cold (from checkpoints) and warm (caches), against the model
        for as_of in range(latest + 1):
            expected = _comparable(_model(commits, as_of))
            _fresh_caches()
            assert _comparable(with_cp.figures(as_of)) == expected, as_of
            assert _comparable(with_cp.figures(as_of)) == expected, as_of
        # the same store with every checkpoint deleted gives the same views
        monkeypatch.setenv("METRICS_CHECKPOINT_EVERY", "0")
        without = tmp / "without"
        shutil.copytree(with_cp.root, without)
        shutil.rmtree(without / checkpoints.DIR, ignore_errors=True)
        for as_of in range(latest + 1):
            _fresh_caches()
            a = with_cp.figures(as_of)
            _fresh_caches()
            b = Store(without).figures(as_of)
            pd.testing.assert_frame_equal(a, b)
        if commits:
            assert verify(with_cp.root, write_result=False).ok
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _rows(n: int, version_note: str) -> pd.DataFrame:
    return _frame([("2021Q3", UNITS[i % 4], INDS[i // 4 % 2], float(i), None, float(i) + 0.5, version_note)
                   for i in range(n)], 0)


def test_small_views_get_a_checkpoint_after_every_commit_keeping_milestones(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("METRICS_CHECKPOINT_EVERY", "2")
    s = Store(tmp_path / "s")
    for k in range(5):
        df = _frame([("2021Q3", "U1", "I1", None, None, float(k), None)], k)
        s.commit_figures(df, original=b"%d" % k, file_name=f"f{k}.xlsx", user="t")
        assert checkpoints.listed(s.root)[-1:] == ([] if k == 0 else [k + 1])
    assert checkpoints.listed(s.root) == [2, 4, 5]      # 3 was superseded by 4; 2 and 4 are milestones
    _fresh_caches()
    assert s.figures()["actual"].tolist() == [4.0] and s.figures(3)["actual"].tolist() == [2.0]


def test_checkpoint_is_written_every_k_versions_and_read_from(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("METRICS_CHECKPOINT_EVERY", "2")
    monkeypatch.setattr(checkpoints, "SMALL_ROWS", 0)    # as a province-sized view,
    monkeypatch.setattr(checkpoints, "TAIL_SHARE", 0)    # whose versions are small beside it
    s = Store(tmp_path / "s")
    for k in range(5):
        df = _frame([("2021Q3", "U1", "I1", None, None, float(k), None)], k)
        s.commit_figures(df, original=b"%d" % k, file_name=f"f{k}.xlsx", user="t")
    assert checkpoints.listed(s.root) == [2, 4]
    _fresh_caches()
    calls = []
    real = store_mod._cached_part.__wrapped__
    monkeypatch.setattr(store_mod, "_cached_part", lambda stamp, v: calls.append(v) or real(stamp, v))
    assert s.figures()["actual"].tolist() == [4.0]
    assert calls == [5]           # checkpoint 4 plus the one version after it
    assert s.figures(3)["actual"].tolist() == [2.0] and s.figures(3)["actual_version"].tolist() == [3]


def test_crash_while_writing_a_checkpoint_leaves_the_store_correct(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("METRICS_CHECKPOINT_EVERY", "1")
    s = Store(tmp_path / "s")
    s.commit_figures(_rows(8, "一"), original=b"a", file_name="a.xlsx", user="t")

    def crash(tmp: Path) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(checkpoints, "_before_rename", crash)
    result = s.commit_figures(_rows(8, "二").assign(actual=lambda d: d["actual"] + 1), original=b"b",
                              file_name="b.xlsx", user="t")
    assert result.version == 2                       # the import itself is committed
    assert checkpoints.listed(s.root) == [1]         # no half checkpoint published
    with pytest.raises(RuntimeError):
        s.write_checkpoint(2)
    assert not [p for p in (s.root / checkpoints.DIR).iterdir() if p.name.startswith("tmp-")]
    # a writer killed mid-file leaves a tmp folder; a checkpoint folder without its record is ignored
    (s.root / checkpoints.DIR / "tmp-dead").mkdir()
    (s.root / checkpoints.DIR / "tmp-dead" / "view.parquet").write_bytes(b"PAR1 half")
    (s.root / checkpoints.DIR / "000002").mkdir()
    (s.root / checkpoints.DIR / "000002" / "view.parquet").write_bytes(b"PAR1 half")
    _fresh_caches()
    expected = _comparable(_model([(1, _rows(8, "一")), (2, _rows(8, "二").assign(actual=lambda d: d["actual"] + 1))], 2))
    assert _comparable(s.figures()) == expected
    monkeypatch.setattr(checkpoints, "_before_rename", lambda tmp: None)
    shutil.rmtree(s.root / checkpoints.DIR / "000002")
    assert s.write_checkpoint() == 2
    assert not (s.root / checkpoints.DIR / "tmp-dead").exists()
    _fresh_caches()
    assert _comparable(s.figures()) == expected
    assert verify(s.root, write_result=False).ok


def test_a_read_looks_only_at_the_versions_after_its_checkpoint(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("METRICS_CHECKPOINT_EVERY", "4")
    monkeypatch.setattr(checkpoints, "SMALL_ROWS", 0)    # a checkpoint every 4 figure versions only
    monkeypatch.setattr(checkpoints, "TAIL_SHARE", 0)
    s = Store(tmp_path / "s")
    s.commit_catalog(*_catalog(0), original=b"c", file_name="catalog.xlsx", user="t")
    for k in range(10):
        df = _frame([("2021Q3", UNITS[k % 4], "I1", None, None, float(k), None)], k)
        s.commit_figures(df, original=b"%d" % k, file_name=f"f{k}.xlsx", user="t")
    assert checkpoints.listed(s.root) == [5, 9]           # milestones; versions 10 and 11 after the last
    _fresh_caches()
    looked: list[str] = []
    real = store_mod._stamp
    monkeypatch.setattr(store_mod, "_stamp", lambda p: looked.append(str(p)) or real(p))
    view = s.figures()
    versions = sorted({int(p.split("/versions/")[1][:6]) for p in looked if "/versions/" in p})
    assert versions == [10, 11]                           # nothing per version under the checkpoint
    assert sorted(view["actual"].tolist()) == [6.0, 7.0, 8.0, 9.0]
    assert view["actual_version"].max() == 11


def test_rollback_withdrawals_are_recorded_in_checkpoints(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("METRICS_CHECKPOINT_EVERY", "1")
    s = Store(tmp_path / "s")
    a = _frame([("2021Q3", "U1", "I1", None, None, 1.0, None)], 0)
    b = _frame([("2021Q3", "U2", "I1", 3.0, None, 2.0, "修正")], 1)
    s.commit_figures(a, original=b"a", file_name="a.xlsx", user="t")
    s.commit_figures(b, original=b"b", file_name="b.xlsx", user="t")
    cleared = pd.DataFrame({"date": [pd.Timestamp("2021-09-30")], "unit_code": ["U2"], "indicator_code": ["I1"],
                            "field": ["*"]})
    assert s.commit_figures(a.iloc[:0], original=b"r", file_name="rollback.xlsx", user="t", cleared=cleared).version == 3
    s.commit_figures(a.assign(actual=5.0), original=b"c", file_name="c.xlsx", user="t")
    assert checkpoints.meta(s.root, 4)["cleared_versions"] == [3]
    without = tmp_path / "without"
    shutil.copytree(s.root, without)
    shutil.rmtree(without / checkpoints.DIR)
    for as_of in range(1, 5):
        _fresh_caches()
        a_view = s.figures(as_of)
        _fresh_caches()
        pd.testing.assert_frame_equal(a_view, Store(without).figures(as_of))
    assert s.figures()["unit_code"].tolist() == ["U1"] and s.figures()["actual"].tolist() == [5.0]
    assert s.figures(2)["unit_code"].tolist() == ["U1", "U2"]


@settings(max_examples=60, deadline=None)
@given(steps=st.lists(st.lists(row, min_size=1, max_size=8), min_size=2, max_size=6), cut=st.integers(1, 5))
def test_a_tail_spliced_onto_a_view_equals_the_full_merge(steps, cut) -> None:
    from metrics.stored import columnar

    parts = [columnar.facts_to_view(store_mod._normalise_facts(_frame(s, k)), k + 1) for k, s in enumerate(steps)]
    cut = min(cut, len(parts) - 1)
    full = columnar.merge(parts)
    spliced = columnar.merge_onto(columnar.merge(parts[:cut]), parts[cut:])
    assert spliced.schema == full.schema
    assert columnar.to_pandas(spliced).equals(columnar.to_pandas(full))
    kept = columnar.MAX_PIECES
    try:                                   # the same, made contiguous after the splice
        columnar.MAX_PIECES = 0
        contiguous = columnar.merge_onto(columnar.merge(parts[:cut]), parts[cut:])
    finally:
        columnar.MAX_PIECES = kept
    assert columnar.to_pandas(contiguous).equals(columnar.to_pandas(full))
