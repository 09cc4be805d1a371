"""Rounding as a person reads numbers, and "1224" ranks: shared by the engine and the sheet checks."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import numpy as np


def round_half_up(values: np.ndarray | float, digits: int) -> np.ndarray:
    """Half away from zero on the shortest decimal form, as a person rounds: 2.675 -> 2.68.

    Equals ``float(Decimal(repr(x)).quantize(10**-digits, ROUND_HALF_UP))`` for every float.  Binary
    rounding is right except near a half, so only values whose scaled fraction lies within a few
    ulps of .5 (and huge ones) go through Decimal; the rest are rounded in one vectorised pass.
    """
    x = np.asarray(values, dtype=np.float64)
    scale = 10.0 ** digits
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = x * scale
        out = np.rint(scaled) / scale
        mag = np.abs(scaled)
        near_half = np.abs(mag - np.floor(mag) - 0.5) <= np.maximum(mag, 1.0) * 2.0 ** -48
        doubtful = np.isfinite(x) & (near_half | (mag >= 2.0 ** 50))
    idx = np.flatnonzero(doubtful)
    if idx.size:
        out = np.array(out, dtype=np.float64, copy=True, ndmin=1) if out.ndim == 0 else out
        flat = out.reshape(-1)
        flat[idx] = [_round_decimal(float(v), digits) for v in x.reshape(-1)[idx]]
        out = flat.reshape(x.shape)
    return out


def _round_decimal(value: float, digits: int) -> float:
    """The rule itself, for one value; floats of 2**52 and more are integers already."""
    if abs(value) >= 2.0 ** 52:
        return value
    with localcontext(prec=60):
        return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def rank_1224(partition: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Competition ranks of ascending ``keys`` within each partition ("1224": ties share the smaller
    rank), and the partition sizes; both int64, aligned with the input.  Keys must not be NaN."""
    partition = np.asarray(partition, dtype=np.int64)
    keys = np.asarray(keys, dtype=np.float64)
    n = keys.size
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order, same = _sort_partitioned(partition, keys)
    pos = np.arange(n, dtype=np.int64)
    ps = partition[order]
    new_part = np.empty(n, bool)
    new_part[0] = True
    np.not_equal(ps[1:], ps[:-1], out=new_part[1:])
    new_key = new_part | ~same
    part_start = np.maximum.accumulate(np.where(new_part, pos, 0))
    tie_start = np.maximum.accumulate(np.where(new_key, pos, 0))
    starts = np.flatnonzero(new_part)
    sizes = np.diff(np.append(starts, n))
    rank = np.empty(n, np.int64)
    rank_of = np.empty(n, np.int64)
    rank[order] = tie_start - part_start + 1
    rank_of[order] = np.repeat(sizes, sizes)
    return rank, rank_of


def _sort_partitioned(partition: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Order by (partition, key), and whether each sorted key equals the one before it.

    Integral keys of a modest range are packed with the partition into one int64 and sorted once,
    which is several times faster than a two-key lexsort.
    """
    n = keys.size
    kmin, kmax = float(keys.min()), float(keys.max())
    pmax = int(partition.max()) if n else 0
    span = kmax - kmin + 1
    packable = (int(partition.min()) >= 0 and abs(kmin) < 2.0 ** 52 and abs(kmax) < 2.0 ** 52
                and bool(np.all(keys == np.floor(keys))) and (pmax + 1) * span < 2.0 ** 62)
    if packable:
        packed = partition * np.int64(span) + (keys - kmin).astype(np.int64)
        order = np.argsort(packed, kind="stable")
        sp = packed[order]
        same = np.empty(n, bool)
        same[0] = False
        np.equal(sp[1:], sp[:-1], out=same[1:])
        return order, same
    order = np.lexsort((keys, partition))
    sk = keys[order]
    same = np.empty(n, bool)
    same[0] = False
    np.equal(sk[1:], sk[:-1], out=same[1:])
    return order, same


def sheet_ranks(keys: np.ndarray, descending: bool = True, digits: int = 4) -> np.ndarray:
    """Ranks among one sheet's units, as domain.md ranks: keys rounded to ``digits``, ties share the
    smaller rank, NaN keys unranked (NaN)."""
    keys = np.asarray(keys, dtype=float)
    ranks = np.full(keys.shape, np.nan)
    present = ~np.isnan(keys)
    if present.any():
        rounded = round_half_up(keys[present], digits)
        rank, _ = rank_1224(np.zeros(int(present.sum()), np.int64), -rounded if descending else rounded)
        ranks[present] = rank
    return ranks
