"""Benchmark of the metrics engine against a straightforward Polars implementation.

    .venv/bin/python bench/bench_compute.py            # 1.8M rows, then 18M rows
    .venv/bin/python bench/bench_compute.py --sizes 1  # 1.8M only

Generates 300 indicators x 150 units x 40 quarters (1.8M expected rows, one figure row each, with
carried-forward targets, milestones, blanks, absent rows and ties) and the same with ten times the
units; computes every metric (indicator table with provenance, unit table with rank changes) with
metrics.compute and with bench/polars_reference.py; checks that both give identical results; prints
the time ratio and the engine's peak memory.  A script, not a timed test: it prints figures.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import polars_reference as ref  # noqa: E402

from metrics import compute as engine  # noqa: E402
from metrics import periods as per  # noqa: E402
from metrics.scheme import Scheme  # noqa: E402


def generate(n_ind: int = 300, n_units: int = 150, n_periods: int = 40, seed: int = 7
             ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    """A catalog and one figure row per (quarter, unit, indicator), store-shaped with compact dtypes."""
    rng = np.random.default_rng(seed)
    n_county = max(2, n_units // 12)
    types = np.where(np.arange(n_units) < n_county, "县市区", "乡镇")
    groups = np.where(types == "县市区", np.where(np.arange(n_units) % 2 == 0, "城区", "县市"),
                      "片区" + (np.arange(n_units) % 10).astype(str))
    units = pd.DataFrame({
        "code": [f"U{k:05d}" for k in range(n_units)], "name": [f"单位{k}" for k in range(n_units)],
        "type": types, "group": groups, "parent": "", "aliases": [[] for _ in range(n_units)],
    })
    kind = np.where(rng.random(n_ind) < 0.6, "amount", "rate")
    direction = np.where(rng.random(n_ind) < 0.2, "lower", "higher")
    measure = np.where(kind == "rate", np.where(rng.random(n_ind) < 0.7, "%", "μg/m³"), "亿元")
    band = np.where((kind == "rate") & (rng.random(n_ind) < 0.2), 0.5, np.nan)
    scoring = np.where(kind == "rate", "rank", np.where(rng.random(n_ind) < 0.2, "rank", "ratio"))
    indicators = pd.DataFrame({
        "code": [f"I{k:04d}" for k in range(n_ind)], "name": [f"指标{k}" for k in range(n_ind)],
        "category": "经济", "measure": measure, "kind": kind, "direction": direction,
        "weight": rng.choice([1.0, 2.0, 3.0, 0.5], n_ind), "scoring": scoring, "frequency": "quarter",
        "lead": "", "applies_to": [["县市区", "乡镇"] for _ in range(n_ind)], "aliases": [[] for _ in range(n_ind)],
        "band": band, "additive": kind == "amount",
    })
    start_year = 2021 - n_periods // 4 + 1
    codes = [f"{start_year + q // 4}Q{q % 4 + 1}" for q in range(n_periods)]
    dates = np.array([np.datetime64(per.end_date(c)) for c in codes], dtype="datetime64[ns]")
    quarter = np.array([int(c[-1]) for c in codes])

    n = n_periods * n_units * n_ind
    p = np.repeat(np.arange(n_periods, dtype=np.int32), n_units * n_ind)
    u = np.tile(np.repeat(np.arange(n_units, dtype=np.int32), n_ind), n_periods)
    i = np.tile(np.arange(n_ind, dtype=np.int32), n_periods * n_units)
    is_rate = (kind == "rate")[i]
    is_lower = (direction == "lower")[i]
    base = rng.integers(50, 1000, n_units * n_ind).astype(np.float64)[u * n_ind + i]
    zero_target = ~is_rate & is_lower & (base < 80)  # 零死亡
    target = np.where(is_rate, np.round(5 + (base % 50) / 10, 1), np.where(zero_target, 0.0, base))
    e = quarter[p] / 4
    noise = rng.normal(1.0, 0.15, n)
    actual = np.where(is_rate, np.round(target + rng.normal(0, 1.2, n), 1),
                      np.round(target * e * noise, 2))
    actual[zero_target & (rng.random(n) < 0.7)] = 0.0
    actual[rng.random(n) < 0.03] = np.nan                     # blank 完成值
    target[(quarter[p] > 1) & (rng.random(n) < 0.85)] = np.nan  # targets given in Q1, carried forward
    target[rng.random(n) < 0.01] = np.nan
    milestone = np.where(~is_rate & (rng.random(n) < 0.05), np.round(base * e * 1.1, 2), np.nan)
    keep = rng.random(n) > 0.02                               # absent rows
    idx = np.flatnonzero(keep)
    del keep

    files = pd.Index([f"{c}报表.xlsx" for c in codes])
    sheets = pd.Index(["Sheet1", "主要指标", "月报卡"])
    row_no = (u * 7 + i % 40 + 3).astype(np.int32)
    version = (p + 2).astype(np.int32)

    def cat(codes_: np.ndarray, cats: pd.Index) -> pd.Categorical:
        return pd.Categorical.from_codes(codes_, categories=cats)

    def prov(field: str, values: np.ndarray) -> dict:
        has = ~np.isnan(values[idx])
        return {
            f"{field}_version": pd.arrays.IntegerArray(version[idx], ~has),
            f"{field}_file": cat(np.where(has, p[idx], -1), files),
            f"{field}_sheet": cat(np.where(has, i[idx] % 3, -1), sheets),
            f"{field}_row": pd.arrays.IntegerArray(row_no[idx], ~has),
        }

    figures = pd.DataFrame({
        "period": cat(p[idx], pd.Index(codes)),
        "date": dates[p[idx]],
        "unit_code": cat(u[idx], pd.Index(units["code"])),
        "indicator_code": cat(i[idx], pd.Index(indicators["code"])),
        "target": target[idx], "milestone": milestone[idx], "actual": actual[idx],
        "note": cat(np.full(idx.size, -1), pd.Index([], dtype=str)),
        **prov("target", target), **prov("milestone", milestone), **prov("actual", actual),
    }, copy=False)
    return units, indicators, figures, codes


# ------------------------------------------------------------------------------------------------


def _status_kb(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def rss_mb() -> float:
    return _status_kb("VmRSS") / 1024


def peak_mb() -> float:
    return _status_kb("VmHWM") / 1024


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Element-wise equality of two columns: text by value, numbers bit for bit (NaN equals NaN)."""
    text = (isinstance(a.dtype, pd.CategoricalDtype) or a.dtype == object or str(a.dtype) == "str")
    if text:
        a = a.astype("category") if not isinstance(a.dtype, pd.CategoricalDtype) else a
        b_codes = pd.Categorical(b.astype(object).where(b.notna(), None), categories=a.cat.categories).codes
        unseen = (b_codes < 0) & b.notna().to_numpy()
        return (a.cat.codes.to_numpy() == b_codes) & ~unseen
    x = a.astype("float64").to_numpy(na_value=np.nan)
    y = b.astype("float64").to_numpy(na_value=np.nan)
    return (x == y) | (np.isnan(x) & np.isnan(y))


