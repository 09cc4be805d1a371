"""Rounding as a person reads numbers, and "1224" ranks; shared by the engine and the sheet checks."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np


def round_half_up(value: float, digits: int) -> float:
    """Half away from zero on the shortest decimal form: 2.675 -> 2.68 (binary rounding gives 2.67)."""
    if value != value or value in (float("inf"), float("-inf")):
        return value
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def rank_1224(keys: np.ndarray, descending: bool = True, digits: int = 4) -> np.ndarray:
    """Competition ranks on keys rounded to ``digits``; ties share the smaller rank; NaN keys are unranked."""
    keys = np.asarray(keys, dtype=float)
    ranks = np.full(keys.shape, np.nan)
    present = ~np.isnan(keys)
    if not present.any():
        return ranks
    rounded = np.array([round_half_up(float(k), digits) for k in keys[present]])
    ordered = -rounded if descending else rounded
    # rank = 1 + number of keys strictly better
    sorted_keys = np.sort(ordered)
    ranks[present] = np.searchsorted(sorted_keys, ordered, side="left") + 1
    return ranks
