"""The assessment's numbers: completion, attainment, traffic lights, ranks, scores and composites.

Pure functions over the catalog and figure frames (see docs/architecture.md), one period or many at
once; the formulas are those of docs/metrics.md.  Why it is built this way:

* The numbers decide who is praised at a dispatch meeting, so every rounding follows the rule a
  person would apply by hand (half away from zero on the number as written, :func:`round_half_up`)
  and sums run left to right in catalog order, like the worked example.
* A year of weekly, 旬 and monthly figures for hundreds of units is millions of rows, so nothing
  loops over rows: units and indicators become integer codes, one sweep over the figure dates finds
  each row's figure and its carried-forward target, and ranks come from one sort per period.
* Every row keeps the version, file, sheet and row of its actual and of its target.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics import periods as per
from metrics.ranking import rank_1224, round_half_up
from metrics.scheme import SCORING_NAMES, Scheme, SchemeSource, resolve

STATUSES = ("green", "yellow", "red", "no_target", "missing")
GREEN, YELLOW, RED, NO_TARGET, MISSING = range(5)

INDICATOR_COLUMNS = [
    "period", "unit_code", "unit_name", "group", "indicator_code", "indicator_name", "kind", "direction",
    "target", "milestone", "actual", "expected_progress", "completion", "attainment", "gap_pp", "status",
    "rank", "rank_of", "score", "weight",
]
INDICATOR_EXTRA_COLUMNS = ["unit_type", "scoring"]
PROVENANCE_COLUMNS = [
    "actual_version", "actual_file", "actual_sheet", "actual_row",
    "target_version", "target_file", "target_sheet", "target_row",
]
UNIT_COLUMNS = [
    "period", "unit_code", "unit_name", "group", "composite", "rank", "rank_of", "rank_change",
    "green", "yellow", "red", "missing", "no_target",
]
UNIT_EXTRA_COLUMNS = ["unit_type", "indicators"]

RANK_DIGITS = 4        # rank keys are compared rounded to 4 decimals
THRESHOLD_DIGITS = 6   # thresholds are compared on values rounded to 6 decimals (7.2 - 8.2 == -1.0)
COMPOSITE_DIGITS = 2   # composites are ranked on scores rounded to 2 decimals

_KINDS = {"amount": "amount", "rate": "rate", "总量": "amount", "比率": "rate"}
_DIRECTIONS = {"higher": "higher", "lower": "lower", "正向": "higher", "逆向": "lower"}
_PERCENT = {"%", "％", "百分比"}


# ------------------------------------------------------------------------------------------------
# the catalog and the periods as arrays


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _as_list(value: object) -> list[str]:
    if isinstance(value, list | tuple | np.ndarray | pd.Series):
        return [_text(v) for v in value]
    text = _text(value)
    for sep in ("、", "，", ";", "；"):
        text = text.replace(sep, ",")
    return [t.strip() for t in text.split(",") if t.strip()]


@dataclass
class _Catalog:
    """Units and indicators as arrays, indexed by position in the catalog frames."""

    u_code: np.ndarray
    u_name: np.ndarray
    u_type: np.ndarray
    u_group: np.ndarray
    u_tid: np.ndarray      # index into types
    u_gid: np.ndarray      # ranking group: (type, group)
    types: list[str]
    i_code: np.ndarray
    i_name: np.ndarray
    i_kind: np.ndarray
    i_direction: np.ndarray
    i_rate: np.ndarray
    i_lower: np.ndarray
    i_pct: np.ndarray
    i_band: np.ndarray
    i_weight: np.ndarray
    i_scoring: list[str | None]
    i_frequency: list[str]
    applies: np.ndarray    # (types, indicators) bool

    @property
    def n_units(self) -> int:
        return len(self.u_code)

    @property
    def n_indicators(self) -> int:
        return len(self.i_code)


def _encode_catalog(units: pd.DataFrame, indicators: pd.DataFrame) -> _Catalog:
    u_code = np.array([_text(v) for v in units["code"]], dtype=object)
    u_type = np.array([_text(v) for v in units["type"]], dtype=object)
    groups = units["group"] if "group" in units.columns else pd.Series([""] * len(units))
    u_group = np.array([_text(g) or t for g, t in zip(groups, u_type, strict=True)], dtype=object)
    u_name = np.array([_text(v) for v in units["name"]], dtype=object) if "name" in units else u_code
    types = list(dict.fromkeys(u_type.tolist()))
    type_pos = {t: k for k, t in enumerate(types)}
    u_tid = np.array([type_pos[t] for t in u_type], dtype=np.int64)
    pairs = list(zip(u_type.tolist(), u_group.tolist(), strict=True))
    group_pos = {p: k for k, p in enumerate(dict.fromkeys(pairs))}  # groups are keyed by (type, group)
    u_gid = np.array([group_pos[p] for p in pairs], dtype=np.int64)

    n = len(indicators)
    kinds = [_KINDS.get(_text(v), _text(v)) for v in indicators["kind"]]
    directions = [_DIRECTIONS.get(_text(v), _text(v)) for v in indicators["direction"]]
    for code, kind, direction in zip(indicators["code"], kinds, directions, strict=True):
        if kind not in ("amount", "rate") or direction not in ("higher", "lower"):
            raise ValueError(f"indicator {code}: kind {kind!r} / direction {direction!r} not understood")
    measure = indicators["measure"] if "measure" in indicators.columns else pd.Series([""] * n)
    band = indicators["band"] if "band" in indicators.columns else pd.Series([np.nan] * n)
    scoring = indicators["scoring"] if "scoring" in indicators.columns else pd.Series([None] * n)
    applies = np.zeros((len(types), n), dtype=bool)
    for j, value in enumerate(indicators["applies_to"]):
        for t in _as_list(value):
            if t in type_pos:
                applies[type_pos[t], j] = True
    return _Catalog(
        u_code=u_code, u_name=u_name, u_type=u_type, u_group=u_group, u_tid=u_tid, u_gid=u_gid,
        types=types,
        i_code=np.array([_text(v) for v in indicators["code"]], dtype=object),
        i_name=np.array([_text(v) for v in indicators["name"]], dtype=object),
        i_kind=np.array(kinds, dtype=object), i_direction=np.array(directions, dtype=object),
        i_rate=np.array([k == "rate" for k in kinds], dtype=bool),
        i_lower=np.array([d == "lower" for d in directions], dtype=bool),
        i_pct=np.array([_text(m) in _PERCENT for m in measure], dtype=bool),
        i_band=pd.to_numeric(band, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan),
        i_weight=pd.to_numeric(indicators["weight"], errors="coerce").fillna(0.0).to_numpy(np.float64),
        i_scoring=[SCORING_NAMES.get(_text(v)) for v in scoring],
        i_frequency=[per.FREQUENCIES.get(_text(v), _text(v) or "quarter") for v in indicators["frequency"]],
        applies=applies,
    )


@dataclass
class _Periods:
    """Per-period dates and the scheme in force, as arrays over the requested periods."""

    codes: list[str]
    dates: list[dt.date]
    day: np.ndarray          # days since 1970-01-01
    year: np.ndarray
    e_time: np.ndarray       # 序时进度 from the end date
    green: np.ndarray
    yellow: np.ndarray
    cap: np.ndarray
    band_percent: np.ndarray
    band_share: np.ndarray
    spread: np.ndarray
    reporting: np.ndarray    # (periods, indicators): expected at that end date
    weight: np.ndarray       # (periods, indicators)
    rank_scored: np.ndarray  # (periods, indicators): scoring 'rank'


def normalise_periods(periods: str | list[str] | tuple[str, ...]) -> list[str]:
    """Period codes in canonical form, duplicates dropped, order kept."""
    if isinstance(periods, str):
        periods = [periods]
    return list(dict.fromkeys(per.parse_period(p) for p in periods))


def _schemes_by_year(years: set[int], scheme: SchemeSource) -> dict[int, Scheme]:
    return {y: resolve(scheme, y) for y in sorted(years)}


def _period_arrays(codes: list[str], cat: _Catalog, schemes: dict[int, Scheme]) -> _Periods:
    dates = [per.end_date(c) for c in codes]
    years = [d.year for d in dates]
    n_ind = cat.n_indicators
    reporting = np.zeros((len(codes), n_ind), dtype=bool)
    freq_index: dict[str, list[int]] = {}
    for j, f in enumerate(cat.i_frequency):
        freq_index.setdefault(f, []).append(j)
    for p, d in enumerate(dates):
        for f, cols in freq_index.items():
            if per.is_reporting_date(f, d):
                reporting[p, cols] = True
    by_year_weight: dict[int, np.ndarray] = {}
    by_year_rank: dict[int, np.ndarray] = {}
    for y in set(years):
        sch = schemes[y]
        w = cat.i_weight.copy()
        ranked = np.zeros(n_ind, dtype=bool)
        for j, code in enumerate(cat.i_code):
            if code in sch.weights:
                w[j] = float(sch.weights[code])
            method = SCORING_NAMES.get(sch.scoring.get(code, "")) or cat.i_scoring[j]
            method = method or sch.default_scoring(cat.i_kind[j])
            if method == "ratio" and cat.i_rate[j]:
                raise ValueError(f"indicator {code}: ratio scoring is for amount indicators only "
                                 f"(完成率计分只适用于总量指标)")
            ranked[j] = method == "rank"
        by_year_weight[y], by_year_rank[y] = w, ranked
    sch_of = [schemes[y] for y in years]
    return _Periods(
        codes=codes, dates=dates,
        day=np.array([(d - dt.date(1970, 1, 1)).days for d in dates], dtype=np.int64),
        year=np.array(years, dtype=np.int64),
        e_time=np.array([per.expected_progress(d) for d in dates], dtype=np.float64),
        green=np.array([s.green for s in sch_of], dtype=np.float64),
        yellow=np.array([s.yellow for s in sch_of], dtype=np.float64),
        cap=np.array([s.cap for s in sch_of], dtype=np.float64),
        band_percent=np.array([s.band_percent for s in sch_of], dtype=np.float64),
        band_share=np.array([s.band_share for s in sch_of], dtype=np.float64),
        spread=np.array([s.rank_spread for s in sch_of], dtype=np.float64),
        reporting=reporting,
        weight=np.array([by_year_weight[y] for y in years]).reshape(len(codes), n_ind),
        rank_scored=np.array([by_year_rank[y] for y in years]).reshape(len(codes), n_ind),
    )


# ------------------------------------------------------------------------------------------------
# figures: codes, and the sweep that finds each row's figure and target


def _code_map(values: pd.Series, known: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, cmap) with ``cmap[codes]`` the position of each value in ``known`` (-1 when unknown).

    A categorical column gives its codes without a copy and maps only its categories, so millions
    of rows cost one small look-up; ``cmap[-1]`` is -1, so missing values map to -1 too.
    """
    index = pd.Index(known)
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, uniques = pd.factorize(values)
        codes = codes.astype(_code_dtype(len(uniques)))
    cmap = np.append(index.get_indexer(pd.Index(uniques).astype(str)), -1).astype(np.int32)
    return codes, cmap