def compare(mine: pd.DataFrame, theirs: pd.DataFrame, columns: list[str]) -> list[str]:
    """Columns that differ, with a sample of the difference."""
    if len(mine) != len(theirs):
        return [f"row count {len(mine)} != {len(theirs)}"]
    problems = []
    for col in columns:
        same = _same(mine[col].reset_index(drop=True), theirs[col].reset_index(drop=True))
        if not same.all():
            k = int(np.flatnonzero(~same)[0])
            problems.append(f"{col}: {int((~same).sum())} differ, e.g. row {k}: "
                            f"{mine[col].iloc[k]!r} vs {theirs[col].iloc[k]!r}")
    return problems


def _period_slices(table: pd.DataFrame, n_periods: int) -> np.ndarray:
    """Row offsets of each period in an engine table (its rows are grouped by period, in order)."""
    codes = table["period"].cat.codes.to_numpy()
    return np.searchsorted(codes, np.arange(n_periods + 1))


INDICATOR_CHECK = engine.INDICATOR_COLUMNS + ["unit_type"] + engine.PROVENANCE_COLUMNS
UNIT_CHECK = engine.UNIT_COLUMNS + ["indicators"]


def run(scale: int, repeat: int, ref_chunk: int | None = None) -> dict:
    units, indicators, figures, codes = generate(n_units=150 * scale)
    scheme = Scheme()
    gc.collect()
    base = rss_mb()
    exact_peak = reset_peak()
    best_mine = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = engine.compute(units, indicators, figures, codes, scheme)
        best_mine = min(best_mine, time.perf_counter() - t0)
        if _ < repeat - 1:
            del result
            gc.collect()
    mine_peak = peak_mb()
    out_mb = (result.indicators.memory_usage(deep=True).sum() + result.units.memory_usage(deep=True).sum()) / 2 ** 20

    inp = ref.inputs(units, indicators, figures)
    gc.collect()
    chunk = ref_chunk or len(codes)
    ind_at = _period_slices(result.indicators, len(codes))
    unit_at = _period_slices(result.units, len(codes))
    best_ref = float("inf")
    problems: list[str] = []
    for attempt in range(repeat):
        total = 0.0
        for k in range(0, len(codes), chunk):
            part = codes[k:k + chunk]
            t0 = time.perf_counter()
            rows, unit_rows = ref.compute(inp, part, lambda year: scheme)
            total += time.perf_counter() - t0
            if attempt == 0:
                a, b = ind_at[k], ind_at[min(k + chunk, len(codes))]
                problems += compare(result.indicators.iloc[a:b], rows.to_pandas(), INDICATOR_CHECK)
                a, b = unit_at[k], unit_at[min(k + chunk, len(codes))]
                problems += compare(result.units.iloc[a:b], unit_rows.to_pandas(), UNIT_CHECK)
            del rows, unit_rows
            gc.collect()
        best_ref = min(best_ref, total)
    return {
        "rows": len(result.indicators), "figure_rows": len(figures), "engine_s": best_mine,
        "polars_s": best_ref, "ratio": best_mine / best_ref, "rss_before_mb": base, "peak_mb": mine_peak,
        "peak_exact": exact_peak, "ref_chunk": chunk, "periods": len(codes), "output_mb": out_mb, "problems": problems,
        "statuses": result.indicators["status"].value_counts().to_dict(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 10], help="unit multipliers (1 = 1.8M rows)")
    parser.add_argument("--repeat", type=int, default=3, help="runs at 1.8M rows (best is kept)")
    parser.add_argument("--ref-chunk", type=int, default=4,
                        help="periods per Polars run above 1.8M rows (its joins need ~8 GB at 18M in one go)")
    args = parser.parse_args(argv)
    import polars as pl
    print(f"numpy {np.__version__}, pandas {pd.__version__}, polars {pl.__version__} "
          f"({pl.thread_pool_size()} threads), {os.cpu_count()} cores")
    ok = True
    for scale in args.sizes:
        r = run(scale, args.repeat if scale == 1 else 1, None if scale == 1 else args.ref_chunk)
        print(f"\n{r['rows']:,} expected rows from {r['figure_rows']:,} figure rows")
        print(f"  engine  {r['engine_s']:.2f} s   polars reference {r['polars_s']:.2f} s   "
              f"ratio {r['ratio']:.2f}x")
        print(f"  engine peak RSS {r['peak_mb']:,.0f} MB (inputs resident before: {r['rss_before_mb']:,.0f} MB; "
              f"compute added {r['peak_mb'] - r['rss_before_mb']:,.0f} MB; output frames {r['output_mb']:,.0f} MB)"
              + ("" if r["peak_exact"] else "  [peak not resettable: includes generation]"))
        if r["ref_chunk"] < r["periods"]:
            print(f"  (the Polars reference ran {r['ref_chunk']} periods at a time: in one go its joins need ~8 GB)")
        print(f"  statuses {r['statuses']}")
        if r["problems"]:
            ok = False
            print("  RESULTS DIFFER:\n    " + "\n    ".join(r["problems"]))
        else:
            print("  identical results: every column of both tables, floats bit for bit")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