def _codes_in(values: pd.Series, known: np.ndarray) -> np.ndarray:
    """Position (int32) of each value in ``known``, -1 when unknown."""
    codes, cmap = _code_map(values, known)
    return cmap[codes]


def _days(values: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 as int32, without an int64 copy of a large datetime column."""
    arr = values.to_numpy() if values.dtype == np.dtype("datetime64[ns]") else pd.to_datetime(values).to_numpy()
    if arr.dtype != np.dtype("datetime64[ns]"):
        return arr.astype("datetime64[D]").astype(np.int32)
    out = np.empty(arr.size, np.int32)
    np.floor_divide(arr.view(np.int64), 86_400_000_000_000, out=out, casting="unsafe")
    return out


def _float_column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A figure column as float64 with NaN for blanks (a view when it already is one)."""
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    col = frame[name]
    if col.dtype == np.float64:
        return col.to_numpy()
    return pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


class _Figures:
    """The figures frame with what every computation needs from it, derived once and kept small:
    the value columns (views), the rows of each date, and the code maps of units and indicators."""

    def __init__(self, frame: pd.DataFrame, cat: _Catalog) -> None:
        self.frame = frame
        self.target = _float_column(frame, "target")
        self.milestone = _float_column(frame, "milestone")
        self.actual = _float_column(frame, "actual")
        self.units = _code_map(frame["unit_code"], cat.u_code) if len(frame) else None
        self.indicators = _code_map(frame["indicator_code"], cat.i_code) if len(frame) else None
        self._by_day: tuple | None = None

    def by_day(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """(distinct days, bounds, order): the rows of day k are ``order[bounds[k]:bounds[k+1]]``
        (or that range itself when order is None: the store keeps figures sorted by date)."""
        if self._by_day is None:
            udays, didx = _dense_days(_days(self.frame["date"]))
            if didx.size < 2 or bool(np.all(didx[1:] >= didx[:-1])):
                order = None
                bounds = np.searchsorted(didx, np.arange(udays.size + 1))
            else:
                order = np.argsort(didx, kind="stable").astype(np.int32)
                bounds = np.searchsorted(didx[order], np.arange(udays.size + 1))
            self._by_day = (udays, bounds, order)
        return self._by_day

    def rows_of_day(self, k: int) -> np.ndarray:
        _udays, bounds, order = self.by_day()
        if order is None:
            return np.arange(bounds[k], bounds[k + 1], dtype=np.int32)
        return order[bounds[k]:bounds[k + 1]]


def _encode_figures(figures: pd.DataFrame, cat: _Catalog) -> _Figures:
    return _Figures(figures, cat)


def _year_of_days(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _dense_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct days and each day's index among them (int16 when few, so a sort is a radix sort)."""
    if not days.size:
        return np.zeros(0, np.int64), np.zeros(0, np.int16)
    lo, hi = int(days.min()), int(days.max())
    if hi - lo < 2 ** 22:
        seen = np.zeros(hi - lo + 1, bool)
        seen[days - lo] = True
        udays = np.flatnonzero(seen) + lo
        lookup = (np.cumsum(seen) - 1).astype(np.int16 if udays.size < 2 ** 15 else np.int32)
        return udays, lookup[days - lo]
    udays, idx = np.unique(days, return_inverse=True)
    return udays, idx.astype(np.int16 if udays.size < 2 ** 15 else np.int32)


def _locate(fig: _Figures, cat: _Catalog, pa: _Periods, blocks: list[np.ndarray]
            ) -> tuple[np.ndarray, np.ndarray]:
    """For every expected row: the figure row at its end date (-1 if none), and the row its target
    comes from: the latest row of the same year at or before the end date that gives a target.

    One chronological sweep over the dates keeps, per (unit, indicator), the latest target row of
    the current year; each period takes a snapshot for its rows when the sweep reaches its date.
    Only the dates of the years asked for are visited, and codes are looked up date by date.
    """
    total = sum(b.size for b in blocks)
    here = np.full(total, -1, dtype=np.int32)
    tsrc = np.full(total, -1, dtype=np.int32)
    if not len(pa.codes) or not len(fig.frame):
        return here, tsrc
    udays, _bounds, _order = fig.by_day()
    last_day = {int(y): int(pa.day[pa.year == y].max()) for y in np.unique(pa.year)}
    uyear = _year_of_days(udays)
    fig_pos = {int(d): k for k, (d, y) in enumerate(zip(udays.tolist(), uyear.tolist(), strict=True))
               if y in last_day and d <= last_day[y]}
    offsets = np.concatenate([[0], np.cumsum([b.size for b in blocks])])
    by_day: dict[int, list[int]] = {}
    for p, d in enumerate(pa.day.tolist()):
        by_day.setdefault(d, []).append(p)
    (ucodes, umap), (icodes, imap) = fig.units, fig.indicators
    n_ind = np.int32(cat.n_indicators)
    state_row = np.full(cat.n_units * cat.n_indicators, -1, dtype=np.int32)
    state_tgt = np.full(cat.n_units * cat.n_indicators, -1, dtype=np.int32)
    year = None
    for d in sorted(set(fig_pos) | set(by_day)):
        y = int(_year_of_days(np.array([d]))[0])
        if y != year:
            state_tgt.fill(-1)
            year = y
        k = fig_pos.get(d)
        r = fig.rows_of_day(k) if k is not None else np.zeros(0, np.int32)
        u, i = umap[ucodes[r]], imap[icodes[r]]
        valid = (u >= 0) & (i >= 0)
        r = r[valid]
        uis = u[valid] * n_ind + i[valid]
        state_row[uis] = r
        t = ~np.isnan(fig.target[r])
        state_tgt[uis[t]] = r[t]
        for p in by_day.get(d, ()):
            q = blocks[p]
            here[offsets[p]:offsets[p + 1]] = state_row[q]
            tsrc[offsets[p]:offsets[p + 1]] = state_tgt[q]
        state_row[uis] = -1
    return here, tsrc


def _take(values: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """values[idx] with NaN where idx < 0."""
    if values.size == 0:
        return np.full(idx.shape, np.nan)
    out = values[np.where(idx >= 0, idx, 0)]
    out[idx < 0] = np.nan
    return out


def _code_dtype(n: int) -> type:
    """The integer type pandas keeps as categorical codes for n categories (so none is copied)."""
    return np.int8 if n < 2 ** 7 else np.int16 if n < 2 ** 15 else np.int32


# ------------------------------------------------------------------------------------------------
# the rows: filled period chunk by period chunk into preallocated arrays, so that intermediates
# stay the size of a chunk however many periods are asked for


CHUNK_ROWS = 1 << 20


@dataclass
class _Rows:
    """Every expected (period, unit, indicator) row as parallel arrays, in (period, unit, indicator)
    order (periods as given, units and indicators in catalog order), plus the per-unit sums."""

    pa: _Periods
    cat: _Catalog
    fig: _Figures
    offsets: np.ndarray
    pidx: np.ndarray
    u: np.ndarray
    i: np.ndarray
    here: np.ndarray | None   # figure row at the end date, -1 none (dropped once the rows are filled)
    tsrc: np.ndarray | None   # figure row the target comes from, -1 none (likewise)
    target: np.ndarray
    milestone: np.ndarray
    actual: np.ndarray
    expected_progress: np.ndarray
    completion: np.ndarray
    attainment: np.ndarray
    gap: np.ndarray
    status: np.ndarray
    rank: np.ndarray      # 0 = not ranked
    rank_of: np.ndarray
    score: np.ndarray
    weight: np.ndarray
    rank_scored: np.ndarray
    provenance: dict[str, np.ndarray]
    provenance_kind: dict[str, tuple]  # name -> (kind, categories)
    units: list           # per chunk: _UnitRows

    def __len__(self) -> int:
        return self.pidx.size


def _expected_blocks(cat: _Catalog, pa: _Periods) -> list[np.ndarray]:
    """Per period, the flat (unit * n_indicators + indicator) of each expected row, in catalog order."""
    applies_ui = cat.applies[cat.u_tid] if cat.n_units else np.zeros((0, cat.n_indicators), bool)
    dtype = np.int32 if cat.n_units * cat.n_indicators < 2 ** 31 else np.int64
    return [np.flatnonzero(applies_ui & pa.reporting[p]).astype(dtype) for p in range(len(pa.codes))]


def _provenance_sources(fig: _Figures) -> dict[str, tuple]:
    """Each provenance column of the figures as (kind, values, missing | categories), without copies
    where the column already is a masked integer or a categorical."""
    frame = fig.frame
    out: dict[str, tuple] = {}
    for field in ("actual", "target"):
        for part in ("version", "file", "sheet", "row"):
            name = f"{field}_{part}"
            if name not in frame.columns or not len(frame):
                out[name] = ("none", None, None)
                continue
            col = frame[name]
            if part in ("version", "row"):
                arr = col.array
                if isinstance(arr, pd.arrays.IntegerArray):
                    out[name] = ("int", arr._data, arr._mask)
                else:
                    num = pd.to_numeric(col, errors="coerce")
                    out[name] = ("int", num.fillna(0).to_numpy(np.int64), num.isna().to_numpy())
            elif isinstance(col.dtype, pd.CategoricalDtype):
                out[name] = ("cat", col.cat.codes.to_numpy(), pd.Index(col.cat.categories).astype(str))
            else:
                codes, cats = pd.factorize(col)
                out[name] = ("cat", codes, pd.Index(cats).astype(str))
    return out


def _rows(cat: _Catalog, fig: _Figures, pa: _Periods, provenance: bool = True,
          chunk_rows: int = CHUNK_ROWS) -> _Rows:
    blocks = _expected_blocks(cat, pa)
    here, tsrc = _locate(fig, cat, pa, blocks)
    counts = np.array([b.size for b in blocks], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    n = int(offsets[-1])
    f64 = lambda: np.empty(n, np.float64)  # noqa: E731
    sources = _provenance_sources(fig) if provenance else {}
    prov: dict[str, np.ndarray] = {}
    for name, (kind, _values, extra) in sources.items():
        if kind == "cat":
            prov[name] = np.empty(n, _code_dtype(len(extra)))
        elif kind == "int":
            prov[name] = np.empty(n, np.int32)
            prov[name + ":mask"] = np.empty(n, bool)
    rows = _Rows(
        pa=pa, cat=cat, fig=fig, offsets=offsets,
        pidx=np.empty(n, _code_dtype(len(pa.codes))), u=np.empty(n, _code_dtype(cat.n_units)),
        i=np.empty(n, _code_dtype(cat.n_indicators)), here=here, tsrc=tsrc,
        target=f64(), milestone=f64(), actual=f64(), expected_progress=f64(), completion=f64(),
        attainment=f64(), gap=f64(), status=np.empty(n, np.int8), rank=np.empty(n, np.int32),
        rank_of=np.empty(n, np.int32), score=f64(), weight=f64(), rank_scored=np.empty(n, bool),
        provenance=prov, provenance_kind={k: (v[0], v[2] if v[0] == "cat" else None) for k, v in sources.items()},
        units=[],
    )
    p0, n_periods = 0, len(pa.codes)
    while p0 < n_periods:
        p1 = p0 + 1
        while p1 < n_periods and offsets[p1 + 1] - offsets[p0] <= chunk_rows:
            p1 += 1
        ui = np.concatenate(blocks[p0:p1]) if p1 > p0 else np.zeros(0, np.int32)
        for k in range(p0, p1):
            blocks[k] = None
        _fill(rows, p0, p1, ui, counts[p0:p1])
        _fill_provenance(rows, p0, p1, sources)
        rows.units.append(_unit_rows(rows, p0, p1))
        p0 = p1
    rows.here = rows.tsrc = None  # consumed by the chunks; the frames need only the filled columns
    return rows


def _fill(rows: _Rows, p0: int, p1: int, ui: np.ndarray, counts: np.ndarray) -> None:
    """All indicator-level values of periods p0..p1-1 (one contiguous slice of the rows)."""
    cat, pa, fig = rows.cat, rows.pa, rows.fig
    sl = slice(int(rows.offsets[p0]), int(rows.offsets[p1]))
    n_ind = max(cat.n_indicators, 1)
    pidx = np.repeat(np.arange(p0, p1, dtype=np.int32), counts)
    u = (ui // n_ind).astype(np.int32)
    i = (ui % n_ind).astype(np.int32)
    del ui
    rows.pidx[sl], rows.u[sl], rows.i[sl] = pidx, u, i

    target = _take(fig.target, rows.tsrc[sl])
    actual = _take(fig.actual, rows.here[sl])
    milestone = _take(fig.milestone, rows.here[sl])
    rows.target[sl], rows.actual[sl], rows.milestone[sl] = target, actual, milestone
    rate = cat.i_rate[i]
    lower = cat.i_lower[i]
    has_t = ~np.isnan(target)
    has_a = ~np.isnan(actual)

    # 序时进度: time share, or milestone / target for an amount with a milestone (> 0)
    e = pa.e_time[pidx]
    e[rate] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        use_ms = ~rate & (milestone > 0) & (target > 0)
        np.divide(milestone, target, out=e, where=use_ms)
        del use_ms, milestone
        rows.expected_progress[sl] = e

        completion = actual / target
        completion[(target == 0) | (rate & (target <= 0))] = np.nan
        rows.completion[sl] = completion

        cap = pa.cap[pidx]
        te = target * e
        del e
        attainment = np.full(target.size, np.nan)
        higher_amount = ~rate & ~lower
        np.divide(actual, te, out=attainment, where=higher_amount & (te != 0))
        lower_amount = ~rate & lower
        np.divide(te, actual, out=attainment, where=lower_amount & (actual != 0))
        zero = lower_amount & has_t & (actual == 0)
        attainment[zero] = cap[zero]
        del te, zero, lower_amount
        rows.attainment[sl] = attainment

        gap = np.where(lower, target - actual, actual - target)
        gap[~rate] = np.nan
        rows.gap[sl] = gap

    # 容差 of a rate: the catalog's, else 1.0 pp for %, else 5% of |target|
    band = cat.i_band[i]
    no_band = rate & np.isnan(band)
    pct = cat.i_pct[i]
    band[no_band & pct] = pa.band_percent[pidx[no_band & pct]]
    other = no_band & ~pct
    band[other] = pa.band_share[pidx[other]] * np.abs(target[other])
    del no_band, pct, other

    status = _status(pa, pidx, rate, higher_amount, target, has_t, has_a, attainment, gap, band)
    rows.status[sl] = status
    del higher_amount, has_t, band, gap

    rank, rank_of = _rank_rows(cat, pidx - p0, p1 - p0, u, i, rate, lower, status, has_a, actual,
                               attainment, completion)
    rows.rank[sl], rows.rank_of[sl] = rank, rank_of
    del has_a, lower, rate, completion, actual, target

    rank_scored = pa.rank_scored[pidx, i]
    rows.rank_scored[sl] = rank_scored
    rows.weight[sl] = pa.weight[pidx, i]
    score = np.full(pidx.size, np.nan)
    scored = status <= RED
    ratio_rows = scored & ~rank_scored
    score[ratio_rows] = np.clip(attainment[ratio_rows], 0.0, cap[ratio_rows])
    del ratio_rows, cap, attainment
    rank_rows = scored & rank_scored
    r = rank[rank_rows].astype(np.float64)
    ro = rank_of[rank_rows].astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.where(ro == 1, 1.0, 1 - pa.spread[pidx[rank_rows]] * (r - 1) / (ro - 1))
    score[rank_rows] = s
    score[status == MISSING] = 0.0
    rows.score[sl] = score


def _fill_provenance(rows: _Rows, p0: int, p1: int, sources: dict[str, tuple]) -> None:
    sl = slice(int(rows.offsets[p0]), int(rows.offsets[p1]))
    for name, (kind, values, extra) in sources.items():
        if kind == "none":
            continue
        idx = rows.here[sl] if name.startswith("actual") else rows.tsrc[sl]
        missing = idx < 0
        safe = np.where(missing, 0, idx)
        if kind == "int":
            rows.provenance[name][sl] = values[safe]
            rows.provenance[name + ":mask"][sl] = missing | extra[safe]
        else:
            codes = values[safe]
            codes[missing] = -1
            rows.provenance[name][sl] = codes


def _status(pa: _Periods, pidx: np.ndarray, rate: np.ndarray, higher_amount: np.ndarray,
            target: np.ndarray, has_t: np.ndarray, has_a: np.ndarray, attainment: np.ndarray,
            gap: np.ndarray, band: np.ndarray) -> np.ndarray:
    """no_target first (no target, or 0 for a higher-is-better amount), then missing, then lights."""
    status = np.full(len(pidx), RED, dtype=np.int8)
    amount = ~rate & has_t & has_a
    att6 = round_half_up(attainment[amount], THRESHOLD_DIGITS)
    pa_amount = pidx[amount]
    lights = np.where(att6 >= pa.green[pa_amount], GREEN, np.where(att6 >= pa.yellow[pa_amount], YELLOW, RED))
    status[amount] = lights
    rated = rate & has_t & has_a
    gap6 = round_half_up(gap[rated], THRESHOLD_DIGITS)
    band6 = round_half_up(band[rated], THRESHOLD_DIGITS)
    status[rated] = np.where(gap6 >= 0, GREEN, np.where(gap6 >= -band6, YELLOW, RED))
    no_target = ~has_t | (higher_amount & (target == 0))
    status[~no_target & ~has_a] = MISSING
    status[no_target] = NO_TARGET
    return status


def _rank_rows(cat: _Catalog, local_p: np.ndarray, n_periods: int, u: np.ndarray, i: np.ndarray,
               rate: np.ndarray, lower: np.ndarray, status: np.ndarray, has_a: np.ndarray,
               actual: np.ndarray, attainment: np.ndarray, completion: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """Ranks within (period, indicator, group).  Amounts rank units with a light, on completion
    (higher) or attainment (lower); rates rank every unit with an actual, on the actual, descending
    except lower-is-better.  Keys rounded to 4 decimals; ties share the smaller rank."""
    n = len(local_p)
    rank = np.zeros(n, dtype=np.int32)
    rank_of = np.zeros(n, dtype=np.int32)
    sel = np.flatnonzero(np.where(rate, has_a, status <= RED))
    if not sel.size:
        return rank, rank_of
    r_rate, r_lower = rate[sel], lower[sel]
    key = np.where(r_rate, actual[sel], np.where(r_lower, attainment[sel], completion[sel]))
    key = round_half_up(key, RANK_DIGITS)
    descending = ~(r_rate & r_lower)
    key = np.rint(np.where(descending, -key, key) * 10.0 ** RANK_DIGITS)
    del r_rate, r_lower, descending
    n_groups = int(cat.u_gid.max()) + 1 if cat.n_units else 1
    part = i[sel].astype(np.int64) * n_groups + cat.u_gid[u[sel]]
    # one sort per period: rows of a period are contiguous, so is their slice of ``sel``
    bounds = np.searchsorted(local_p[sel], np.arange(n_periods + 1))
    for p in range(n_periods):
        a, b = bounds[p], bounds[p + 1]
        if a == b:
            continue
        rk, ro = rank_1224(part[a:b], key[a:b])
        rank[sel[a:b]] = rk
        rank_of[sel[a:b]] = ro
    return rank, rank_of


# ------------------------------------------------------------------------------------------------
# unit rows: composite, rank, rank change, counts


@dataclass
class _UnitRows:
    pidx: np.ndarray
    u: np.ndarray
    composite: np.ndarray
    rank: np.ndarray      # 0 = not ranked
    rank_of: np.ndarray
    counts: np.ndarray    # (rows, 5) in STATUSES order
    indicators: np.ndarray

    @staticmethod
    def concat(parts: list[_UnitRows]) -> _UnitRows:
        if not parts:
            z = np.zeros(0, np.int64)
            return _UnitRows(z, z, np.zeros(0), z, z, np.zeros((0, 5), np.int64), z)
        return _UnitRows(*(np.concatenate([getattr(p, f) for p in parts])
                           for f in ("pidx", "u", "composite", "rank", "rank_of", "counts", "indicators")))


def _unit_rows(rows: _Rows, p0: int, p1: int) -> _UnitRows:
    """Composite and its rank for the units of periods p0..p1-1 (whole periods, so ranks are whole)."""
    sl = slice(int(rows.offsets[p0]), int(rows.offsets[p1]))
    pidx_all, u_all = rows.pidx[sl], rows.u[sl]
    status, weight, score = rows.status[sl], rows.weight[sl], rows.score[sl]
    n = pidx_all.size
    if n == 0:
        return _UnitRows.concat([])
    start = np.empty(n, bool)
    start[0] = True
    start[1:] = (pidx_all[1:] != pidx_all[:-1]) | (u_all[1:] != u_all[:-1])
    first = np.flatnonzero(start)
    g = np.cumsum(start) - 1
    del start
    m = first.size
    counted = status != NO_TARGET
    # left-to-right sums in catalog order (bincount adds in input order), as a hand calculation
    ws = np.where(counted, weight * np.where(counted, score, 0.0), 0.0)
    s_sum = np.bincount(g, weights=ws, minlength=m)
    del ws
    w_sum = np.bincount(g, weights=np.where(counted, weight, 0.0), minlength=m)
    reported = np.bincount(g, weights=status <= RED, minlength=m) > 0
    counts = np.bincount(g * 5 + status, minlength=m * 5).reshape(m, 5)
    del g, counted
    with np.errstate(invalid="ignore", divide="ignore"):
        composite = np.where(reported & (w_sum > 0), 100 * s_sum / w_sum, np.nan)
    pidx, u = pidx_all[first].astype(np.int64), u_all[first].astype(np.int64)
    rank = np.zeros(m, np.int64)
    rank_of = np.zeros(m, np.int64)
    sel = np.flatnonzero(~np.isnan(composite))
    if sel.size:
        key = -np.rint(round_half_up(composite[sel], COMPOSITE_DIGITS) * 10.0 ** COMPOSITE_DIGITS)
        n_groups = int(rows.cat.u_gid.max()) + 1
        part = pidx[sel] * n_groups + rows.cat.u_gid[u[sel]]
        rank[sel], rank_of[sel] = rank_1224(part, key)
    return _UnitRows(pidx=pidx, u=u, composite=composite, rank=rank, rank_of=rank_of, counts=counts,
                     indicators=np.diff(np.append(first, n)))


# ------------------------------------------------------------------------------------------------
# frames


def _categorical(codes: np.ndarray, labels: np.ndarray | list) -> pd.Categorical:
    """Categorical of labels[codes]; labels may repeat (town names do), categories are unique."""
    labels = np.asarray(labels, dtype=object).astype(str)
    uniq, inverse = np.unique(labels, return_inverse=True)
    if uniq.size == labels.size and np.array_equal(inverse, np.arange(labels.size)):
        mapped = codes
    else:
        mapped = inverse.astype(_code_dtype(uniq.size))[codes]
    return pd.Categorical.from_codes(mapped, categories=pd.Index(uniq, dtype=str), validate=False)


def _nullable_int(values: np.ndarray, mask: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(values.astype(np.int32, copy=False), mask.astype(bool, copy=False))


def _indicator_frame(rows: _Rows, provenance: bool = True) -> pd.DataFrame:
    cat, pa = rows.cat, rows.pa
    n = len(rows)
    unranked = rows.rank == 0
    out: dict[str, object] = {
        "period": pd.Categorical.from_codes(rows.pidx, categories=pd.Index(pa.codes, dtype=str), validate=False),
        "unit_code": _categorical(rows.u, cat.u_code),
        "unit_name": _categorical(rows.u, cat.u_name),
        "group": _categorical(rows.u, cat.u_group),
        "indicator_code": _categorical(rows.i, cat.i_code),
        "indicator_name": _categorical(rows.i, cat.i_name),
        "kind": _categorical(rows.i, cat.i_kind),
        "direction": _categorical(rows.i, cat.i_direction),
        "target": rows.target,
        "milestone": rows.milestone,
        "actual": rows.actual,
        "expected_progress": rows.expected_progress,
        "completion": rows.completion,
        "attainment": rows.attainment,
        "gap_pp": rows.gap,
        "status": pd.Categorical.from_codes(rows.status, categories=pd.Index(STATUSES, dtype=str), validate=False),
        "rank": _nullable_int(rows.rank, unranked),
        "rank_of": _nullable_int(rows.rank_of, unranked),
        "score": rows.score,
        "weight": rows.weight,
        "unit_type": _categorical(rows.u, cat.u_type),
        "scoring": pd.Categorical.from_codes(rows.rank_scored.view(np.int8),
                                             categories=pd.Index(["ratio", "rank"], dtype=str), validate=False),
    }
    if provenance:
        for name in PROVENANCE_COLUMNS:
            kind, extra = rows.provenance_kind.get(name, ("none", None))
            if kind == "int":
                out[name] = _nullable_int(rows.provenance[name], rows.provenance[name + ":mask"])
            elif kind == "cat":
                out[name] = pd.Categorical.from_codes(rows.provenance[name], categories=extra, validate=False)
            elif name.endswith(("_version", "_row")):
                out[name] = _nullable_int(np.zeros(n, np.int32), np.ones(n, bool))
            else:
                out[name] = pd.Categorical.from_codes(np.full(n, -1, np.int8), categories=pd.Index([], dtype=str))
    return pd.DataFrame(out, index=pd.RangeIndex(n), copy=False)


def _unit_frame(ur: _UnitRows, cat: _Catalog, pa: _Periods, previous: dict[tuple[str, int], tuple[int, int]]
                ) -> pd.DataFrame:
    ranked = ur.rank > 0
    change = np.zeros(ur.u.size, np.int64)
    has_change = np.zeros(ur.u.size, bool)
    prev_code = [per.previous(c) for c in pa.codes]
    for k, (p, u, r) in enumerate(zip(ur.pidx.tolist(), ur.u.tolist(), ur.rank.tolist(), strict=True)):
        prev = previous.get((prev_code[p], u))
        if r > 0 and prev is not None and prev[1] == int(cat.u_gid[u]):
            change[k] = prev[0] - r
            has_change[k] = True
    out = {
        "period": pd.Categorical.from_codes(ur.pidx, categories=pd.Index(pa.codes, dtype=str)),
        "unit_code": _categorical(ur.u, cat.u_code),
        "unit_name": _categorical(ur.u, cat.u_name),
        "group": _categorical(ur.u, cat.u_group),
        "composite": ur.composite,
        "rank": _nullable_int(ur.rank, ~ranked),
        "rank_of": _nullable_int(ur.rank_of, ~ranked),
        "rank_change": _nullable_int(change, ~has_change),
    }
    for k, name in enumerate(STATUSES):
        out[name] = ur.counts[:, k].astype(np.int64)
    out["unit_type"] = _categorical(ur.u, cat.u_type)
    out["indicators"] = ur.indicators.astype(np.int64)
    return pd.DataFrame(out, copy=False)[[*UNIT_COLUMNS, *UNIT_EXTRA_COLUMNS]]


def _ranked_units(ur: _UnitRows, cat: _Catalog, pa: _Periods) -> dict[tuple[str, int], tuple[int, int]]:
    """(period code, unit) -> (rank, group id) of every ranked unit."""
    keep = np.flatnonzero(ur.rank > 0)
    return {(pa.codes[p], u): (r, int(cat.u_gid[u]))
            for p, u, r in zip(ur.pidx[keep].tolist(), ur.u[keep].tolist(), ur.rank[keep].tolist(), strict=True)}


# ------------------------------------------------------------------------------------------------
# public API


@dataclass
class Results:
    """Both tables of one computation (see :func:`compute`)."""

    indicators: pd.DataFrame
    units: pd.DataFrame


class Engine:
    """A catalog and figures prepared once, for several computations (the dashboard, the CLI)."""

    def __init__(self, units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame,
                 scheme: SchemeSource = None) -> None:
        self.cat = _encode_catalog(units, indicators)
        self.fig = _encode_figures(figures, self.cat)
        self.scheme = scheme
        self._schemes: dict[int, Scheme] = {}

    def _periods(self, codes: list[str]) -> _Periods:
        years = {per.end_date(c).year for c in codes}
        missing = years - self._schemes.keys()
        self._schemes.update(_schemes_by_year(missing, self.scheme))
        return _period_arrays(codes, self.cat, self._schemes)

    def rows(self, periods: str | list[str], provenance: bool = True) -> _Rows:
        """The indicator rows as arrays (internal form of :meth:`indicator_table`)."""
        return _rows(self.cat, self.fig, self._periods(normalise_periods(periods)), provenance=provenance)

    def indicator_table(self, periods: str | list[str], provenance: bool = True) -> pd.DataFrame:
        """See :func:`indicator_table`."""
        return _indicator_frame(self.rows(periods, provenance), provenance=provenance)

    def unit_table(self, periods: str | list[str], rows: _Rows | None = None) -> pd.DataFrame:
        """See :func:`unit_table`; ``rows`` reuses indicator rows already computed for ``periods``."""
        rows = rows if rows is not None else self.rows(periods, provenance=False)
        ur = _UnitRows.concat(rows.units)
        previous = _ranked_units(ur, self.cat, rows.pa)
        extra = [c for c in dict.fromkeys(per.previous(c) for c in rows.pa.codes) if c not in rows.pa.codes]
        if extra:
            prev_rows = self.rows(extra, provenance=False)
            previous.update(_ranked_units(_UnitRows.concat(prev_rows.units), self.cat, prev_rows.pa))
            del prev_rows
        return _unit_frame(ur, self.cat, rows.pa, previous)

    def compute(self, periods: str | list[str], provenance: bool = True) -> Results:
        """Both tables, sharing the indicator rows."""
        rows = self.rows(periods, provenance)
        units = self.unit_table(periods, rows=rows)
        return Results(indicators=_indicator_frame(rows, provenance=provenance), units=units)


def indicator_table(units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame,
                    periods: str | list[str], scheme: SchemeSource = None, *,
                    provenance: bool = True) -> pd.DataFrame:
    """One row per period, unit and expected indicator: the columns INDICATOR_COLUMNS, then
    INDICATOR_EXTRA_COLUMNS and (with ``provenance``) PROVENANCE_COLUMNS.

    ``scheme``: a Scheme for every year, a mapping or function year -> Scheme, or None for the files
    in schemes/ (the period's year).  Text columns are categoricals; rank, rank_of and provenance
    numbers are nullable Int32; an empty value is NaN/NA.
    """
    return Engine(units, indicators, figures, scheme).indicator_table(periods, provenance=provenance)


def unit_table(units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame,
               periods: str | list[str], scheme: SchemeSource = None) -> pd.DataFrame:
    """One row per period and unit with at least one expected indicator: UNIT_COLUMNS, then
    UNIT_EXTRA_COLUMNS.  rank_change compares with the previous period of the same kind (computed
    too when it is not among ``periods``)."""
    return Engine(units, indicators, figures, scheme).unit_table(periods)


def compute(units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame,
            periods: str | list[str], scheme: SchemeSource = None, *, provenance: bool = True) -> Results:
    """Both tables at once, sharing the work."""
    return Engine(units, indicators, figures, scheme).compute(periods, provenance=provenance)
